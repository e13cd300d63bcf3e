-- Drops what 0006 created and puts the old constraints back.
DROP FUNCTION IF EXISTS auth_resolve_session(text, double precision), auth_close_stale_sessions(double precision);
DROP POLICY IF EXISTS auth_definer_read ON user_sessions;
ALTER TABLE security_audit_log DROP CONSTRAINT security_audit_log_event_check;
ALTER TABLE security_audit_log ADD CONSTRAINT security_audit_log_event_check
    CHECK (event IN ('login_success', 'login_failed', 'lockout', 'logout', 'session_expired', 'tenant_switch',
                     'permission_denied', 'sso_login', 'password_changed')) NOT VALID;
DROP INDEX IF EXISTS user_sessions_open;
DROP INDEX IF EXISTS user_sessions_token_hash;
ALTER TABLE user_sessions DROP COLUMN expires_at;
