-- Performance at scale (issue 7; measurements in bench/README.md).

-- ---------------------------------------------------------------- full-text search under RLS
-- Two problems with the GIN index of 0001 on messages.content_tsv:
-- * Under row level security PostgreSQL evaluates a query's own conditions only after the policy's, unless
--   they are leakproof, and `tsvector @@ tsquery` is not: as ordersight_app no index could answer a search,
--   and every search read all of the tenant's messages.
-- * Even where it can be used, one index over every tenant's words makes a small tenant's search read the
--   posting list of a common word for all tenants (18 ms for 'gracias' with 300 orders among 300,000;
--   0.2 ms alone). A tenant's search must cost what its own data costs.
-- So the index is replaced by one over tenant-keyed words ("d1fff8b5:gracias"): each tenant's words have
-- their own posting lists. search_conversations() asks it as its owner (the migrating role: a superuser on
-- the embedded server, BYPASSRLS on Supabase), where the index is usable, and does the policy's work
-- itself: it only returns conversations of the tenant the caller's transaction is scoped to (none when
-- unset). If the owner does not bypass RLS the policy still applies inside: results stay right, only slower.

-- The key a tenant's words are prefixed with: the first 8 hex digits of its id. Two tenants sharing them
-- would only share posting lists (slower), never results: the exact match and the tenant are checked again.
CREATE FUNCTION search_key(p_distributor uuid) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN left(replace(p_distributor::text, '-', ''), 8) || ':';

-- A message's words, each prefixed with its tenant's key (no positions: the index only finds candidates).
CREATE FUNCTION tenant_lexemes(p_distributor uuid, p_doc tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN array_to_tsvector(array(SELECT search_key(p_distributor) || u.lexeme FROM unnest(p_doc) u));

-- The candidate query of a search: its indexable part (querytree() drops negations, which an index cannot
-- answer), phrases loosened to AND, words prefixed with the tenant's key. Every message matching the search
-- matches its candidate query. NULL when nothing is indexable (only negations, or no words at all).
CREATE FUNCTION tenant_tsquery(p_distributor uuid, p_query tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (SELECT string_agg(CASE WHEN t.tok[1] LIKE '''%' THEN '''' || search_key(p_distributor) || substr(t.tok[1], 2)
                               WHEN t.tok[1] LIKE '<%' THEN '&'
                               ELSE t.tok[1] END, ' ' ORDER BY t.n)::tsquery
        -- the tokens of the query's text: a quoted word ('' escapes a quote), a phrase operator, & | ! ( )
        FROM regexp_matches(nullif(querytree(p_query), 'T'), '''(?:[^'']|'''')*''|<(?:-|[0-9]+)>|[&|!()]', 'g')
             WITH ORDINALITY AS t(tok, n));

DROP INDEX messages_content_search;
CREATE INDEX messages_tenant_search ON messages USING gin (tenant_lexemes(distributor_id, content_tsv));

-- The current tenant's conversations with a message matching `p_query` (web search syntax, read by
-- websearch_to_tsquery('simple', ...) as the 0001 column was built).
CREATE FUNCTION search_conversations(p_query text) RETURNS TABLE (conversation_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
-- no parallel workers: starting them costs ~10 ms, more than a precise search takes (0.4 ms), and the
-- negation-only branch would start them even when it is skipped
SET max_parallel_workers_per_gather = 0
ROWS 200
AS $$
    SELECT m.conversation_id
    FROM messages m
    WHERE tenant_lexemes(m.distributor_id, m.content_tsv)
              @@ tenant_tsquery(get_current_distributor_id(), websearch_to_tsquery('simple', p_query))
      AND m.distributor_id = get_current_distributor_id()
      AND m.content_tsv @@ websearch_to_tsquery('simple', p_query)
    UNION
    -- only negations ("-hello"): no index can narrow it down, the tenant's messages are read
    SELECT m.conversation_id
    FROM messages m
    WHERE tenant_tsquery(get_current_distributor_id(), websearch_to_tsquery('simple', p_query)) IS NULL
      AND numnode(websearch_to_tsquery('simple', p_query)) > 0
      AND m.distributor_id = get_current_distributor_id()
      AND m.content_tsv @@ websearch_to_tsquery('simple', p_query)
$$;
REVOKE ALL ON FUNCTION search_conversations(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_conversations(text) TO ordersight_app;

-- ---------------------------------------------------------------- parallel query under RLS
-- Every policy calls get_current_distributor_id(). A function is PARALLEL UNSAFE unless it says otherwise,
-- and one unsafe call anywhere keeps the whole query on one process: as ordersight_app no page query could
-- use parallel workers, while the same query as the owner did (orders_kpis, last 30 days: 287 ms as the app
-- role, 35 ms as the owner). Both functions only read settings (current_setting is parallel safe, and
-- workers start with the leader's settings, app.* included), so they are safe.
ALTER FUNCTION get_current_distributor_id() PARALLEL SAFE;
ALTER FUNCTION get_current_user_id() PARALLEL SAFE;

-- ---------------------------------------------------------------- indexes the page queries read
-- The dashboards aggregate a period of one tenant's rows. With the period index of 0001 each row costs a
-- heap visit; these replace it with the same key carrying the columns the aggregates read, so a year of a
-- busy tenant is read from the index alone (review metrics over a year: 700 ms -> 210 ms in PostgreSQL).
DROP INDEX ai_responses_distributor_id_created_at_idx;
CREATE INDEX ai_responses_period ON ai_responses (distributor_id, created_at)
    INCLUDE (message_id, model, prompt_version, kind, status, latency_ms, confidence, reviewed_at, cost_cents);

DROP INDEX orders_distributor_id_created_at_idx;
CREATE INDEX orders_period ON orders (distributor_id, created_at DESC)
    INCLUDE (status, source, total_cents, customer_id, ai_source_message_id);

DROP INDEX data_access_audit_distributor_id_created_at_idx;
CREATE INDEX data_access_audit_period ON data_access_audit (distributor_id, created_at DESC)
    INCLUDE (user_id, action, resource, record_count);

-- AI responses and orders look up the message they answer / came from by id, for its time and conversation.
CREATE INDEX messages_lookup ON messages (distributor_id, id) INCLUDE (conversation_id, created_at);

-- The budget history reads the settings changes among all of a tenant's audit rows.
CREATE INDEX data_access_audit_settings ON data_access_audit (distributor_id, created_at)
    WHERE action = 'settings_change';
