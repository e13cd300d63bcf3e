-- name: cost_kpis
-- One row of period totals: rollup spend/requests/tokens/errors/latency, p95 and AI conversations, AI orders.
with u as (
    select coalesce(sum(cost_cents), 0) as spend_cents,
           coalesce(sum(requests), 0)::bigint as requests,
           coalesce(sum(input_tokens), 0)::bigint as input_tokens,
           coalesce(sum(output_tokens), 0)::bigint as output_tokens,
           coalesce(sum(errors), 0)::bigint as errors,
           coalesce(sum(unpriced_requests), 0)::bigint as unpriced_requests,
           sum(avg_latency_ms * requests) / nullif(sum(requests) filter (where avg_latency_ms is not null), 0)
               as avg_latency_ms
    from ai_usage_metrics
    where distributor_id = :distributor_id and date between :start and :end
),
r as (
    select percentile_cont(0.95) within group (order by r.latency_ms) as p95_latency_ms,
           count(distinct m.conversation_id) as conversations
    from ai_responses r
    join messages m on m.distributor_id = r.distributor_id and m.id = r.message_id
    where r.distributor_id = :distributor_id and r.created_at >= :t0 and r.created_at < :t1
),
o as (
    select count(*) as ai_orders
    from orders o
    where o.distributor_id = :distributor_id and o.source = 'ai'
      and o.created_at >= :t0 and o.created_at < :t1
)
select u.spend_cents::float8 as spend_cents, u.requests, u.input_tokens, u.output_tokens, u.errors,
       u.unpriced_requests, u.avg_latency_ms::float8 as avg_latency_ms,
       r.p95_latency_ms::float8 as p95_latency_ms,
       r.conversations, o.ai_orders,
       u.errors::float8 / nullif(u.requests + u.errors, 0) as error_rate,
       (u.spend_cents / nullif(o.ai_orders, 0))::float8 as cost_per_ai_order_cents,
       (u.spend_cents / nullif(r.conversations, 0))::float8 as cost_per_conversation_cents
from u, r, o

-- name: spend_daily_by_model
-- Spend per local day and model (USD), for a chart stacked by model.
select date as day, model, (sum(cost_cents) / 100)::float8 as spend_usd
from ai_usage_metrics
where distributor_id = :distributor_id and date between :start and :end
group by date, model
order by date, model

-- name: spend_by_feature
-- Spend (USD) and requests per feature, biggest spend first.
select feature, sum(requests)::bigint as requests, (sum(cost_cents) / 100)::float8 as spend_usd
from ai_usage_metrics
where distributor_id = :distributor_id and date between :start and :end
group by feature
order by spend_usd desc, feature

-- name: tokens_daily
-- Input and output tokens per local day, one row per (day, kind).
select u.date as day, t.kind, sum(t.tokens)::bigint as tokens
from ai_usage_metrics u
cross join lateral (values ('input', u.input_tokens), ('output', u.output_tokens)) as t (kind, tokens)
where u.distributor_id = :distributor_id and u.date between :start and :end
group by u.date, t.kind
order by u.date, t.kind

-- name: model_latency_errors
-- Per model: answered requests, failed calls, error rate, average latency (rollup), p95 (ai_responses).
with u as (
    select model, sum(requests)::bigint as requests, sum(errors)::bigint as errors,
           sum(avg_latency_ms * requests) / nullif(sum(requests) filter (where avg_latency_ms is not null), 0)
               as avg_latency_ms
    from ai_usage_metrics
    where distributor_id = :distributor_id and date between :start and :end
    group by model
),
p as (
    select r.model, percentile_cont(0.95) within group (order by r.latency_ms) as p95_latency_ms
    from ai_responses r
    where r.distributor_id = :distributor_id and r.created_at >= :t0 and r.created_at < :t1
    group by r.model
)
select u.model, u.requests, u.errors, u.errors::float8 / nullif(u.requests + u.errors, 0) as error_rate,
       u.avg_latency_ms::float8 as avg_latency_ms, p.p95_latency_ms::float8 as p95_latency_ms
from u left join p on p.model = u.model
order by u.model

-- name: model_acceptance
-- Per model: reviews of the period's suggestions (accepted = approved or edited) and cost per request.
with rv as (
    select r.model, count(*) filter (where r.status <> 'pending') as reviewed,
           count(*) filter (where r.status = 'approved') as approved,
           count(*) filter (where r.status = 'edited') as edited,
           count(*) filter (where r.status = 'rejected') as rejected
    from ai_responses r
    where r.distributor_id = :distributor_id and r.created_at >= :t0 and r.created_at < :t1
    group by r.model
),
c as (
    select model, sum(requests)::bigint as requests, sum(cost_cents) as spend_cents,
           sum(requests - unpriced_requests) as priced_requests
    from ai_usage_metrics
    where distributor_id = :distributor_id and date between :start and :end
    group by model
)
select coalesce(c.model, rv.model) as model, coalesce(c.requests, 0) as requests,
       coalesce(rv.reviewed, 0) as reviewed, coalesce(rv.approved, 0) as approved,
       coalesce(rv.edited, 0) as edited, coalesce(rv.rejected, 0) as rejected,
       (rv.approved + rv.edited)::float8 / nullif(rv.reviewed, 0) as acceptance_rate,
       (c.spend_cents / nullif(c.priced_requests, 0))::float8 as cost_per_request_cents
from c full join rv on rv.model = c.model
order by model

-- name: prompt_versions
-- Prompt versions compared (ai_prompt_performance): requests, review outcomes, confidence, latency, cost.
select prompt_version, feature, model, sum(requests)::bigint as requests,
       sum(approved)::bigint as approved, sum(edited)::bigint as edited, sum(rejected)::bigint as rejected,
       (sum(approved) + sum(edited))::float8 / nullif(sum(approved) + sum(edited) + sum(rejected), 0)
           as acceptance_rate,
       (sum(avg_confidence * requests)
            / nullif(sum(requests) filter (where avg_confidence is not null), 0))::float8 as avg_confidence,
       (sum(avg_latency_ms * requests)
            / nullif(sum(requests) filter (where avg_latency_ms is not null), 0))::float8 as avg_latency_ms,
       (sum(cost_cents) / 100)::float8 as spend_usd,
       (sum(cost_cents) / nullif(sum(requests), 0))::float8 as cost_per_request_cents
from ai_prompt_performance
where distributor_id = :distributor_id and date between :start and :end
group by prompt_version, feature, model
order by feature, prompt_version, model

-- name: model_feature_table
-- Per model and feature: requests, tokens, spend (USD), average cost per priced request, errors, unpriced.
select model, feature, sum(requests)::bigint as requests, sum(input_tokens)::bigint as input_tokens,
       sum(output_tokens)::bigint as output_tokens, (sum(cost_cents) / 100)::float8 as spend_usd,
       (sum(cost_cents) / nullif(sum(requests - unpriced_requests), 0))::float8 as avg_cost_per_request_cents,
       sum(errors)::bigint as errors, sum(unpriced_requests)::bigint as unpriced_requests
from ai_usage_metrics
where distributor_id = :distributor_id and date between :start and :end
group by model, feature
order by spend_usd desc, model, feature

-- name: unpriced_by_model
-- Calls of unknown cost per model: the larger of the rollup's count and ai_responses without a cost.
with u as (
    select model, sum(unpriced_requests) as n
    from ai_usage_metrics
    where distributor_id = :distributor_id and date between :start and :end
    group by model
),
r as (
    select r.model, count(*) as n
    from ai_responses r
    where r.distributor_id = :distributor_id and r.created_at >= :t0 and r.created_at < :t1
      and r.cost_cents is null
    group by r.model
)
select coalesce(u.model, r.model) as model, greatest(coalesce(u.n, 0), coalesce(r.n, 0))::bigint as requests
from u full join r on r.model = u.model
where greatest(coalesce(u.n, 0), coalesce(r.n, 0)) > 0
order by model
