-- name: password_hash
-- The bcrypt hash of the user behind an email, nothing else (SECURITY DEFINER: before any tenant); NULL: unknown.
select auth_password_hash(:email) as encrypted_password

-- name: accept
-- After the password matched (method 'password') or the identity provider vouched ('sso'): the user's id,
-- distributor and active flag, recorded in their tenant's log as it is returned (sign-in, or refusal when
-- inactive). No row: unknown email.
select user_id, distributor_id, is_active from auth_accept(:email, :method, :client)

-- name: throttle
-- When sign-in for this email from this client may be tried again and why ('device' / 'account'); no row: now.
select until, scope from auth_throttle(:email, :client)

-- name: record_attempt
-- Counts one sign-in attempt and, when the email is a user's, writes its security_audit_log row.
select auth_record_attempt(:email, :outcome, cast(:details as jsonb), :client)

-- name: user_context
-- The profile, distributor and permissions a signed-in user carries (tenant scope of the user's distributor).
select p.id, p.email, p.full_name, p.role, p.distributor_id, d.name as distributor_name, d.timezone,
       btrim(d.currency) as currency,
       array(select r.permission from role_permissions r where r.role = p.role order by 1) as permissions
from user_profiles p
join distributors d on d.id = p.distributor_id
where p.distributor_id = :distributor_id and p.id = :user_id

-- name: start_session
-- Opens a user_sessions row and stamps the profile's last sign-in; returns the session id.
with signed_in as (
    update user_profiles set last_sign_in_at = now()
    where distributor_id = :distributor_id and id = :user_id
)
insert into user_sessions (distributor_id, user_id, token_hash, user_agent, expires_at)
values (:distributor_id, :user_id, :token_hash, :user_agent, now() + make_interval(secs => :absolute_s))
returning id

-- name: end_session
-- Closes a session with its reason; returns its id, or nothing if it was already closed.
update user_sessions set ended_at = now(), end_reason = :reason
where distributor_id = :distributor_id and id = :session_id and ended_at is null
returning id

-- name: operator_distributors
-- Every distributor (id, name, timezone, currency) when the scope's user is an active operator; else none.
select id, name, timezone, currency from operator_distributors()

-- name: switch_tenant
-- Logs an operator's switch in both distributors; returns the target (id, name, timezone, currency).
select id, name, timezone, currency
from auth_switch_tenant(cast(:from_id as uuid), cast(:to_id as uuid))

-- name: resolve_session
-- The session behind a cookie's token hash with the user's current role and permissions (SECURITY DEFINER:
-- runs before a tenant is known; closes an idle, expired or deactivated session itself). No row: unknown.
select status, session_id, user_id, distributor_id, email, full_name, role, distributor_name, timezone, currency,
       permissions
from auth_resolve_session(:token_hash, :idle_s)

-- name: close_stale_sessions
-- Closes every open session past its idle limit or absolute expiry, in every distributor; returns how many.
select auth_close_stale_sessions(:idle_s)

-- name: platform_security_events
-- Failed sign-ins and lockouts for emails that are no user's, :t0 to :t1, newest first (at most :limit):
-- created_at, event, email (NULL unless shaped like an address), email_hash, client, details. Operators only.
select created_at, event, email, email_hash, client, details
from platform_security_events(:t0, :t1, :limit)
