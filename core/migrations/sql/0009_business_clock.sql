-- Business time (when orders, messages, reviews, AI usage, alerts and audit rows happen) reads app_now(): the
-- real clock moved by the ordersight.clock_offset setting in seconds. Only the calendar test runs set it
-- (ORDERSIGHT_CLOCK_OFFSET, see core/clock.py), so the demo data, the pages and these timestamps all live on
-- the same moved date. Session, sign-in throttle and rate-limit timers measure real elapsed time: they keep now().
CREATE FUNCTION app_now() RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT now() + make_interval(secs => coalesce(
        nullif(current_setting('ordersight.clock_offset', true), '')::double precision, 0))
$$;

DO $$
DECLARE c record;
BEGIN
    FOR c IN SELECT table_schema, table_name, column_name FROM information_schema.columns
             WHERE table_schema IN ('public', 'auth') AND column_default = 'now()'
               AND table_name NOT IN ('user_sessions', 'auth_login_attempts', 'api_rate_limits') LOOP
        EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I SET DEFAULT app_now()',
                       c.table_schema, c.table_name, c.column_name);
    END LOOP;
END $$;
