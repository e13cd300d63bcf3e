-- name: set_budget
-- Sets the AI budget and hard limit the demo chose for a tenant from its generated spend.
update distributors
set ai_monthly_budget_cents = :budget, ai_hard_limit = :hard_limit
where id = cast(:d as uuid)

-- name: ai_usage_metrics
-- Adds one ai_usage_metrics row per local day, model and feature of the tenant's ai_responses, with that day's ai_errors.
insert into ai_usage_metrics (id, distributor_id, date, model, feature, requests, input_tokens, output_tokens,
                              cost_cents, unpriced_requests, errors, avg_latency_ms, p95_latency_ms, avg_confidence)
select :base + row_number() over (order by r.day, r.model, r.kind), cast(:d as uuid), r.day, r.model, r.kind,
       r.requests, r.input_tokens, r.output_tokens, r.cost_cents, r.unpriced, coalesce(e.errors, 0),
       r.avg_latency, r.p95_latency, r.avg_confidence
from (
    select (created_at at time zone :tz)::date as day, model, kind, count(*) as requests,
           sum(input_tokens) as input_tokens, sum(output_tokens) as output_tokens,
           coalesce(sum(cost_cents), 0) as cost_cents, count(*) filter (where cost_cents is null) as unpriced,
           round(avg(latency_ms), 2) as avg_latency,
           percentile_disc(0.95) within group (order by latency_ms) as p95_latency,
           round(avg(confidence), 3) as avg_confidence
    from ai_responses
    where distributor_id = cast(:d as uuid)
    group by 1, 2, 3
) r
left join (
    select (created_at at time zone :tz)::date as day, model, feature, count(*) as errors
    from ai_errors
    where distributor_id = cast(:d as uuid)
    group by 1, 2, 3
) e on e.day = r.day and e.model = r.model and e.feature = r.kind

-- name: ai_prompt_performance
-- Adds one ai_prompt_performance row per local day, prompt version, feature and model, with the review outcomes.
insert into ai_prompt_performance (id, distributor_id, date, prompt_version, feature, model, requests, approved,
                                   edited, rejected, avg_confidence, avg_latency_ms, cost_cents)
select :base + row_number() over (order by (created_at at time zone :tz)::date, prompt_version, kind, model),
       cast(:d as uuid), (created_at at time zone :tz)::date, prompt_version, kind, model, count(*),
       count(*) filter (where status = 'approved'), count(*) filter (where status = 'edited'),
       count(*) filter (where status = 'rejected'), round(avg(confidence), 3), round(avg(latency_ms), 2),
       coalesce(sum(cost_cents), 0)
from ai_responses
where distributor_id = cast(:d as uuid)
group by (created_at at time zone :tz)::date, prompt_version, kind, model

-- name: ai_model_performance
-- Adds one ai_model_performance row per model and local month, with the review outcomes.
insert into ai_model_performance (id, distributor_id, model, period_month, requests, approved, edited, rejected,
                                  avg_confidence, avg_latency_ms, cost_cents)
select :base + row_number() over (order by model, date_trunc('month', created_at at time zone :tz)),
       cast(:d as uuid), model, date_trunc('month', created_at at time zone :tz)::date, count(*),
       count(*) filter (where status = 'approved'), count(*) filter (where status = 'edited'),
       count(*) filter (where status = 'rejected'), round(avg(confidence), 3), round(avg(latency_ms), 2),
       coalesce(sum(cost_cents), 0)
from ai_responses
where distributor_id = cast(:d as uuid)
group by model, date_trunc('month', created_at at time zone :tz)

-- name: distributor_usage
-- Adds one distributor_usage row per local month: orders, messages, AI requests and cost, users who signed in.
with o as (
    select date_trunc('month', created_at at time zone :tz)::date as month, count(*) as n
    from orders where distributor_id = cast(:d as uuid) group by 1
), m as (
    select date_trunc('month', created_at at time zone :tz)::date as month, count(*) as n
    from messages where distributor_id = cast(:d as uuid) group by 1
), a as (
    select date_trunc('month', created_at at time zone :tz)::date as month, count(*) as n,
           coalesce(sum(cost_cents), 0) as cost
    from ai_responses where distributor_id = cast(:d as uuid) group by 1
), u as (
    select date_trunc('month', created_at at time zone :tz)::date as month, count(distinct user_id) as n
    from security_audit_log where distributor_id = cast(:d as uuid) and event = 'login_success' group by 1
), months as (
    select month from o union select month from m union select month from a
)
insert into distributor_usage (id, distributor_id, period_month, orders_count, messages_count, ai_requests,
                               ai_cost_cents, active_users)
select :base + row_number() over (order by months.month), cast(:d as uuid), months.month, coalesce(o.n, 0),
       coalesce(m.n, 0), coalesce(a.n, 0), coalesce(a.cost, 0), coalesce(u.n, 0)
from months
left join o using (month)
left join m using (month)
left join a using (month)
left join u using (month)
