-- Drops everything 0002 created.
DROP FUNCTION IF EXISTS auth_lookup(text), auth_locked_until(text), auth_record_attempt(text, text, uuid, jsonb),
    operator_distributors(uuid), auth_switch_tenant(uuid, uuid, uuid);
DROP POLICY IF EXISTS auth_definer_read ON user_profiles;
DROP POLICY IF EXISTS auth_definer_read ON distributors;
DROP TABLE IF EXISTS auth_login_attempts;
