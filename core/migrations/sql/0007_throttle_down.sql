-- Puts 0002's email-only lockout back.
DROP FUNCTION IF EXISTS auth_throttle(text, text), auth_record_attempt(text, text, jsonb, text);
CREATE FUNCTION auth_locked_until(p_email text) RETURNS timestamptz
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH attempts AS (
        -- a lock still running began with a failure at most 15 minutes old, whose window opened
        -- at most 15 minutes before it
        SELECT attempted_at, outcome FROM auth_login_attempts
        WHERE email = lower(btrim(p_email)) AND attempted_at > now() - interval '30 minutes'
    ), failures AS (
        SELECT attempted_at,
               count(*) OVER (ORDER BY attempted_at
                              RANGE BETWEEN interval '15 minutes' PRECEDING AND CURRENT ROW) AS n
        FROM attempts
        WHERE outcome = 'failed'
          AND attempted_at > coalesce((SELECT max(attempted_at) FROM attempts WHERE outcome IN ('success', 'sso')),
                                      '-infinity')
    )
    SELECT max(attempted_at) + interval '15 minutes' FROM failures
    WHERE n >= 5 AND attempted_at + interval '15 minutes' > now()
$$;

CREATE FUNCTION auth_record_attempt(p_email text, p_outcome text, p_user_id uuid, p_details jsonb)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_definer text := current_setting('app.auth_definer', true);
    v_tenant text := current_setting('app.current_distributor_id', true);
    v_distributor uuid;
BEGIN
    INSERT INTO auth_login_attempts (email, outcome) VALUES (lower(btrim(p_email)), p_outcome);
    -- only the last half hour decides a lock (the trail itself is security_audit_log): keep the table small
    DELETE FROM auth_login_attempts
    WHERE email = lower(btrim(p_email)) AND attempted_at < now() - interval '1 day';
    PERFORM set_config('app.auth_definer', 'on', true);
    SELECT p.distributor_id INTO v_distributor FROM user_profiles p WHERE p.id = p_user_id;
    IF v_distributor IS NOT NULL THEN
        PERFORM set_config('app.current_distributor_id', v_distributor::text, true);
        INSERT INTO security_audit_log (distributor_id, user_id, event, details)
        VALUES (v_distributor, p_user_id,
                CASE p_outcome WHEN 'success' THEN 'login_success' WHEN 'failed' THEN 'login_failed'
                               WHEN 'locked' THEN 'lockout' ELSE 'sso_login' END,
                coalesce(p_details, '{}') || jsonb_build_object('email', lower(btrim(p_email))));
    END IF;
    PERFORM set_config('app.auth_definer', coalesce(v_definer, ''), true);
    PERFORM set_config('app.current_distributor_id', coalesce(v_tenant, ''), true);
END $$;

REVOKE ALL ON FUNCTION auth_locked_until(text), auth_record_attempt(text, text, uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_locked_until(text), auth_record_attempt(text, text, uuid, jsonb) TO ordersight_app;
DROP INDEX IF EXISTS auth_login_attempts_client_attempted_at_idx;
ALTER TABLE auth_login_attempts DROP COLUMN client;
