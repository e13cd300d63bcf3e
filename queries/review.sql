-- name: review_metrics
-- Returns one row: suggestions waiting now, and the decisions on suggestions created in the period.
with period as (
    select r.status, r.confidence, r.created_at, r.reviewed_at
    from ai_responses r
    -- [t0, t1) are the period's local midnights (core.filters.Period.bounds); bounds stay on created_at so its
    -- index is used
    where r.distributor_id = :distributor_id
      and r.created_at >= :t0
      and r.created_at < :t1
)
select
    (select count(*) from ai_responses w
      where w.distributor_id = :distributor_id and w.status = 'pending') as waiting,
    count(*) as suggestions,
    count(*) filter (where status = 'approved') as approved,
    count(*) filter (where status = 'edited') as edited,
    count(*) filter (where status = 'rejected') as rejected,
    (count(*) filter (where status = 'approved'))::float8
        / nullif(count(*) filter (where status <> 'pending'), 0) as acceptance_rate,
    (count(*) filter (where status = 'edited'))::float8
        / nullif(count(*) filter (where status <> 'pending'), 0) as edit_rate,
    (avg(confidence) filter (where status = 'approved'))::float8 as avg_confidence_approved,
    (avg(confidence) filter (where status = 'rejected'))::float8 as avg_confidence_rejected,
    percentile_cont(0.5) within group (order by extract(epoch from reviewed_at - created_at))
        filter (where status <> 'pending') as median_review_s
from period

-- name: review_by_model
-- Returns per model and prompt version the suggestions created in the period and how they were reviewed.
select r.model, r.prompt_version,
       count(*) as suggestions,
       count(*) filter (where r.status = 'pending') as waiting,
       count(*) filter (where r.status = 'approved') as approved,
       count(*) filter (where r.status = 'edited') as edited,
       count(*) filter (where r.status = 'rejected') as rejected,
       (count(*) filter (where r.status = 'approved'))::float8
           / nullif(count(*) filter (where r.status <> 'pending'), 0) as acceptance_rate,
       (count(*) filter (where r.status = 'edited'))::float8
           / nullif(count(*) filter (where r.status <> 'pending'), 0) as edit_rate,
       avg(r.confidence)::float8 as avg_confidence,
       percentile_cont(0.5) within group (order by extract(epoch from r.reviewed_at - r.created_at))
           filter (where r.status <> 'pending') as median_review_s
from ai_responses r
where r.distributor_id = :distributor_id
  and r.created_at >= :t0
  and r.created_at < :t1
group by r.model, r.prompt_version
order by suggestions desc, r.model, r.prompt_version

-- name: review_state
-- Returns an AI response's review state and text, the message it answers, the reviewer and the tenant's tz.
select r.id, r.status, r.content, r.final_content, r.feedback, r.reviewed_by, r.reviewed_at,
       up.full_name as reviewer_name, m.content as message_content, m.conversation_id, d.timezone
from ai_responses r
join messages m on m.distributor_id = r.distributor_id and m.id = r.message_id
join distributors d on d.id = r.distributor_id
left join user_profiles up on up.distributor_id = r.distributor_id and up.id = r.reviewed_by
where r.distributor_id = :distributor_id and r.id = :response_id

-- name: decide_response
-- Records a decision on a still-pending response; returns no row when it was already decided.
update ai_responses
set status = :status, reviewed_by = :user_id, reviewed_at = app_now(),
    final_content = :final_content, feedback = :feedback
where distributor_id = :distributor_id and id = :response_id and status = 'pending'
returning id, status, reviewed_at

-- name: insert_training_data
-- Adds the (customer message, AI output, human correction) example of an edited or rejected response.
insert into ai_training_data (distributor_id, ai_response_id, input_text, ai_output, human_correction,
                              correction_type, created_by)
values (:distributor_id, :response_id, :input_text, :ai_output, :human_correction, :correction_type, :user_id)

-- name: bump_prompt_performance
-- Adds the decided response to its day's (prompt_version, kind, model) approved/edited/rejected counters.
insert into ai_prompt_performance as p (distributor_id, date, prompt_version, feature, model,
                                        approved, edited, rejected)
-- the day is the response's creation date in the distributor's time zone, as the dashboards bucket it
select r.distributor_id, (r.created_at at time zone d.timezone)::date, r.prompt_version, r.kind, r.model,
       (r.status = 'approved')::int, (r.status = 'edited')::int, (r.status = 'rejected')::int
from ai_responses r
join distributors d on d.id = r.distributor_id
where r.distributor_id = :distributor_id and r.id = :response_id and r.status <> 'pending'
on conflict (distributor_id, date, prompt_version, feature, model) do update
set approved = p.approved + excluded.approved,
    edited = p.edited + excluded.edited,
    rejected = p.rejected + excluded.rejected
