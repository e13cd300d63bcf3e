DROP INDEX data_access_audit_settings;
DROP INDEX messages_lookup;
DROP INDEX data_access_audit_period;
CREATE INDEX ON data_access_audit (distributor_id, created_at DESC);
DROP INDEX orders_period;
CREATE INDEX ON orders (distributor_id, created_at DESC);
DROP INDEX ai_responses_period;
CREATE INDEX ON ai_responses (distributor_id, created_at);

ALTER FUNCTION get_current_user_id() PARALLEL UNSAFE;
ALTER FUNCTION get_current_distributor_id() PARALLEL UNSAFE;

DROP FUNCTION search_conversations(text);
DROP INDEX messages_tenant_search;
CREATE INDEX messages_content_search ON messages USING gin (content_tsv);
DROP FUNCTION tenant_tsquery(uuid, tsquery);
DROP FUNCTION tenant_lexemes(uuid, tsvector);
DROP FUNCTION search_key(uuid);
