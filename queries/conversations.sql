-- fragment: queue_filters
-- The queue's filters on conversations c: empty array / '' / false mean "no filter"; filters on child rows
-- are EXISTS so each can use its index; search goes through search_conversations() (migration 0005), which
-- can use the full-text index that @@ under RLS cannot, as an array computed once so the few ids of a
-- precise search are fetched by key instead of scanning the queue.
  and (cardinality(cast(:statuses as text[])) = 0 or c.status = any(cast(:statuses as text[])))
  and (cardinality(cast(:channels as text[])) = 0 or c.channel = any(cast(:channels as text[])))
  and (cardinality(cast(:assignees as uuid[])) = 0 or c.assigned_to = any(cast(:assignees as uuid[])))
  and (cardinality(cast(:customer_ids as bigint[])) = 0 or c.customer_id = any(cast(:customer_ids as bigint[])))
  and (cardinality(cast(:label_ids as bigint[])) = 0 or exists (
        select 1 from customer_label_assignments la
         where la.distributor_id = c.distributor_id and la.customer_id = c.customer_id
           and la.label_id = any(cast(:label_ids as bigint[]))))
  and (not cast(:awaiting_review as boolean) or exists (
        select 1 from messages m
          join ai_responses r on r.distributor_id = m.distributor_id and r.message_id = m.id
         where m.distributor_id = c.distributor_id and m.conversation_id = c.id and r.status = 'pending'))
  and (cast(:search as text) = '' or c.id = any(array(
        select s.conversation_id from search_conversations(cast(:search as text)) s)))
  -- the period: latest activity in [active_from, active_to), on the (distributor_id, last_message_at) index
  and c.last_message_at >= :active_from and c.last_message_at < :active_to

-- name: conversation_queue
-- Returns one page of the filtered conversation queue, most recent activity first.
-- the page is cut first and its counts and last message read after: PostgreSQL computes the select list of
-- every row an OFFSET skips, so with them inline page 4,000 of a big queue took seconds
select q.id, q.customer, q.channel, q.status, q.assigned_to, q.last_message_at,
       (select count(*) from messages m
         where m.distributor_id = q.distributor_id and m.conversation_id = q.id) as messages,
       (select count(*) from messages m
          join ai_responses r on r.distributor_id = m.distributor_id and r.message_id = m.id
         where m.distributor_id = q.distributor_id and m.conversation_id = q.id
           and r.status = 'pending') as waiting_review,
       (select m.content from messages m
         where m.distributor_id = q.distributor_id and m.conversation_id = q.id
         order by m.created_at desc, m.id desc limit 1) as last_message
from (
select c.id, c.distributor_id, cu.name as customer, c.channel, c.status, up.full_name as assigned_to,
       c.last_message_at
from conversations c
join customers cu on cu.distributor_id = c.distributor_id and cu.id = c.customer_id
left join user_profiles up on up.distributor_id = c.distributor_id and up.id = c.assigned_to
where c.distributor_id = :distributor_id
  /*:queue_filters*/
order by c.last_message_at desc, c.id desc
limit :limit offset :offset
) q
order by q.last_message_at desc, q.id desc

-- name: conversation_queue_count
-- Returns the number of conversations matching the queue filters (same filters as conversation_queue).
select count(*)
from conversations c
where c.distributor_id = :distributor_id
  /*:queue_filters*/

-- name: queue_options
-- Returns the choices of the queue filters: (kind 'agent' | 'customer' | 'label', value, label), by name.
select 'agent' as kind, up.id::text as value, up.full_name as label
from user_profiles up
where up.distributor_id = :distributor_id
union all
select 'customer', cu.id::text, cu.name
from customers cu
where cu.distributor_id = :distributor_id
  and exists (select 1 from conversations c where c.distributor_id = cu.distributor_id and c.customer_id = cu.id)
union all
select 'label', l.id::text, l.name
from customer_labels l
where l.distributor_id = :distributor_id
order by 1, 3, 2

-- name: conversation_detail
-- Returns the header of one conversation (customer, channel, status, agent, times), or no row.
select c.id, cu.name as customer, cu.phone_e164 as customer_phone, c.channel, c.status,
       up.full_name as assigned_to, c.started_at, c.last_message_at
from conversations c
join customers cu on cu.distributor_id = c.distributor_id and cu.id = c.customer_id
left join user_profiles up on up.distributor_id = c.distributor_id and up.id = c.assigned_to
where c.distributor_id = :distributor_id and c.id = :conversation_id

-- name: thread_messages
-- Returns a conversation's messages in order, each with its PII findings summed per type ('' when none).
select m.id, m.direction, m.sender_type, m.source, m.content, m.created_at, m.order_id,
       coalesce(p.pii, '') as pii, coalesce(p.findings, 0) as pii_findings
from messages m
left join lateral (
    select string_agg(t.pii_type || ' x' || t.n, ', ' order by t.pii_type) as pii, sum(t.n) as findings
    from (select pr.pii_type, sum(pr.match_count) as n
            from pii_detection_results pr
           where pr.distributor_id = m.distributor_id and pr.message_id = m.id
           group by pr.pii_type) t
) p on true
where m.distributor_id = :distributor_id and m.conversation_id = :conversation_id
order by m.created_at, m.id

-- name: thread_ai_responses
-- Returns the AI responses to a conversation's messages, oldest first, with the reviewer's name.
select r.id, r.message_id, r.kind, r.content, r.model, r.prompt_version, r.confidence::float8 as confidence,
       r.latency_ms, r.cost_cents::float8 as cost_cents, r.status, r.final_content, r.feedback,
       up.full_name as reviewed_by, r.reviewed_at, r.created_at, r.structured,
       -- decided with no reviewer: by the platform (classifications are approved automatically)
       (r.status <> 'pending' and r.reviewed_by is null) as automatic
from ai_responses r
join messages m on m.distributor_id = r.distributor_id and m.id = r.message_id
left join user_profiles up on up.distributor_id = r.distributor_id and up.id = r.reviewed_by
where r.distributor_id = :distributor_id and m.conversation_id = :conversation_id
order by r.created_at, r.id

-- name: thread_orders
-- Returns the orders linked to a conversation, oldest first.
select o.id, o.order_number, o.status, o.source, o.total_cents, o.currency, o.created_at,
       o.ai_source_message_id
from orders o
where o.distributor_id = :distributor_id and o.conversation_id = :conversation_id
order by o.created_at, o.id
