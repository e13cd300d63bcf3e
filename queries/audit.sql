-- Audit log page: data_access_audit and security_audit_log on one timeline (kind 'access' / 'security';
-- a security event's name is in the `action` column, it has no resource and a record_count of 0).
-- Filtered queries take :distributor_id, :tz (the distributor's time zone, for local times and days),
-- :t0 / :t1 (the period's bounds, from core.filters.Period.bounds), :p0 (the previous period's start),
-- :user_ids (uuid[]), :actions, :resources (text[]); an empty array means "no filter";
-- :pattern is NULL or an ILIKE pattern from core.filters.like_pattern, matched against the details text.
-- Bounds stay on created_at, so the (distributor_id, created_at) indexes answer the range. The tenant and period filters sit outside the UNION ALL on purpose: the planner pushes
-- them into both branches and, filtering the union itself, can read both indexes in created_at order
-- (Merge Append), so the newest page of a busy month costs a few index rows instead of a sort of the month.
-- A user is shown by name and email when their profile belongs to this distributor; an operator acting
-- for it has no profile here, so operator_names() (migration 0012) names them "<name> (Ordersight operator)";
-- anyone else gone from the distributor falls back to the email in the details, then the id.

-- name: audit_filter_options
-- Rows (kind 'user' / 'action' / 'resource', value, label) seen in the period, for the filter bar.
with events as (
    select user_id, action, resource, details
    from (select distributor_id, created_at, user_id, action, resource, details from data_access_audit
          union all
          select distributor_id, created_at, user_id, event, null, details from security_audit_log) e
    where distributor_id = :distributor_id
      and created_at >= :t0
      and created_at < :t1
), users as (
    select user_id, min(details ->> 'email') as email from events where user_id is not null group by user_id
)
select 'user' as kind, u.user_id::text as value,
       coalesce(o.label, p.full_name || ' (' || p.email || ')', u.email, 'user ' || left(u.user_id::text, 8))
           as label
from users u
left join user_profiles p on p.distributor_id = :distributor_id and p.id = u.user_id
left join operator_names() o on o.id = u.user_id
union all
select distinct 'action', action, action from events
union all
select distinct 'resource', resource, resource from events where resource is not null
order by 1, 3, 2

-- name: audit_kpis
-- Two rows, period 'current' then 'previous' (as many days just before): events, users, exports, exported_rows, failed_sign_ins.
with events as (
    select 'access' as kind, distributor_id, created_at, user_id, action, resource, record_count, details
    from data_access_audit
    union all
    select 'security', distributor_id, created_at, user_id, event, null, 0, details
    from security_audit_log
), filtered as (
    select created_at >= :t0 as is_current, kind, user_id,
           action, record_count
    from events
    where distributor_id = :distributor_id
      and created_at >= :p0
      and created_at < :t1
      and (cardinality(cast(:user_ids as uuid[])) = 0 or user_id = any(cast(:user_ids as uuid[])))
      and (cardinality(cast(:actions as text[])) = 0 or action = any(cast(:actions as text[])))
      and (cardinality(cast(:resources as text[])) = 0 or resource = any(cast(:resources as text[])))
      and (cast(:pattern as text) is null or details::text ilike :pattern escape '\')
)
select case when p.is_current then 'current' else 'previous' end as period,
       count(f.is_current) as events,
       count(distinct f.user_id) as users,
       count(*) filter (where f.kind = 'access' and f.action = 'export') as exports,
       coalesce(sum(f.record_count) filter (where f.kind = 'access' and f.action = 'export'), 0)::bigint
           as exported_rows,
       count(*) filter (where f.kind = 'security' and f.action = 'login_failed') as failed_sign_ins
from (values (true), (false)) as p (is_current)
left join filtered f on f.is_current = p.is_current
group by p.is_current
order by p.is_current desc

-- name: audit_daily
-- Rows (day, action, events) per local day and action, for the stacked activity chart.
with events as (
    select distributor_id, created_at, user_id, action, resource, details from data_access_audit
    union all
    select distributor_id, created_at, user_id, event, null, details from security_audit_log
)
select (created_at at time zone :tz)::date as day, action, count(*) as events
from events
where distributor_id = :distributor_id
  and created_at >= :t0
  and created_at < :t1
  and (cardinality(cast(:user_ids as uuid[])) = 0 or user_id = any(cast(:user_ids as uuid[])))
  and (cardinality(cast(:actions as text[])) = 0 or action = any(cast(:actions as text[])))
  and (cardinality(cast(:resources as text[])) = 0 or resource = any(cast(:resources as text[])))
  and (cast(:pattern as text) is null or details::text ilike :pattern escape '\')
group by 1, 2
order by 1, 2

-- name: audit_events
-- One page (:limit rows from :offset; NULL limit: all) of the timeline, newest first: at (local time), kind, user_id, user_label, action, resource, record_count, details (text).
with events as (
    select 'access' as kind, id, distributor_id, created_at, user_id, action, resource, record_count, details
    from data_access_audit
    union all
    select 'security', id, distributor_id, created_at, user_id, event, null, 0, details
    from security_audit_log
), page as (
    select * from events
    where distributor_id = :distributor_id
      and created_at >= :t0
      and created_at < :t1
      and (cardinality(cast(:user_ids as uuid[])) = 0 or user_id = any(cast(:user_ids as uuid[])))
      and (cardinality(cast(:actions as text[])) = 0 or action = any(cast(:actions as text[])))
      and (cardinality(cast(:resources as text[])) = 0 or resource = any(cast(:resources as text[])))
      and (cast(:pattern as text) is null or details::text ilike :pattern escape '\')
    order by created_at desc, kind, id desc
    limit :limit offset :offset
)
select (e.created_at at time zone :tz) as at, e.kind, e.user_id::text as user_id,
       coalesce(o.label, p.full_name || ' (' || p.email || ')', e.details ->> 'email',
                'user ' || left(e.user_id::text, 8), '—') as user_label,
       e.action, e.resource, e.record_count, e.details::text as details
from page e
left join user_profiles p on p.distributor_id = :distributor_id and p.id = e.user_id
left join operator_names() o on o.id = e.user_id
order by e.created_at desc, e.kind, e.id desc

-- name: audit_export_anomalies
-- Rows (day, user_id, user_label, exported_rows, usual_rows) for each user and local day of the period whose exports exceed :abs_limit rows, or :multiple times the median of that user's export days in the :baseline_days days before.
with exports as (
    select user_id, (created_at at time zone :tz)::date as day, sum(record_count)::bigint as exported_rows
    from data_access_audit
    where distributor_id = :distributor_id and action = 'export' and user_id is not null
      and created_at >= :b0
      and created_at < :t1
    group by 1, 2
)
select e.day, e.user_id::text as user_id,
       coalesce(o.label, p.full_name || ' (' || p.email || ')', 'user ' || left(e.user_id::text, 8)) as user_label,
       e.exported_rows, b.usual_rows
from exports e
left join lateral (
    select percentile_cont(0.5) within group (order by x.exported_rows) as usual_rows
    from exports x
    where x.user_id = e.user_id and x.day >= e.day - cast(:baseline_days as int) and x.day < e.day
) b on true
left join user_profiles p on p.distributor_id = :distributor_id and p.id = e.user_id
left join operator_names() o on o.id = e.user_id
where e.day >= cast(:start as date)
  and (e.exported_rows > :abs_limit or e.exported_rows > :multiple * b.usual_rows)
order by e.day desc, e.exported_rows desc

-- name: audit_failed_sign_in_bursts
-- Rows (started_at, ended_at local times, failures, emails) for each burst: failed sign-ins that, :window_min minutes at a time, reach :min_failures, overlapping windows merged; bursts ending in the period.
with failures as (
    select created_at, details ->> 'email' as email
    from security_audit_log
    where distributor_id = :distributor_id and event = 'login_failed'
      and created_at >= :t0 - make_interval(mins => :window_min)
      and created_at < :t1
), windows as (
    -- each failure closes a window of the minutes before it
    select created_at, count(*) over w as n, min(created_at) over w as window_start
    from failures
    window w as (order by created_at range between make_interval(mins => :window_min) preceding and current row)
), flagged as (
    select created_at, window_start,
           -- a new burst starts when this window does not reach back to the previous flagged failure
           case when window_start <= lag(created_at) over (order by created_at) then 0 else 1 end as new_burst
    from windows
    where n >= :min_failures
), bursts as (
    select sum(new_burst) over (order by created_at) as burst, created_at, window_start from flagged
)
select min(b.window_start) at time zone :tz as started_at, max(b.created_at) at time zone :tz as ended_at,
       (select count(*) from failures f
        where f.created_at between min(b.window_start) and max(b.created_at)) as failures,
       (select count(distinct f.email) from failures f
        where f.created_at between min(b.window_start) and max(b.created_at)) as emails
from bursts b
group by b.burst
having max(b.created_at) >= :t0
order by started_at desc
