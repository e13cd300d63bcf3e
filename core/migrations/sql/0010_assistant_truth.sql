-- What the Assistant writes says who did it (issue 14).

-- A text an agent pasted on the Assistant is the agent's entry of what a customer said elsewhere, not a message
-- the customer sent through a channel: metrics, queues and the thread tell the two apart by this column.
ALTER TABLE messages ADD COLUMN source text NOT NULL DEFAULT 'channel' CHECK (source IN ('channel', 'pasted'));
-- The same text pasted again into one conversation is the same message (insert ... on conflict do nothing).
CREATE UNIQUE INDEX messages_pasted_once ON messages (distributor_id, conversation_id, md5(content))
    WHERE source = 'pasted';

-- Who drafted an order a person confirmed: the AI model ('ai') or the rule-based offline drafter; NULL when
-- nobody drafted it (typed by a person, or sent by an integration). source stays the platform's ai / manual /
-- integration: an offline draft a person confirmed is 'manual', so "created by AI" counts only the model's.
ALTER TABLE orders ADD COLUMN drafted_by text CHECK (drafted_by IN ('ai', 'offline_drafter'));

-- Orders the Assistant created before this migration were all labelled 'ai'; the model's drafts are the
-- ones with an order-extraction response (not the offline drafter's) on their source message.
UPDATE orders o SET drafted_by = CASE WHEN EXISTS (
        SELECT 1 FROM ai_responses r
        WHERE r.distributor_id = o.distributor_id AND r.message_id = o.ai_source_message_id
          AND r.kind = 'order_extraction' AND r.model <> 'offline-drafter') THEN 'ai' ELSE 'offline_drafter' END
WHERE o.draft_key IS NOT NULL;
UPDATE orders SET source = 'manual' WHERE drafted_by = 'offline_drafter' AND source = 'ai';
