-- Browser sessions held in an HttpOnly cookie (core/web.py sets it; every script run resolves it).
--
-- The cookie carries a random token; the row keeps only its sha256 (token_hash, unique). Before a run knows
-- its user there is no tenant, so one SECURITY DEFINER function resolves the hash: it is the narrowest door
-- possible, as it answers only for a caller who holds the secret token itself (a hash is useless without
-- the token, and the function never returns one). It re-reads role, permissions and the active flag on every
-- call, so a deactivation or demotion takes effect on the user's next rerun, and it closes the row itself
-- when the session went idle, passed its absolute expiry or its user was deactivated.

ALTER TABLE user_sessions ADD COLUMN expires_at timestamptz;
UPDATE user_sessions SET expires_at = started_at + interval '12 hours';
-- the app sets it from ORDERSIGHT_SESSION_ABSOLUTE_HOURS; the default covers rows written by other tools
ALTER TABLE user_sessions ALTER COLUMN expires_at SET DEFAULT now() + interval '12 hours',
                          ALTER COLUMN expires_at SET NOT NULL;
CREATE UNIQUE INDEX user_sessions_token_hash ON user_sessions (token_hash);
-- the cleanup's scan: only open rows
CREATE INDEX user_sessions_open ON user_sessions (last_seen_at) WHERE ended_at IS NULL;

ALTER TABLE security_audit_log DROP CONSTRAINT security_audit_log_event_check;
ALTER TABLE security_audit_log ADD CONSTRAINT security_audit_log_event_check
    CHECK (event IN ('login_success', 'login_failed', 'lockout', 'logout', 'session_expired', 'session_revoked',
                     'tenant_switch', 'permission_denied', 'sso_login', 'password_changed'));

CREATE POLICY auth_definer_read ON user_sessions FOR SELECT TO CURRENT_USER
    USING (current_setting('app.auth_definer', true) = 'on');

-- The session behind a token hash, as one row: status 'ok' with the user's current profile, role,
-- permissions and home distributor; 'ended' for a closed session; 'expired' (idle or absolute) or 'revoked'
-- (user deactivated) when this call closed it, with a session_expired / session_revoked audit row.
-- No row: no such token.
CREATE FUNCTION auth_resolve_session(p_token_hash text, p_idle_s double precision)
RETURNS TABLE (status text, session_id bigint, user_id uuid, distributor_id uuid, email text, full_name text,
               role text, distributor_name text, timezone text, currency text, permissions text[])
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_definer text := current_setting('app.auth_definer', true);
    v_tenant text := current_setting('app.current_distributor_id', true);
    s record;
    v_status text;
BEGIN
    PERFORM set_config('app.auth_definer', 'on', true);
    SELECT us.id, us.distributor_id, us.user_id, us.ended_at, us.expires_at, us.last_seen_at,
           p.email AS p_email, p.full_name AS p_name, p.role AS p_role, p.is_active,
           d.name AS d_name, d.timezone AS d_tz, btrim(d.currency)::text AS d_currency
      INTO s
      FROM user_sessions us
      JOIN user_profiles p ON p.distributor_id = us.distributor_id AND p.id = us.user_id
      JOIN distributors d ON d.id = us.distributor_id
     WHERE us.token_hash = p_token_hash;
    IF FOUND THEN
        v_status := CASE WHEN s.ended_at IS NOT NULL THEN 'ended'
                         WHEN NOT s.is_active THEN 'revoked'
                         WHEN s.expires_at <= now() THEN 'expired'
                         WHEN s.last_seen_at < now() - make_interval(secs => p_idle_s) THEN 'expired'
                         ELSE 'ok' END;
        PERFORM set_config('app.current_distributor_id', s.distributor_id::text, true);
        IF v_status IN ('expired', 'revoked') THEN
            UPDATE user_sessions SET ended_at = now(), end_reason = v_status
             WHERE user_sessions.distributor_id = s.distributor_id AND id = s.id;
            INSERT INTO security_audit_log (distributor_id, user_id, event, details)
            VALUES (s.distributor_id, s.user_id, 'session_' || v_status,
                    jsonb_build_object('session_id', s.id,
                                       'cause', CASE WHEN v_status = 'revoked' THEN 'deactivated'
                                                     WHEN s.expires_at <= now() THEN 'absolute' ELSE 'idle' END));
        ELSIF v_status = 'ok' AND s.last_seen_at < now() - interval '1 minute' THEN
            -- seen at most once a minute: a rerun per click must not mean a write per click
            UPDATE user_sessions SET last_seen_at = now()
             WHERE user_sessions.distributor_id = s.distributor_id AND id = s.id;
        END IF;
        RETURN QUERY SELECT v_status, s.id, s.user_id, s.distributor_id, s.p_email, s.p_name, s.p_role, s.d_name,
                            s.d_tz, s.d_currency,
                            CASE WHEN v_status = 'ok' THEN array(SELECT r.permission FROM role_permissions r
                                                                 WHERE r.role = s.p_role ORDER BY 1)
                                 ELSE '{}'::text[] END;
    END IF;
    PERFORM set_config('app.auth_definer', coalesce(v_definer, ''), true);
    PERFORM set_config('app.current_distributor_id', coalesce(v_tenant, ''), true);
END $$;

-- Closes every open session that went idle or passed its absolute expiry, in every distributor (run by each
-- sign-in, so rows of users who never come back do not stay open). Returns how many it closed.
CREATE FUNCTION auth_close_stale_sessions(p_idle_s double precision) RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_definer text := current_setting('app.auth_definer', true);
    v_tenant text := current_setting('app.current_distributor_id', true);
    v_d uuid;
    v_n integer := 0;
    v_rows integer;
BEGIN
    PERFORM set_config('app.auth_definer', 'on', true);
    FOR v_d IN SELECT DISTINCT us.distributor_id FROM user_sessions us
                WHERE us.ended_at IS NULL
                  AND (us.last_seen_at < now() - make_interval(secs => p_idle_s) OR us.expires_at <= now()) LOOP
        PERFORM set_config('app.current_distributor_id', v_d::text, true);
        UPDATE user_sessions SET ended_at = now(), end_reason = 'expired'
         WHERE distributor_id = v_d AND ended_at IS NULL
           AND (last_seen_at < now() - make_interval(secs => p_idle_s) OR expires_at <= now());
        GET DIAGNOSTICS v_rows = ROW_COUNT;
        v_n := v_n + v_rows;
    END LOOP;
    PERFORM set_config('app.auth_definer', coalesce(v_definer, ''), true);
    PERFORM set_config('app.current_distributor_id', coalesce(v_tenant, ''), true);
    RETURN v_n;
END $$;

REVOKE ALL ON FUNCTION auth_resolve_session(text, double precision), auth_close_stale_sessions(double precision)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_resolve_session(text, double precision), auth_close_stale_sessions(double precision)
    TO ordersight_app;
