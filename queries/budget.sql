-- name: distributor_timezone
-- The distributor's time zone name (months and days are counted in it).
select timezone from distributors where id = :distributor_id

-- name: month_snapshot
-- Budget settings and the month's spend, requests and unknown-cost requests from the daily rollup.
select d.timezone,
       d.ai_monthly_budget_cents as budget_cents,
       d.ai_alert_thresholds as thresholds,
       d.ai_hard_limit as hard_limit,
       coalesce(u.spend_cents, 0) as spend_cents,
       coalesce(u.requests, 0) as requests,
       coalesce(u.unpriced_requests, 0) as unpriced_requests
from distributors d
left join lateral (
    select sum(m.cost_cents) as spend_cents, sum(m.requests) as requests,
           sum(m.unpriced_requests) as unpriced_requests
    from ai_usage_metrics m
    where m.distributor_id = d.id and m.date >= :month_start and m.date < :next_month
) u on true
where d.id = :distributor_id

-- name: insert_alerts
-- Creates the live alert of each crossed threshold unless one exists; returns the thresholds created.
insert into ai_budget_alerts (distributor_id, period_month, threshold_pct, spend_cents, budget_cents)
select :distributor_id, :period_month, t, :spend_cents, :budget_cents
from unnest(cast(:thresholds as integer[])) as t
on conflict (distributor_id, period_month, threshold_pct) where superseded_at is null do nothing
returning threshold_pct

-- name: supersede_alerts
-- Re-arms thresholds the month's spend is now below because the budget was raised; returns them.
update ai_budget_alerts
set superseded_at = app_now()
where distributor_id = :distributor_id and period_month = :period_month and superseded_at is null
  and budget_cents < :budget_cents and threshold_pct * :budget_cents > :spend_cents * 100
returning threshold_pct

-- name: active_distributor_ids
-- Every active distributor (read with the login role: the scheduler job spans tenants).
select id, name from distributors where status = 'active' order by name, id

-- name: settings_for_update
-- The distributor's budget settings, row locked until the transaction ends.
select ai_monthly_budget_cents as budget_cents, ai_alert_thresholds as thresholds, ai_hard_limit as hard_limit
from distributors where id = :distributor_id
for update

-- name: update_settings
-- Stores new budget settings for the distributor.
update distributors
set ai_monthly_budget_cents = :budget_cents, ai_alert_thresholds = cast(:thresholds as integer[]),
    ai_hard_limit = :hard_limit
where id = :distributor_id

-- name: acknowledge_alert
-- Marks one unacknowledged alert as acknowledged by the user; returns it (no row when already done).
update ai_budget_alerts
set acknowledged_by = :user_id, acknowledged_at = app_now()
where distributor_id = :distributor_id and id = :alert_id and acknowledged_at is null
returning id, period_month, threshold_pct, spend_cents, budget_cents

-- name: alerts_list
-- Alerts newest first with month, threshold, spend and budget then (USD), local times and state.
select *
from (
    select a.id, a.period_month as month, a.threshold_pct,
           (a.spend_cents / 100)::float8 as spend_usd,
           (a.budget_cents / 100)::float8 as budget_usd,
           a.triggered_at at time zone d.timezone as fired_at,
           p.full_name as acknowledged_by,
           a.acknowledged_at at time zone d.timezone as acknowledged_at,
           case when a.superseded_at is not null then 're-armed'
                when a.acknowledged_at is not null then 'acknowledged'
                else 'open' end as state
    from ai_budget_alerts a
    join distributors d on d.id = a.distributor_id
    left join user_profiles p on p.distributor_id = a.distributor_id and p.id = a.acknowledged_by
    where a.distributor_id = :distributor_id
      and (cast(:month as date) is null or a.period_month = cast(:month as date))
) alerts
where cast(:state as text) = 'all' or state = cast(:state as text)
order by month desc, threshold_pct desc, fired_at desc

-- name: alert_months
-- The months that have alerts, newest first.
select distinct period_month from ai_budget_alerts where distributor_id = :distributor_id order by 1 desc

-- name: spend_history
-- Spend per month (USD) up to through_month vs the budget in force at each month's end (from the audit).
with d as (
    select timezone, ai_monthly_budget_cents as current_budget from distributors where id = :distributor_id
),
months as (
    select cast(m as date) as month
    from generate_series(cast(:through_month as date) - make_interval(months => :months - 1),
                         cast(:through_month as date), interval '1 month') m
),
usage as (
    select cast(date_trunc('month', date) as date) as month, sum(cost_cents) as spend_cents,
           sum(unpriced_requests) as unpriced_requests
    from ai_usage_metrics
    where distributor_id = :distributor_id
      and date >= cast(:through_month as date) - make_interval(months => :months - 1)
      and date < cast(:through_month as date) + interval '1 month'
    group by 1
),
changes as (
    select created_at, details -> 'old' -> 'budget_cents' as old_budget,
           details -> 'new' -> 'budget_cents' as new_budget
    from data_access_audit
    where distributor_id = :distributor_id and action = 'settings_change' and resource = 'ai_budget_settings'
)
select m.month,
       (coalesce(u.spend_cents, 0) / 100)::float8 as spend_usd,
       (b.budget_cents / 100)::float8 as budget_usd,
       (coalesce(u.spend_cents, 0) / nullif(b.budget_cents, 0))::float8 as pct_used,
       coalesce(u.unpriced_requests, 0)::int as unpriced_requests
from months m
cross join d
left join usage u on u.month = m.month
left join lateral (
    select (m.month + interval '1 month')::timestamp at time zone d.timezone as month_end
) e on true
left join lateral (
    select c.new_budget from changes c where c.created_at < e.month_end order by c.created_at desc limit 1
) last_change on true
left join lateral (
    select c.old_budget from changes c where c.created_at >= e.month_end order by c.created_at limit 1
) next_change on true
cross join lateral (
    select case
        when last_change.new_budget is not null then cast(last_change.new_budget #>> '{}' as numeric)
        when next_change.old_budget is not null then cast(next_change.old_budget #>> '{}' as numeric)
        else d.current_budget
    end as budget_cents
) b
-- leading months before the first spend ever are left out: a new tenant's history starts with its first month
where m.month >= coalesce((select cast(date_trunc('month', min(date)) as date) from ai_usage_metrics
                           where distributor_id = :distributor_id), cast(:through_month as date))
order by m.month
