-- name: conversation_choices
-- Returns recent conversations that have a customer's message: id, customer, channel, status, its last text.
select c.id, c.customer_id, cu.name as customer, c.channel, c.status, c.last_message_at,
       li.id as message_id, li.content as last_inbound
from conversations c
join customers cu on cu.distributor_id = c.distributor_id and cu.id = c.customer_id
join lateral (
    select m.id, m.content from messages m
    where m.distributor_id = c.distributor_id and m.conversation_id = c.id and m.sender_type = 'customer'
    order by m.created_at desc, m.id desc
    limit 1
) li on true
where c.distributor_id = :distributor_id
order by c.last_message_at desc, c.id desc
limit :limit

-- name: customer_choices
-- Returns the distributor's active customers (id, name, city), by name.
select cu.id, cu.name, cu.city
from customers cu
where cu.distributor_id = :distributor_id and cu.status = 'active'
order by cu.name, cu.id
limit :limit

-- name: customer_messages
-- Returns a customer's most recent messages over all conversations, newest first, times local to :tz.
select m.id, m.conversation_id, m.direction, m.sender_type, m.source, m.content,
       (m.created_at at time zone :tz) as created_at
from messages m
join conversations c on c.distributor_id = m.distributor_id and c.id = m.conversation_id
where m.distributor_id = :distributor_id and c.customer_id = :customer_id
order by m.created_at desc, m.id desc
limit :limit

-- name: customer_orders
-- Returns a customer's last orders, newest first, with their number of lines, times local to :tz.
select o.id, o.order_number, (o.created_at at time zone :tz) as created_at, o.status, o.total_cents, o.currency,
       (select count(*) from order_products op
         where op.distributor_id = o.distributor_id and op.order_id = o.id) as lines
from orders o
where o.distributor_id = :distributor_id and o.customer_id = :customer_id
order by o.created_at desc, o.id desc
limit :limit

-- name: customer_labels
-- Returns the names of a customer's labels, by name.
select l.name
from customer_label_assignments la
join customer_labels l on l.distributor_id = la.distributor_id and l.id = la.label_id
where la.distributor_id = :distributor_id and la.customer_id = :customer_id
order by l.name

-- name: message_target
-- Returns one message with its conversation, customer (name, language) and whether it is inbound; or no row.
select m.id as message_id, m.content, m.direction, m.conversation_id, c.customer_id, cu.name as customer_name,
       cu.language as customer_language
from messages m
join conversations c on c.distributor_id = m.distributor_id and c.id = m.conversation_id
join customers cu on cu.distributor_id = c.distributor_id and cu.id = c.customer_id
where m.distributor_id = :distributor_id and m.id = :message_id

-- name: conversation_thread
-- Returns the last messages of a conversation up to and including one message, oldest first; role is the
-- direction (system for system notes), because a pasted text (sender 'agent') holds the customer's words.
select t.id, t.role, t.content
from (
    select m.id, case when m.sender_type = 'system' then 'system' else m.direction end as role, m.content,
           m.created_at
    from messages m
    where m.distributor_id = :distributor_id and m.conversation_id = :conversation_id
      and (m.created_at, m.id) <= (select m2.created_at, m2.id from messages m2
                                    where m2.distributor_id = :distributor_id and m2.id = :message_id)
    order by m.created_at desc, m.id desc
    limit :limit
) t
order by t.created_at, t.id

-- name: distributor_profile
-- Returns the distributor's name, language, reply tone, currency and time zone.
select d.name, d.language, d.reply_tone, trim(d.currency) as currency, d.timezone
from distributors d
where d.id = :distributor_id

-- name: catalog
-- Returns the active products as the drafters see them (aliases, unit, price in cents, category), by name.
select p.id, p.sku, p.name, p.aliases, p.unit, p.price_cents, pc.name as category
from products p
left join product_categories pc on pc.distributor_id = p.distributor_id and pc.id = p.category_id
where p.distributor_id = :distributor_id and p.active
order by p.name, p.id

-- name: matching_history
-- Returns, per normalized wording, the product of its latest confirmed match.
select distinct on (h.normalized_text) h.normalized_text, h.product_id
from product_matching_history h
where h.distributor_id = :distributor_id and h.confirmed
order by h.normalized_text, h.created_at desc, h.id desc

-- name: pii_rules
-- Returns the distributor's PII rules (enabled or not), by name.
select r.id, r.name, r.pii_type, r.pattern, r.replacement, r.enabled
from pii_detection_rules r
where r.distributor_id = :distributor_id
order by r.name

-- name: insert_pii_result
-- Records what one rule found in a message sent to the AI, once per (message, rule) for the assistant.
insert into pii_detection_results (distributor_id, message_id, rule_id, pii_type, match_count, context)
select cast(:distributor_id as uuid), cast(:message_id as bigint), cast(:rule_id as bigint),
       cast(:pii_type as text), cast(:match_count as integer), 'assistant'
where not exists (
    select 1 from pii_detection_results r
    where r.distributor_id = :distributor_id and r.message_id = :message_id and r.context = 'assistant'
      and r.pii_type = :pii_type and r.rule_id is not distinct from cast(:rule_id as bigint)
)

-- name: open_conversation
-- Returns the customer's most recent conversation that is not resolved, or no row.
select c.id
from conversations c
where c.distributor_id = :distributor_id and c.customer_id = :customer_id and c.status <> 'resolved'
order by c.last_message_at desc, c.id desc
limit 1

-- name: insert_conversation
-- Opens a conversation with a customer; returns its id.
insert into conversations (distributor_id, customer_id, channel)
values (:distributor_id, :customer_id, :channel)
returning id

-- name: insert_pasted_message
-- Stores a text an agent pasted for a customer as the agent's inbound entry (source 'pasted'), once per
-- conversation and text; returns its id, new or the earlier one. The conversation's last activity does not
-- move: nothing arrived from the customer, so its place in the queues stays.
with m as (
    insert into messages (distributor_id, conversation_id, direction, sender_type, source, content)
    values (:distributor_id, :conversation_id, 'inbound', 'agent', 'pasted', :content)
    on conflict (distributor_id, conversation_id, md5(content)) where source = 'pasted' do nothing
    returning id, true as created
)
select id, created from m
union all
select p.id, false from messages p
where p.distributor_id = :distributor_id and p.conversation_id = :conversation_id and p.source = 'pasted'
  and md5(p.content) = md5(cast(:content as text)) and not exists (select 1 from m)

-- name: save_reply_text
-- Stores the agent's text in a reply suggestion still pending review, keeping the model's first text.
update ai_responses
set structured = coalesce(structured, '{}'::jsonb)
                 || jsonb_build_object('model_text', coalesce(structured ->> 'model_text', content)),
    content = :content
where distributor_id = :distributor_id and id = :response_id and kind = 'reply' and status = 'pending'
returning id

-- name: insert_offline_reply
-- Adds a reply suggestion written with the offline drafter (no AI call: no tokens, no cost); returns its id.
insert into ai_responses (distributor_id, message_id, kind, content, structured, model, prompt_version,
                          input_tokens, output_tokens, cost_cents, latency_ms)
values (:distributor_id, :message_id, 'reply', :content, cast(:structured as jsonb), :model, :prompt_version,
        0, 0, 0, 0)
returning id
