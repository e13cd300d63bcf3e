-- Puts 0007's attempts table and functions back. The typed emails cannot be recovered from their hashes: the
-- email column gets the hash, so the throttle forgets the last day's attempts (it only looks back 30 minutes).
REVOKE SELECT ON alembic_version FROM ordersight_app;
DROP FUNCTION auth_accept(text, text, text);
DROP FUNCTION auth_password_hash(text);
CREATE FUNCTION auth_lookup(p_email text)
RETURNS TABLE (user_id uuid, encrypted_password text, distributor_id uuid, role text, is_active boolean,
               full_name text)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_definer text := current_setting('app.auth_definer', true);
BEGIN
    PERFORM set_config('app.auth_definer', 'on', true);
    -- lower() on both sides: Supabase stores emails lower-cased, but a hand-made row might not be
    RETURN QUERY
        SELECT u.id, u.encrypted_password::text, p.distributor_id, p.role, p.is_active, p.full_name
        FROM auth.users u
        JOIN user_profiles p ON p.id = u.id
        WHERE lower(u.email) = lower(btrim(p_email))
        LIMIT 1;
    PERFORM set_config('app.auth_definer', coalesce(v_definer, ''), true);
END $$;

GRANT EXECUTE ON FUNCTION auth_lookup(text) TO ordersight_app;
REVOKE ALL ON FUNCTION auth_lookup(text) FROM PUBLIC;

DROP FUNCTION operator_names();
DROP FUNCTION platform_security_events(timestamptz, timestamptz, integer);
DROP TABLE platform_security_log;
ALTER TABLE auth_login_attempts ADD COLUMN email text;
UPDATE auth_login_attempts SET email = email_hash;
ALTER TABLE auth_login_attempts ALTER COLUMN email SET NOT NULL;
ALTER TABLE auth_login_attempts DROP COLUMN email_hash;
CREATE INDEX ON auth_login_attempts (email, attempted_at DESC);

CREATE OR REPLACE FUNCTION auth_throttle(p_email text, p_client text) RETURNS TABLE (until timestamptz, scope text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH mine AS (
        SELECT attempted_at, outcome, client FROM auth_login_attempts
        WHERE email = lower(btrim(p_email)) AND attempted_at > now() - interval '30 minutes'
    ), failures AS (
        -- failures since the email's last successful sign-in, from anywhere (the account's backoff)
        SELECT attempted_at, client FROM mine
        WHERE outcome = 'failed'
          AND attempted_at > coalesce((SELECT max(attempted_at) FROM mine WHERE outcome IN ('success', 'sso')),
                                      '-infinity')
    ), pair AS (
        -- this client's failures since its own last success (the owner signing in elsewhere lifts nothing)
        SELECT attempted_at,
               count(*) OVER (ORDER BY attempted_at
                              RANGE BETWEEN interval '15 minutes' PRECEDING AND CURRENT ROW) AS n
        FROM mine
        WHERE outcome = 'failed' AND client = coalesce(p_client, '')
          AND attempted_at > coalesce((SELECT max(attempted_at) FROM mine WHERE outcome IN ('success', 'sso')
                                         AND client = coalesce(p_client, '')), '-infinity')
    ), recent AS (
        SELECT count(*) AS n, max(attempted_at) AS last FROM failures
        WHERE attempted_at > now() - interval '15 minutes'
    ), device AS (
        SELECT count(*) AS n, max(attempted_at) AS last FROM auth_login_attempts
        WHERE client = coalesce(p_client, '') AND client <> '' AND outcome = 'failed'
          AND attempted_at > now() - interval '15 minutes'
    ), rules AS (
        SELECT max(attempted_at) + interval '15 minutes' AS until, 'device' AS scope FROM pair WHERE n >= 5
        UNION ALL
        SELECT last + interval '15 minutes', 'device' FROM device WHERE n >= 20
        UNION ALL
        SELECT last + make_interval(secs => least(5 * power(2, n - 5), 30)), 'account' FROM recent WHERE n >= 5
    )
    SELECT until, scope FROM rules WHERE until > now() ORDER BY until DESC LIMIT 1
$$;

-- Records one attempt with its client, and when the email is a user's the matching security_audit_log row in
-- that user's distributor (login_success / login_failed / lockout / sso_login). The user is found from the
-- email here, not taken from the caller: a caller cannot write into another user's or tenant's log. Never
-- receives the password.
CREATE OR REPLACE FUNCTION auth_record_attempt(p_email text, p_outcome text, p_details jsonb, p_client text)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_definer text := current_setting('app.auth_definer', true);
    v_tenant text := current_setting('app.current_distributor_id', true);
    v_distributor uuid;
    v_user uuid;
BEGIN
    INSERT INTO auth_login_attempts (email, outcome, client)
    VALUES (lower(btrim(p_email)), p_outcome, coalesce(p_client, ''));
    -- only the last half hour decides (the trail itself is security_audit_log): keep the table small
    DELETE FROM auth_login_attempts WHERE attempted_at < now() - interval '1 day';
    PERFORM set_config('app.auth_definer', 'on', true);
    SELECT p.id, p.distributor_id INTO v_user, v_distributor
    FROM auth.users u JOIN user_profiles p ON p.id = u.id
    WHERE lower(u.email) = lower(btrim(p_email)) LIMIT 1;
    IF v_distributor IS NOT NULL THEN
        PERFORM set_config('app.current_distributor_id', v_distributor::text, true);
        INSERT INTO security_audit_log (distributor_id, user_id, event, details)
        VALUES (v_distributor, v_user,
                CASE p_outcome WHEN 'success' THEN 'login_success' WHEN 'failed' THEN 'login_failed'
                               WHEN 'locked' THEN 'lockout' ELSE 'sso_login' END,
                coalesce(p_details, '{}') || jsonb_build_object('email', lower(btrim(p_email)))
                    || CASE WHEN coalesce(p_client, '') = '' THEN '{}'::jsonb
                            ELSE jsonb_build_object('ip', p_client) END);
    END IF;
    PERFORM set_config('app.auth_definer', coalesce(v_definer, ''), true);
    PERFORM set_config('app.current_distributor_id', coalesce(v_tenant, ''), true);
END $$;

DROP FUNCTION auth_email_hash(text);
