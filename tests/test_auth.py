"""services.auth on a real database: sign-in, lockout, sessions and idle expiry, sign-out, SSO mapping, the
operator's tenant switch, and the SECURITY DEFINER functions of migration 0002."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import bcrypt
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from core import db
from core.config import get_settings
from queries import auth as q
from services import auth
from tests import factories as f

PASSWORD = f.PASSWORD


@pytest.fixture
def fresh(clean_db):
    """clean_db plus the platform table of login attempts (keyed by email, not by tenant)."""
    with clean_db.begin() as conn:
        conn.exec_driver_sql("TRUNCATE auth_login_attempts")
    return clean_db


def _one_user(engine, role="admin", **kwargs):
    with engine.begin() as conn:
        d = f.distributor(conn, "Acme Drinks", tz="Europe/Madrid", currency="EUR")
        email = kwargs.pop("email", f"{role}@acme.test")
        uid = f.user(conn, d, role, email=email, full_name="Ana Admin", **kwargs)
    return str(d), str(uid), email


def _events(engine, distributor_id=None):
    sql = "select distributor_id::text, user_id::text, event, details from security_audit_log"
    with engine.connect() as conn:
        rows = conn.execute(text(sql + " order by id")).all()
    return [r for r in rows if distributor_id is None or r[0] == distributor_id]


def _age_attempts(engine, minutes: float) -> None:
    with engine.begin() as conn:
        conn.execute(text("update auth_login_attempts "
                          "set attempted_at = attempted_at - make_interval(secs => :m * 60)"), {"m": minutes})


def test_sign_in_opens_a_session_and_logs_success(fresh):
    d, uid, email = _one_user(fresh, "manager")
    signed = auth.sign_in("  Manager@Acme.TEST ", PASSWORD, user_agent="pytest")
    u = signed.user
    assert (u.id, u.email, u.role, u.distributor_id, u.home_distributor_id) == (uid, email, "manager", d, d)
    assert (u.distributor_name, u.timezone, u.currency) == ("Acme Drinks", "Europe/Madrid", "EUR")
    assert u.full_name == "Ana Admin"
    assert u.permissions == {"view_orders", "view_conversations", "review_ai", "view_ai_costs", "export_data"}
    with fresh.connect() as conn:
        s = conn.execute(text("select id, distributor_id::text, user_id::text, token_hash, user_agent, "
                              "ended_at from user_sessions")).one()
        signed_at = conn.execute(text("select last_sign_in_at from user_profiles")).scalar_one()
    assert (s.id, s.distributor_id, s.user_id) == (u.session_id, d, uid)
    assert (s.user_agent, s.ended_at) == ("pytest", None)
    assert s.token_hash == hashlib.sha256(signed.token.encode()).hexdigest()
    assert signed_at is not None
    [event] = _events(fresh)
    assert event[:3] == (d, uid, "login_success")
    assert event[3] == {"email": email, "method": "password"}


def test_wrong_password_is_refused_and_logged_without_the_password(fresh):
    d, uid, _ = _one_user(fresh)
    with pytest.raises(auth.InvalidCredentials, match="Wrong email or password"):
        auth.sign_in("admin@acme.test", "hunter2-secret")
    [event] = _events(fresh)
    assert event[:3] == (d, uid, "login_failed")
    assert event[3]["reason"] == "bad_password"
    assert "hunter2" not in str(event[3])
    with fresh.connect() as conn:
        assert conn.execute(text("select count(*) from user_sessions")).scalar_one() == 0


def test_supabase_2a_hashes_verify():
    hashed = bcrypt.hashpw(b"pa55", bcrypt.gensalt(rounds=4)).decode().replace("$2b$", "$2a$", 1)
    assert auth.password_matches("pa55", hashed)
    assert not auth.password_matches("pa56", hashed)
    assert not auth.password_matches("pa55", None)
    assert not auth.password_matches("pa55", "not a hash")
    # bcrypt reads 72 bytes: longer passwords are compared on those, not refused with an error
    long_hash = bcrypt.hashpw(b"x" * 72, bcrypt.gensalt(rounds=4)).decode()
    assert auth.password_matches("x" * 80, long_hash)


def test_sixth_attempt_is_locked_even_with_the_right_password(fresh):
    d, uid, email = _one_user(fresh)
    for _ in range(5):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(email, "wrong")
    with pytest.raises(auth.AccountLocked, match="locked"):
        auth.sign_in(email, PASSWORD)
    assert [e[2] for e in _events(fresh)] == ["login_failed"] * 5 + ["lockout"]
    # refused attempts do not extend the lock: 15 minutes after the 5th failure it is over
    with pytest.raises(auth.AccountLocked):
        auth.sign_in(email, PASSWORD)
    _age_attempts(fresh, 15.5)
    assert auth.sign_in(email, PASSWORD).user.id == uid


def test_failures_spread_over_more_than_15_minutes_do_not_lock(fresh):
    _, uid, email = _one_user(fresh)
    for _ in range(4):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(email, "wrong")
    _age_attempts(fresh, 16)
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in(email, "wrong")
    assert auth.sign_in(email, PASSWORD).user.id == uid


def test_a_successful_sign_in_resets_the_count(fresh):
    _, uid, email = _one_user(fresh)
    for _ in range(4):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(email, "wrong")
    auth.sign_in(email, PASSWORD)
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in(email, "wrong")
    assert auth.sign_in(email, PASSWORD).user.id == uid


def test_unknown_emails_are_counted_and_logged_in_no_tenants_log(fresh):
    _one_user(fresh)
    for _ in range(5):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in("nobody@acme.test", "guess")
    with pytest.raises(auth.AccountLocked):
        auth.sign_in("NOBODY@acme.test", "guess")
    assert _events(fresh) == []
    with fresh.connect() as conn:
        outcomes = conn.execute(text("select outcome, count(*) from auth_login_attempts group by 1")).all()
        platform = conn.execute(text("select event, count(*) from platform_security_log group by 1")).all()
    assert dict(outcomes) == {"failed": 5, "locked": 1}
    # the operator's platform log has them (tests/test_audit_gaps.py)
    assert dict(platform) == {"login_failed": 5, "lockout": 1}


def test_attempts_older_than_a_day_are_dropped_for_every_email_on_the_next_attempt(fresh):
    with fresh.begin() as conn:
        conn.execute(text("insert into auth_login_attempts (email_hash, outcome, attempted_at) values "
                          "(auth_email_hash('old@acme.test'), 'failed', now() - interval '25 hours'), "
                          "(auth_email_hash('old@acme.test'), 'failed', now() - interval '23 hours'), "
                          "(auth_email_hash('other@acme.test'), 'failed', now() - interval '25 hours')"))
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in("old@acme.test", "guess")
    with fresh.connect() as conn:
        left = conn.execute(text("select email_hash, count(*) from auth_login_attempts group by 1")).all()
    # the typed emails' hashes (migration 0012) do not stay forever either, whoever never comes back
    assert dict(left) == {hashlib.sha256(b"old@acme.test").hexdigest(): 2}


def test_someone_elses_failures_do_not_lock_the_owner_out(fresh):
    # issue 12, finding 5: five wrong passwords from anywhere locked the account for everyone, forever
    _, uid, email = _one_user(fresh)
    for _ in range(5):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(email, "wrong", client="198.51.100.7")
    with pytest.raises(auth.AccountLocked, match="from this device") as locked:
        auth.sign_in(email, PASSWORD, client="198.51.100.7")  # the attacker's device is locked
    assert locked.value.scope == "device"
    # the owner, elsewhere, waits out the account's short backoff (5 s after the 5th failure), no more
    with pytest.raises(auth.AccountLocked, match=r"wait \d seconds") as backoff:
        auth.sign_in(email, PASSWORD, client="203.0.113.20")
    assert backoff.value.scope == "account"
    _age_attempts(fresh, 0.1)
    assert auth.sign_in(email, PASSWORD, client="203.0.113.20").user.id == uid
    with pytest.raises(auth.AccountLocked):  # the attacker's device stays locked for its 15 minutes
        auth.sign_in(email, PASSWORD, client="198.51.100.7")


def test_failures_from_many_devices_slow_the_account_down_exponentially_up_to_30_seconds(fresh):
    _, uid, email = _one_user(fresh)
    waits = []
    for n in range(1, 11):
        _age_attempts(fresh, 1)  # each try after the previous wait, all within the 15-minute window
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(email, "wrong", client=f"198.51.100.{n}")
        with db.app_scope() as conn:
            row = q.throttle(conn, email=email, client=f"198.51.100.{n}")
        waits.append(0 if row is None else (row.until - datetime.now(UTC)).total_seconds())
    expected = [0, 0, 0, 0, 5, 10, 20, 30, 30, 30]
    assert all(e - 3 < w <= e for w, e in zip(waits, expected, strict=True)), waits
    _age_attempts(fresh, 0.6)
    assert auth.sign_in(email, PASSWORD, client="203.0.113.20").user.id == uid


def test_one_device_spraying_many_emails_is_locked(fresh):
    _one_user(fresh)
    for n in range(20):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(f"guess{n}@acme.test", "password1", client="198.51.100.9")
    with pytest.raises(auth.AccountLocked, match="from this device"):
        auth.sign_in("admin@acme.test", PASSWORD, client="198.51.100.9")
    assert auth.sign_in("admin@acme.test", PASSWORD, client="203.0.113.20")


def test_inactive_user_cannot_sign_in(fresh):
    d, uid, email = _one_user(fresh, active=False)
    with pytest.raises(auth.AccountInactive, match="deactivated"):
        auth.sign_in(email, PASSWORD)
    # without the right password, nothing tells the account exists but is inactive
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in(email, "wrong")
    assert [(e[2], e[3]["reason"]) for e in _events(fresh)] == [("login_failed", "inactive"),
                                                                ("login_failed", "bad_password")]


def _move(engine, sql: str, **params):
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def test_session_is_touched_at_most_once_a_minute_and_expires_when_idle(fresh):
    d, uid, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    user, token = signed.user, signed.token

    def move_last_seen(interval: str):
        _move(fresh, "update user_sessions set last_seen_at = now() - cast(:i as interval)", i=interval)
        with fresh.connect() as conn:
            return conn.execute(text("select last_seen_at from user_sessions")).scalar_one()

    before = move_last_seen("30 seconds")
    assert auth.resolve_session(token).user == user
    with fresh.connect() as conn:
        assert conn.execute(text("select last_seen_at from user_sessions")).scalar_one() == before
    before = move_last_seen("2 minutes")
    assert auth.resolve_session(token).user == user
    with fresh.connect() as conn:
        assert conn.execute(text("select last_seen_at from user_sessions")).scalar_one() > before
    assert auth.resolve_session("someone-elses-token") == auth.Resolved(None, "ended")
    assert auth.resolve_session(None) == auth.Resolved(None)

    move_last_seen("7 hours 59 minutes")
    assert auth.resolve_session(token).user == user
    move_last_seen("8 hours 1 minute")
    assert auth.resolve_session(token) == auth.Resolved(None, "expired")
    assert auth.resolve_session(token) == auth.Resolved(None, "ended")
    with fresh.connect() as conn:
        assert conn.execute(text("select end_reason from user_sessions")).scalar_one() == "expired"
    assert [(e[2], e[3].get("cause")) for e in _events(fresh)] == [("login_success", None),
                                                                  ("session_expired", "idle")]


def test_only_the_tokens_hash_is_stored(fresh):
    _, _, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    with fresh.connect() as conn:
        stored = conn.execute(text("select token_hash from user_sessions")).scalar_one()
    assert stored == hashlib.sha256(signed.token.encode()).hexdigest() and signed.token not in stored
    assert len(signed.token) >= 40  # 32 random bytes


@pytest.fixture
def settings_env(monkeypatch):
    """Sets ORDERSIGHT_* variables for one test; the settings are read again."""
    def set_env(name: str, value: str) -> None:
        monkeypatch.setenv(name, value)
        get_settings.cache_clear()

    yield set_env
    monkeypatch.undo()
    get_settings.cache_clear()


def test_idle_limit_is_configurable(fresh, settings_env):
    _, _, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    for idle_hours, open_ in (("2", True), ("1", False)):
        settings_env("ORDERSIGHT_SESSION_IDLE_HOURS", idle_hours)
        _move(fresh, "update user_sessions set last_seen_at = now() - interval '90 minutes'")
        assert (auth.resolve_session(signed.token).user is not None) is open_


def test_absolute_expiry_defaults_to_12_hours_and_is_configurable(fresh, settings_env):
    _, _, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    with fresh.connect() as conn:
        lifetime = conn.execute(text("select expires_at - started_at from user_sessions")).scalar_one()
    assert round(lifetime.total_seconds() / 3600, 2) == 12
    # active all along (seen a minute ago), but past its absolute expiry: ended
    _move(fresh, "update user_sessions set expires_at = now() - interval '1 second',"
                 " last_seen_at = now() - interval '1 minute'")
    assert auth.resolve_session(signed.token) == auth.Resolved(None, "expired")
    assert _events(fresh)[-1][2:] == ("session_expired", {"session_id": signed.user.session_id,
                                                          "cause": "absolute"})
    settings_env("ORDERSIGHT_SESSION_ABSOLUTE_HOURS", "2")
    auth.sign_in(email, PASSWORD)
    with fresh.connect() as conn:
        lifetime = conn.execute(text("select expires_at - started_at from user_sessions"
                                     " order by id desc limit 1")).scalar_one()
    assert round(lifetime.total_seconds() / 3600, 2) == 2


def test_deactivation_and_demotion_apply_on_the_next_resolve(fresh):
    d, uid, email = _one_user(fresh, "manager")
    signed = auth.sign_in(email, PASSWORD)
    _move(fresh, "update user_profiles set role = 'support'")
    demoted = auth.resolve_session(signed.token).user
    assert demoted.role == "support" and "view_orders" not in demoted.permissions
    _move(fresh, "update user_profiles set is_active = false")
    assert auth.resolve_session(signed.token) == auth.Resolved(None, "revoked")
    with fresh.connect() as conn:
        assert conn.execute(text("select end_reason from user_sessions")).scalar_one() == "revoked"
    assert _events(fresh)[-1][1:] == (uid, "session_revoked", {"session_id": signed.user.session_id,
                                                               "cause": "deactivated"})
    _move(fresh, "update user_profiles set is_active = true")
    assert auth.resolve_session(signed.token) == auth.Resolved(None, "ended")  # no coming back


def test_stale_sessions_are_closed_by_the_next_sign_in(fresh):
    d, _, email = _one_user(fresh)
    with fresh.begin() as conn:
        f.user(conn, d, "finance", email="fin@acme.test")
    auth.sign_in(email, PASSWORD)
    auth.sign_in(email, PASSWORD)
    # the admin never came back: one session idle, one past its absolute expiry
    _move(fresh, "update user_sessions set last_seen_at = now() - interval '9 hours' where id = (select min(id)"
                 " from user_sessions)")
    _move(fresh, "update user_sessions set expires_at = now() where id = (select max(id) from user_sessions)")
    auth.sign_in("fin@acme.test", PASSWORD)
    with fresh.connect() as conn:
        rows = conn.execute(text("select ended_at is not null, end_reason from user_sessions order by id")).all()
    assert [tuple(r) for r in rows] == [(True, "expired"), (True, "expired"), (False, None)]


def test_sign_out_ends_the_session_and_logs_it(fresh):
    d, uid, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    auth.sign_out(signed.token)
    with fresh.connect() as conn:
        s = conn.execute(text("select ended_at, end_reason from user_sessions")).one()
    assert s.ended_at is not None and s.end_reason == "logout"
    assert auth.resolve_session(signed.token) == auth.Resolved(None, "ended")
    assert [e[:3] for e in _events(fresh)][-1] == (d, uid, "logout")
    auth.sign_out(signed.token)  # twice, or with an unknown token: nothing more happens
    auth.sign_out("unknown")
    assert [e[2] for e in _events(fresh)].count("logout") == 1


def test_sso_maps_active_users_only(fresh):
    d, uid, email = _one_user(fresh, "support")
    with fresh.begin() as conn:
        f.user(conn, d, "finance", email="gone@acme.test", active=False)
    signed = auth.sign_in_sso("Support@Acme.test")
    assert (signed.user.id, signed.user.role) == (uid, "support")
    with pytest.raises(auth.NotProvisioned):
        auth.sign_in_sso("stranger@elsewhere.test")
    with pytest.raises(auth.NotProvisioned):
        auth.sign_in_sso("gone@acme.test")
    events = [(e[2], e[3].get("method")) for e in _events(fresh)]
    assert events == [("sso_login", "sso"), ("login_failed", "sso")]


def _two_tenants_and_operator(engine):
    with engine.begin() as conn:
        a = f.distributor(conn, "Acme Drinks")
        b = f.distributor(conn, "Bolt Foods", tz="America/Mexico_City", currency="MXN")
        f.distributor(conn, "Cora Coffee")
        op = f.user(conn, a, "operator", email="op@platform.test")
        admin = f.user(conn, a, "admin", email="admin@acme.test")
    return str(a), str(b), str(op), str(admin)


def test_operator_lists_and_switches_distributors(fresh):
    a, b, op, _ = _two_tenants_and_operator(fresh)
    signed = auth.sign_in("op@platform.test", PASSWORD)
    user = signed.user
    assert [d.name for d in auth.list_distributors(user)] == ["Acme Drinks", "Bolt Foods", "Cora Coffee"]
    acting = auth.switch_tenant(user, b)
    assert (acting.distributor_id, acting.distributor_name, acting.timezone, acting.currency) == (
        b, "Bolt Foods", "America/Mexico_City", "MXN")
    assert (acting.home_distributor_id, acting.session_id, acting.permissions) == (a, user.session_id,
                                                                                  user.permissions)
    switches = [e for e in _events(fresh) if e[2] == "tenant_switch"]
    assert sorted(e[0] for e in switches) == sorted([a, b])
    assert all(e[1] == op and e[3] == {"from": a, "to": b} for e in switches)
    # the session still lives in the home distributor
    assert auth.resolve_session(signed.token).user == user
    with pytest.raises(LookupError):
        auth.switch_tenant(acting, "00000000-0000-0000-0000-000000000000")


def test_non_operators_cannot_switch_even_by_calling_the_database(fresh):
    a, b, _, admin_id = _two_tenants_and_operator(fresh)
    admin = auth.sign_in("admin@acme.test", PASSWORD).user
    with pytest.raises(PermissionError):
        auth.switch_tenant(admin, b)
    with pytest.raises(PermissionError):
        auth.list_distributors(admin)
    # a forged permission set does not help: the database checks the profile's role
    forged = admin.__class__(**{**admin.__dict__, "permissions": admin.permissions | {"switch_tenant"}})
    with pytest.raises(PermissionError):
        auth.switch_tenant(forged, b)
    assert auth.list_distributors(forged) == []
    assert [e for e in _events(fresh) if e[2] == "tenant_switch"] == []


def test_definer_functions_take_the_user_from_the_session_not_from_arguments(fresh):
    # issue 12, finding 6: operator_distributors(p_user_id) and auth_switch_tenant(p_user_id, ...) believed
    # any id; auth_record_attempt wrote for any user id passed in
    a, b, op, admin = _two_tenants_and_operator(fresh)
    with fresh.connect() as conn:
        gone = conn.execute(text("select to_regprocedure('operator_distributors(uuid)'),"
                                 " to_regprocedure('auth_switch_tenant(uuid, uuid, uuid)'),"
                                 " to_regprocedure('auth_record_attempt(text, text, uuid, jsonb, text)')")).one()
    assert tuple(gone) == (None, None, None)
    # the admin's session cannot borrow the operator's powers: the functions see the admin
    with db.tenant_scope(a, admin) as conn:
        assert conn.execute(text("select count(*) from operator_distributors()")).scalar_one() == 0
        with pytest.raises(DBAPIError, match="only operators"):
            conn.execute(text("select * from auth_switch_tenant(:a, :b)"), {"a": a, "b": b})
    with db.tenant_scope(a, op) as conn:
        assert conn.execute(text("select count(*) from operator_distributors()")).scalar_one() == 3
    # an attempt is logged for the user the email belongs to, whoever calls
    with db.app_scope() as conn:
        conn.execute(text("select auth_record_attempt('admin@acme.test', 'failed', '{}', '')"))
    assert [e[:3] for e in _events(fresh)] == [(a, admin, "login_failed")]


def test_definer_functions_leave_the_callers_tenant_alone(fresh):
    a, b, op, _ = _two_tenants_and_operator(fresh)
    with db.tenant_scope(b) as conn:
        conn.execute(text("select auth_record_attempt('op@platform.test', 'failed', '{}', '')"))
        assert conn.execute(text("select get_current_distributor_id()::text")).scalar_one() == b
        # the row went to the operator's own distributor, which this scope cannot see
        assert conn.execute(text("select count(*) from security_audit_log")).scalar_one() == 0
    assert [e[:3] for e in _events(fresh)] == [(a, op, "login_failed")]


def test_app_role_cannot_read_attempts_and_public_cannot_execute(fresh):
    with pytest.raises(DBAPIError, match="permission denied"), db.app_scope() as conn:
        conn.execute(text("select count(*) from auth_login_attempts"))
    with fresh.connect() as conn:
        acl = conn.execute(text("select string_agg(proacl::text, ' ') from pg_proc where proname in "
                                "('auth_password_hash', 'auth_accept', 'auth_throttle', 'auth_record_attempt', "
                                "'operator_distributors', 'auth_switch_tenant', 'auth_resolve_session', "
                                "'auth_close_stale_sessions')")).scalar_one()
    assert "ordersight_app=X" in acl
    assert " =X" not in " " + acl.replace("{", " ").replace(",", " ")


def test_the_only_non_tenant_policies_are_the_owners_gated_reads(fresh):
    # the sign-in functions' cross-tenant read: SELECT only, for the migrating role only, never the app's
    with fresh.connect() as conn:
        rows = conn.execute(text("select tablename, cmd, roles::text[] as roles, qual from pg_policies "
                                 "where schemaname = 'public' and policyname = 'auth_definer_read' "
                                 "order by tablename")).all()
        owner = conn.execute(text("select current_user")).scalar_one()
    assert [(r.tablename, r.cmd, r.roles) for r in rows] == [("distributors", "SELECT", [owner]),
                                                             ("user_profiles", "SELECT", [owner]),
                                                             ("user_sessions", "SELECT", [owner])]
    assert all("app.auth_definer" in r.qual for r in rows)


def test_migration_0006_downgrades_and_upgrades(fresh):
    db.downgrade(fresh, "0005_performance")
    with fresh.connect() as conn:
        assert conn.execute(text("select to_regprocedure('auth_resolve_session(text, float8)')")).scalar_one() is None
    db.migrate(fresh)
    with fresh.connect() as conn:
        assert conn.execute(text("select to_regclass('user_sessions_token_hash')")).scalar_one() is not None


def test_migration_0002_downgrades_and_upgrades(fresh):
    db.downgrade(fresh, "0001_schema")
    with fresh.connect() as conn:
        assert conn.execute(text("select to_regclass('auth_login_attempts')")).scalar_one() is None
    db.migrate(fresh)
    with fresh.connect() as conn:
        assert conn.execute(text("select to_regprocedure('auth_password_hash(text)')")).scalar_one() is not None


OWNER = "ordersight_owner_test"


def test_definer_functions_work_when_the_migrating_role_is_not_a_superuser(engine):
    """On Supabase the migrating role is neither superuser nor BYPASSRLS, so FORCE RLS binds it: the functions
    must still find users across tenants and write each tenant's log."""
    with engine.connect() as conn:
        if not conn.execute(text("select rolsuper from pg_roles where rolname = current_user")).scalar_one():
            pytest.skip("needs a superuser to create the owner role and database")
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {OWNER} WITH (FORCE)")
        if not conn.execute(text("select 1 from pg_roles where rolname = :r"), {"r": OWNER}).first():
            conn.exec_driver_sql(f"CREATE ROLE {OWNER} LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD 'owner'")
        conn.exec_driver_sql(f"GRANT ordersight_app TO {OWNER} WITH ADMIN OPTION")
        conn.exec_driver_sql(f"CREATE DATABASE {OWNER} OWNER {OWNER}")
    owner = create_engine(engine.url.set(username=OWNER, password="owner", database=OWNER))
    try:
        db.migrate(owner)
        with owner.begin() as conn:
            a, b = conn.execute(text("select gen_random_uuid() from generate_series(1, 2)")).scalars().all()
            for d in (a, b):
                conn.execute(text("select set_config('app.current_distributor_id', :d, true)"), {"d": str(d)})
                conn.execute(text("insert into distributors (id, name, slug) values (:d, :n, :n)"),
                             {"d": d, "n": "A" if d == a else "B"})
            op = conn.execute(text("insert into auth.users (email) values ('op@x.test') returning id")
                              ).scalar_one()
            conn.execute(text("select set_config('app.current_distributor_id', :d, true)"), {"d": str(a)})
            conn.execute(text("insert into user_profiles (id, distributor_id, email, full_name, role) "
                              "values (:u, :d, 'op@x.test', 'Op', 'operator')"), {"u": op, "d": a})
        with db.app_scope(owner) as conn:
            assert q.accept(conn, email="OP@x.test", method="password", client=None).distributor_id == a
            q.record_attempt(conn, email="op@x.test", outcome="failed")
        with db.tenant_scope(a, op, engine=owner) as conn:
            assert [r.name for r in q.operator_distributors(conn)] == ["A", "B"]
            assert q.switch_tenant(conn, from_id=str(a), to_id=str(b)).name == "B"
            assert conn.execute(text("select get_current_distributor_id()")).scalar_one() == a
            events = conn.execute(text("select event from security_audit_log order by id")).scalars().all()
        assert events == ["login_success", "login_failed", "tenant_switch"]
        with db.tenant_scope(b, engine=owner) as conn:
            events = conn.execute(text("select event from security_audit_log")).scalars().all()
        assert events == ["tenant_switch"]
        # the owner's cross-tenant read is gated: plain owner queries still see no tenant's profiles
        with owner.connect() as conn:
            assert conn.execute(text("select count(*) from user_profiles")).scalar_one() == 0
    finally:
        owner.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {OWNER} WITH (FORCE)")
        admin.dispose()
