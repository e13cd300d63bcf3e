-- name: order_by_draft_key
-- Returns the order an assistant draft already created (id, number, total, line count), or no row.
select o.id, o.order_number, o.total_cents,
       (select count(*) from order_products op
         where op.distributor_id = o.distributor_id and op.order_id = o.id) as lines
from orders o
where o.distributor_id = :distributor_id and o.draft_key = :draft_key

-- name: lock_order_numbers
-- Serialises order numbering of one distributor until commit.
select pg_advisory_xact_lock(hashtextextended('ordersight.order_number:' || cast(:distributor_id as text), 0))

-- name: order_number_style
-- Returns the prefix and digit count most of the distributor's latest 500 order numbers share in the form
-- <letters><separator><digits> (AB-000123), the most recent breaking a tie; no row when none has that form.
select s.m[1] as prefix, max(length(s.m[2])) as digits
from (
    select regexp_match(o.order_number, '^([A-Za-z]+[-/_.]?)([0-9]{1,18})$') as m, o.created_at, o.id
    from orders o
    where o.distributor_id = :distributor_id
    order by o.created_at desc, o.id desc
    limit 500
) s
where s.m is not null
group by s.m[1]
order by count(*) desc, max(s.created_at) desc, max(s.id) desc
limit 1

-- name: next_order_number
-- Returns the next number after the highest order number of the form <prefix><digits>.
select coalesce(max(substring(o.order_number from length(cast(:prefix as text)) + 1)::bigint), 0) + 1
from orders o
where o.distributor_id = :distributor_id
  and left(o.order_number, length(cast(:prefix as text))) = cast(:prefix as text)
  and substring(o.order_number from length(cast(:prefix as text)) + 1) ~ '^[0-9]{1,18}$'

-- name: products_for_order
-- Returns the active products among the given ids, with their catalog price.
select p.id, p.sku, p.name, p.unit, p.price_cents
from products p
where p.distributor_id = :distributor_id and p.active and p.id = any(cast(:product_ids as bigint[]))

-- name: order_customer
-- Returns the customer of an order draft and the distributor's currency, or no row for an unknown customer.
select cu.id, trim(d.currency) as currency
from customers cu
join distributors d on d.id = cu.distributor_id
where cu.distributor_id = :distributor_id and cu.id = :customer_id

-- name: insert_order
-- Creates the order unless this draft already did; returns its id (no row when the draft key exists).
insert into orders (distributor_id, customer_id, conversation_id, ai_source_message_id, order_number, status,
                    source, drafted_by, total_cents, currency, notes, requested_delivery_date, draft_key,
                    created_by, confirmed_at)
values (:distributor_id, :customer_id, :conversation_id, :message_id, :order_number, 'confirmed', :source,
        :drafted_by, :total_cents, :currency, :notes, :requested_delivery_date, :draft_key, :user_id, app_now())
on conflict (distributor_id, draft_key) do nothing
returning id, created_at

-- name: insert_order_product
-- Adds one line to an order; returns its id.
insert into order_products (distributor_id, order_id, product_id, raw_text, product_name, quantity, unit,
                            unit_price_cents, line_total_cents, match_confidence)
values (:distributor_id, :order_id, :product_id, :raw_text, :product_name, :quantity, :unit,
        :unit_price_cents, :line_total_cents, :match_confidence)
returning id

-- name: insert_confirmed_match
-- Records a person-confirmed match of a wording to a product, the key of the next drafts' history.
insert into product_matching_history (distributor_id, raw_text, normalized_text, product_id, order_product_id,
                                      method, confidence, confirmed, confirmed_by)
values (:distributor_id, :raw_text, :normalized_text, :product_id, :order_product_id, :method, :confidence,
        true, :user_id)

-- name: link_source_message
-- Points the source message at the order it produced, unless it already points at one.
update messages set order_id = :order_id
where distributor_id = :distributor_id and id = :message_id and order_id is null

-- name: queue_webhooks
-- Queues one delivery of an event for each active endpoint subscribed to it; returns the endpoint ids.
insert into webhook_deliveries (distributor_id, endpoint_id, event_type, payload)
select e.distributor_id, e.id, cast(:event_type as text), cast(:payload as jsonb)
from webhook_endpoints e
where e.distributor_id = :distributor_id and e.active and cast(:event_type as text) = any(e.events)
returning endpoint_id
