-- name: lock_metering
-- Serialises one distributor's metering until commit, so each day's averages and p95 see every earlier call.
select pg_advisory_xact_lock(hashtextextended('ordersight.metering:' || cast(:distributor_id as text), 0))

-- name: insert_response
-- Adds one AI response (a suggestion pending review); returns its id and its day in the distributor's zone.
insert into ai_responses as r (distributor_id, message_id, kind, content, structured, model, prompt_version,
                               input_tokens, output_tokens, tokens_estimated, cost_cents, latency_ms, confidence,
                               created_at)
values (:distributor_id, :message_id, :kind, :content, cast(:structured as jsonb), :model, :prompt_version,
        :input_tokens, :output_tokens, :tokens_estimated, cast(:cost_cents as numeric), :latency_ms,
        cast(:confidence as numeric), coalesce(cast(:created_at as timestamptz), app_now()))
returning r.id,
          (r.created_at at time zone (select d.timezone from distributors d where d.id = r.distributor_id))::date
              as day

-- name: upsert_usage_call
-- Adds one recorded call to its day's (model, feature) rollup; averages and p95 come from that day's responses.
insert into ai_usage_metrics as u (distributor_id, date, model, feature, requests, input_tokens, output_tokens,
                                   cost_cents, unpriced_requests, avg_latency_ms, p95_latency_ms, avg_confidence)
select cast(:distributor_id as uuid), cast(:day as date), cast(:model as text), cast(:feature as text), 1,
       cast(:input_tokens as integer), cast(:output_tokens as integer), coalesce(cast(:cost_cents as numeric), 0), (cast(:cost_cents as numeric) is null)::int,
       s.avg_latency, s.p95_latency, s.avg_confidence
from (
    select round(avg(r.latency_ms), 2) as avg_latency,
           round(percentile_cont(0.95) within group (order by r.latency_ms))::int as p95_latency,
           round(avg(r.confidence), 3) as avg_confidence
    from ai_responses r
    join distributors d on d.id = r.distributor_id
    where r.distributor_id = :distributor_id and r.model = :model and r.kind = :feature
      and r.created_at >= cast(:day as date)::timestamp at time zone d.timezone
      and r.created_at < (cast(:day as date) + 1)::timestamp at time zone d.timezone
) s
on conflict (distributor_id, date, model, feature) do update
set requests = u.requests + 1,
    input_tokens = u.input_tokens + excluded.input_tokens,
    output_tokens = u.output_tokens + excluded.output_tokens,
    cost_cents = u.cost_cents + excluded.cost_cents,
    unpriced_requests = u.unpriced_requests + excluded.unpriced_requests,
    avg_latency_ms = excluded.avg_latency_ms,
    p95_latency_ms = excluded.p95_latency_ms,
    avg_confidence = excluded.avg_confidence

-- name: upsert_prompt_call
-- Adds one recorded call to its day's (prompt_version, feature, model) counters; averages from that day's responses.
insert into ai_prompt_performance as p (distributor_id, date, prompt_version, feature, model, requests,
                                        cost_cents, avg_latency_ms, avg_confidence)
select cast(:distributor_id as uuid), cast(:day as date), cast(:prompt_version as text), cast(:feature as text),
       cast(:model as text), 1,
       coalesce(cast(:cost_cents as numeric), 0), s.avg_latency, s.avg_confidence
from (
    select round(avg(r.latency_ms), 2) as avg_latency, round(avg(r.confidence), 3) as avg_confidence
    from ai_responses r
    join distributors d on d.id = r.distributor_id
    where r.distributor_id = :distributor_id and r.model = :model and r.kind = :feature
      and r.prompt_version = :prompt_version
      and r.created_at >= cast(:day as date)::timestamp at time zone d.timezone
      and r.created_at < (cast(:day as date) + 1)::timestamp at time zone d.timezone
) s
on conflict (distributor_id, date, prompt_version, feature, model) do update
set requests = p.requests + 1,
    cost_cents = p.cost_cents + excluded.cost_cents,
    avg_latency_ms = excluded.avg_latency_ms,
    avg_confidence = excluded.avg_confidence

-- name: insert_error
-- Adds one ai_errors row; returns its id and its day in the distributor's zone.
insert into ai_errors as e (distributor_id, message_id, model, feature, error_type, error_message, context,
                            created_by, created_at)
values (:distributor_id, :message_id, :model, :feature, :error_type, :error_message, cast(:context as jsonb),
        :user_id, coalesce(cast(:created_at as timestamptz), app_now()))
returning e.id,
          (e.created_at at time zone (select d.timezone from distributors d where d.id = e.distributor_id))::date
              as day

-- name: upsert_usage_error
-- Counts one failed call in its day's (model, feature) rollup, with the tokens and cost the service reported.
insert into ai_usage_metrics as u (distributor_id, date, model, feature, errors, input_tokens, output_tokens,
                                   cost_cents)
values (:distributor_id, cast(:day as date), :model, :feature, 1, :input_tokens, :output_tokens,
        cast(:cost_cents as numeric))
on conflict (distributor_id, date, model, feature) do update
set errors = u.errors + 1,
    input_tokens = u.input_tokens + excluded.input_tokens,
    output_tokens = u.output_tokens + excluded.output_tokens,
    cost_cents = u.cost_cents + excluded.cost_cents
