-- Orders dashboard. Every filtered query takes the same parameters:
--   :distributor_id, :tz (the distributor's time zone, for local times and buckets), :t0 / :t1 (the
--   period's bounds, from core.filters.Period.bounds), :p0 (the previous period's start; it ends at :t0),
--   :start / :end (its local dates, for the buckets), :statuses, :sources (text[]), :customer_ids,
--   :label_ids, :category_ids (bigint[]); an empty array means "no filter". Bounds stay on created_at, so
--   the (distributor_id, created_at) index answers the range. Cancelled orders count as orders but never as
--   revenue. A customer label keeps orders of customers with that label; a product category keeps orders
--   with at least one line in it (product charts and line items keep only that category's lines).

-- fragment: order_filters
-- The page's optional filters on orders o (an empty array means all), shared by the queries below.
and (cardinality(cast(:statuses as text[])) = 0 or o.status = any(cast(:statuses as text[])))
and (cardinality(cast(:sources as text[])) = 0 or o.source = any(cast(:sources as text[])))
and (cardinality(cast(:customer_ids as bigint[])) = 0 or o.customer_id = any(cast(:customer_ids as bigint[])))
and (cardinality(cast(:label_ids as bigint[])) = 0 or exists (
      select 1 from customer_label_assignments a
      where a.distributor_id = o.distributor_id and a.customer_id = o.customer_id
        and a.label_id = any(cast(:label_ids as bigint[]))))

-- fragment: order_category_filter
-- Orders holding a product of the chosen categories (order-level queries; line-level ones filter lines).
and (cardinality(cast(:category_ids as bigint[])) = 0 or exists (
      select 1 from order_products op
      join products p on p.distributor_id = op.distributor_id and p.id = op.product_id
      where op.distributor_id = o.distributor_id and op.order_id = o.id
        and p.category_id = any(cast(:category_ids as bigint[]))))

-- name: orders_exist
-- One row, one boolean: has this distributor any order at all (empty state vs "nothing matches").
select exists (select 1 from orders where distributor_id = :distributor_id) as has_orders

-- name: filter_options
-- Rows (kind 'customer' / 'label' / 'category', id, name) for the filter bar, by kind then name.
select 'customer' as kind, id, name from customers where distributor_id = :distributor_id
union all
select 'label', id, name from customer_labels where distributor_id = :distributor_id
union all
select 'category', id, name from product_categories where distributor_id = :distributor_id
order by kind, name, id

-- name: orders_kpis
-- Two rows, period 'current' then 'previous' (the same number of days just before): orders, cancelled, revenue_cents, avg_order_cents, ai_orders, ai_share, median_response_s.
with scoped as (
    select o.created_at >= :t0 as is_current,
           o.status, o.source, o.total_cents,
           extract(epoch from o.created_at - m.created_at)::float8 as response_s
    from orders o
    left join messages m on m.distributor_id = o.distributor_id and m.id = o.ai_source_message_id
    where o.distributor_id = :distributor_id
      and o.created_at >= :p0
      and o.created_at < :t1
      /*:order_filters*/
      /*:order_category_filter*/
)
select case when p.is_current then 'current' else 'previous' end as period,
       count(s.is_current) as orders,
       count(*) filter (where s.status = 'cancelled') as cancelled,
       coalesce(sum(s.total_cents) filter (where s.status <> 'cancelled'), 0)::bigint as revenue_cents,
       round(avg(s.total_cents) filter (where s.status <> 'cancelled'))::bigint as avg_order_cents,
       count(*) filter (where s.source = 'ai') as ai_orders,
       (count(*) filter (where s.source = 'ai'))::float8 / nullif(count(s.is_current), 0) as ai_share,
       percentile_cont(0.5) within group (order by s.response_s) as median_response_s
from (values (true), (false)) as p (is_current)
left join scoped s on s.is_current = p.is_current
group by p.is_current
order by p.is_current desc

-- name: orders_over_time
-- One row per local day or week of the period (empty buckets included): bucket, orders, revenue_cents, ai_orders, manual_orders, integration_orders.
with buckets as (
    select generate_series(date_trunc(cast(:bucket as text), cast(:start as date)::timestamp),
                           cast(:end as date)::timestamp,
                           cast('1 ' || cast(:bucket as text) as interval)) as bucket
), scoped as (
    select date_trunc(cast(:bucket as text), o.created_at at time zone :tz) as bucket,
           o.status, o.source, o.total_cents
    from orders o
    where o.distributor_id = :distributor_id
      and o.created_at >= :t0
      and o.created_at < :t1
      /*:order_filters*/
      /*:order_category_filter*/
)
select b.bucket::date as bucket,
       count(s.bucket) as orders,
       coalesce(sum(s.total_cents) filter (where s.status <> 'cancelled'), 0)::bigint as revenue_cents,
       count(*) filter (where s.source = 'ai') as ai_orders,
       count(*) filter (where s.source = 'manual') as manual_orders,
       count(*) filter (where s.source = 'integration') as integration_orders
from buckets b
left join scoped s on s.bucket = b.bucket
group by b.bucket
order by b.bucket

-- name: orders_by_status
-- One row per status with orders in the period: status, orders, total_cents (cancelled included here), most orders first.
select o.status, count(*) as orders, coalesce(sum(o.total_cents), 0)::bigint as total_cents
from orders o
where o.distributor_id = :distributor_id
  and o.created_at >= :t0
  and o.created_at < :t1
  /*:order_filters*/
  /*:order_category_filter*/
group by o.status
order by orders desc, o.status

-- name: top_customers
-- Up to :limit rows (customer_id, customer, orders, revenue_cents), cancelled left out, ordered by :by ('revenue' or 'orders') then name.
select c.id as customer_id, c.name as customer, count(*) as orders,
       sum(o.total_cents)::bigint as revenue_cents
from orders o
join customers c on c.distributor_id = o.distributor_id and c.id = o.customer_id
where o.distributor_id = :distributor_id
  and o.status <> 'cancelled'
  and o.created_at >= :t0
  and o.created_at < :t1
  /*:order_filters*/
  /*:order_category_filter*/
group by c.id, c.name
order by case when cast(:by as text) = 'orders' then count(*) else sum(o.total_cents) end desc, c.name
limit :limit

-- name: top_products
-- Up to :limit rows (product_id, product, sku, quantity, revenue_cents, lines), cancelled left out, ordered by :by ('revenue' or 'quantity'); unmatched lines group by their written name with no product_id.
select op.product_id, coalesce(p.name, op.product_name) as product, p.sku,
       sum(op.quantity)::float8 as quantity, sum(op.line_total_cents)::bigint as revenue_cents,
       count(*) as lines
from orders o
join order_products op on op.distributor_id = o.distributor_id and op.order_id = o.id
left join products p on p.distributor_id = op.distributor_id and p.id = op.product_id
where o.distributor_id = :distributor_id
  and o.status <> 'cancelled'
  and o.created_at >= :t0
  and o.created_at < :t1
  /*:order_filters*/
  and (cardinality(cast(:category_ids as bigint[])) = 0 or p.category_id = any(cast(:category_ids as bigint[])))
group by op.product_id, coalesce(p.name, op.product_name), p.sku
order by case when cast(:by as text) = 'quantity' then sum(op.quantity) else sum(op.line_total_cents) end desc,
         product
limit :limit

-- name: revenue_by_label
-- One row per customer label (label, orders, revenue_cents), cancelled left out; unlabelled customers as '(no label)'. A customer with two labels counts under both.
select coalesce(l.name, '(no label)') as label, count(*) as orders,
       sum(o.total_cents)::bigint as revenue_cents
from orders o
left join customer_label_assignments a
       on a.distributor_id = o.distributor_id and a.customer_id = o.customer_id
      and (cardinality(cast(:label_ids as bigint[])) = 0 or a.label_id = any(cast(:label_ids as bigint[])))
left join customer_labels l on l.distributor_id = a.distributor_id and l.id = a.label_id
where o.distributor_id = :distributor_id
  and o.status <> 'cancelled'
  and o.created_at >= :t0
  and o.created_at < :t1
  /*:order_filters*/
  /*:order_category_filter*/
group by l.name
order by revenue_cents desc, label

-- name: orders_count
-- One row: total, the number of orders matching the filters (the table's row count for pagination).
select count(*) as total
from orders o
where o.distributor_id = :distributor_id
  and o.created_at >= :t0
  and o.created_at < :t1
  /*:order_filters*/
  /*:order_category_filter*/

-- name: orders_page
-- Up to :limit orders (all when null) from :offset, sorted by the whitelisted key :sort (newest, oldest, total_desc, total_asc, customer, status, number), ties newest first: id, order_number, created_at (local), customer, status, source, lines, total_cents, currency.
select o.id, o.order_number, (o.created_at at time zone :tz) as created_at, c.name as customer,
       o.status, o.source,
       (select count(*) from order_products l where l.distributor_id = o.distributor_id and l.order_id = o.id)
           as lines,
       o.total_cents, o.currency
from orders o
join customers c on c.distributor_id = o.distributor_id and c.id = o.customer_id
where o.distributor_id = :distributor_id
  and o.created_at >= :t0
  and o.created_at < :t1
  /*:order_filters*/
  /*:order_category_filter*/
-- one fixed ORDER BY per sort key; the key is a bound value checked against a whitelist in orders.py
order by case when cast(:sort as text) = 'oldest' then o.created_at end asc,
         case when cast(:sort as text) = 'total_desc' then o.total_cents end desc,
         case when cast(:sort as text) = 'total_asc' then o.total_cents end asc,
         case when cast(:sort as text) = 'customer' then c.name end asc,
         case when cast(:sort as text) = 'status' then o.status end asc,
         case when cast(:sort as text) = 'number' then o.order_number end asc,
         o.created_at desc, o.id desc
limit :limit offset :offset

-- name: order_lines_export
-- Up to :limit lines (all when null) of the filtered orders (only the chosen categories' lines when filtering by category), newest order first: order_number, created_at (local), customer, status, product, sku, raw_text, quantity, unit, unit_price_cents, line_total_cents, match_confidence.
select o.order_number, (o.created_at at time zone :tz) as created_at, c.name as customer, o.status,
       op.product_name as product, p.sku, op.raw_text, op.quantity::float8 as quantity, op.unit,
       op.unit_price_cents, op.line_total_cents, op.match_confidence::float8 as match_confidence
from orders o
join customers c on c.distributor_id = o.distributor_id and c.id = o.customer_id
join order_products op on op.distributor_id = o.distributor_id and op.order_id = o.id
left join products p on p.distributor_id = op.distributor_id and p.id = op.product_id
where o.distributor_id = :distributor_id
  and o.created_at >= :t0
  and o.created_at < :t1
  /*:order_filters*/
  and (cardinality(cast(:category_ids as bigint[])) = 0 or p.category_id = any(cast(:category_ids as bigint[])))
order by o.created_at desc, o.id desc, op.id
limit :limit

-- name: order_header
-- Zero or one row for :order_id: id, order_number, created_at / confirmed_at (local), status, source, drafted_by, created_by_name, total_cents, currency, notes, customer, conversation_id (the order's or its trigger message's), channel, trigger_message_id, trigger_content, trigger_at (local), response_s.
select o.id, o.order_number, (o.created_at at time zone :tz) as created_at,
       (o.confirmed_at at time zone :tz) as confirmed_at, o.status, o.source, o.drafted_by,
       u.full_name as created_by_name, o.total_cents, o.currency, o.notes, c.name as customer, coalesce(o.conversation_id, m.conversation_id) as conversation_id,
       cv.channel, m.id as trigger_message_id, m.content as trigger_content,
       (m.created_at at time zone :tz) as trigger_at,
       extract(epoch from o.created_at - m.created_at)::float8 as response_s
from orders o
join customers c on c.distributor_id = o.distributor_id and c.id = o.customer_id
left join user_profiles u on u.distributor_id = o.distributor_id and u.id = o.created_by
left join messages m on m.distributor_id = o.distributor_id and m.id = o.ai_source_message_id
-- CASE, not coalesce(): under RLS only leakproof join conditions can use an index, and PostgreSQL does not
-- count coalesce() among them (with it every conversation of the tenant was read)
left join conversations cv on cv.distributor_id = o.distributor_id
                          and cv.id = case when o.conversation_id is not null then o.conversation_id
                                           else m.conversation_id end
where o.distributor_id = :distributor_id and o.id = :order_id

-- name: order_lines
-- The lines of :order_id in entry order: product (as ordered), matched_product, sku, raw_text (the customer's wording), quantity, unit, unit_price_cents, line_total_cents, match_confidence (null when unmatched).
select op.product_name as product, p.name as matched_product, p.sku, op.raw_text,
       op.quantity::float8 as quantity, op.unit, op.unit_price_cents, op.line_total_cents,
       op.match_confidence::float8 as match_confidence
from order_products op
left join products p on p.distributor_id = op.distributor_id and p.id = op.product_id
where op.distributor_id = :distributor_id and op.order_id = :order_id
order by op.id

-- name: order_attachments
-- The files attached to :order_id, oldest first: file_name, content_type, size_bytes, storage_path, created_at (local).
select file_name, content_type, size_bytes, storage_path, (created_at at time zone :tz) as created_at
from order_attachments
where distributor_id = :distributor_id and order_id = :order_id
order by created_at, id

-- name: order_source_messages
-- The last :limit messages of the order's source conversation up to the order (the trigger message always included), oldest first: id, direction, sender_type, source, content, created_at (local), is_trigger.
with src as (
    -- CASE, not coalesce(): see order_header (the join below on it must use the conversation index)
    select o.created_at, o.ai_source_message_id,
           case when o.conversation_id is not null then o.conversation_id else m.conversation_id end
               as conversation_id
    from orders o
    left join messages m on m.distributor_id = o.distributor_id and m.id = o.ai_source_message_id
    where o.distributor_id = :distributor_id and o.id = :order_id
), recent as (
    select m.id, m.direction, m.sender_type, m.source, m.content, m.created_at,
           m.id is not distinct from src.ai_source_message_id as is_trigger
    from src
    join messages m on m.distributor_id = :distributor_id and m.conversation_id = src.conversation_id
    where m.created_at <= src.created_at or m.id = src.ai_source_message_id
    order by m.created_at desc, m.id desc
    limit :limit
)
select id, direction, sender_type, source, content, (created_at at time zone :tz) as created_at, is_trigger
from recent
order by recent.created_at, id
