"""services.auth on a real database: sign-in, lockout, sessions and idle expiry, sign-out, SSO mapping, the
operator's tenant switch, and the SECURITY DEFINER functions of migration 0002."""

from __future__ import annotations

import hashlib

import bcrypt
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from core import db
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


def test_unknown_emails_are_counted_but_logged_nowhere(fresh):
    _one_user(fresh)
    for _ in range(5):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in("nobody@acme.test", "guess")
    with pytest.raises(auth.AccountLocked):
        auth.sign_in("NOBODY@acme.test", "guess")
    assert _events(fresh) == []
    with fresh.connect() as conn:
        outcomes = conn.execute(text("select outcome, count(*) from auth_login_attempts group by 1")).all()
    assert dict(outcomes) == {"failed": 5, "locked": 1}


def test_attempts_older_than_a_day_are_dropped_on_the_next_attempt(fresh):
    with fresh.begin() as conn:
        conn.execute(text("insert into auth_login_attempts (email, outcome, attempted_at) values "
                          "('old@acme.test', 'failed', now() - interval '25 hours'), "
                          "('old@acme.test', 'failed', now() - interval '23 hours'), "
                          "('other@acme.test', 'failed', now() - interval '25 hours')"))
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in("old@acme.test", "guess")
    with fresh.connect() as conn:
        left = conn.execute(text("select email, count(*) from auth_login_attempts group by 1")).all()
    assert dict(left) == {"old@acme.test": 2, "other@acme.test": 1}


def test_inactive_user_cannot_sign_in(fresh):
    d, uid, email = _one_user(fresh, active=False)
    with pytest.raises(auth.AccountInactive, match="deactivated"):
        auth.sign_in(email, PASSWORD)
    # without the right password, nothing tells the account exists but is inactive
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in(email, "wrong")
    assert [(e[2], e[3]["reason"]) for e in _events(fresh)] == [("login_failed", "inactive"),
                                                                ("login_failed", "bad_password")]


def test_session_is_touched_at_most_once_a_minute_and_expires_when_idle(fresh):
    d, uid, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    user, token = signed.user, signed.token

    def move_last_seen(interval: str):
        with fresh.begin() as conn:
            conn.execute(text("update user_sessions set last_seen_at = now() - cast(:i as interval)"),
                         {"i": interval})
            return conn.execute(text("select last_seen_at from user_sessions")).scalar_one()

    before = move_last_seen("30 seconds")
    assert auth.check_session(user, token)
    with fresh.connect() as conn:
        assert conn.execute(text("select last_seen_at from user_sessions")).scalar_one() == before
    before = move_last_seen("2 minutes")
    assert auth.check_session(user, token)
    with fresh.connect() as conn:
        assert conn.execute(text("select last_seen_at from user_sessions")).scalar_one() > before
    assert not auth.check_session(user, "someone-elses-token")

    move_last_seen("7 hours 59 minutes")
    assert auth.check_session(user, token)
    move_last_seen("8 hours 1 minute")
    assert not auth.check_session(user, token)
    assert not auth.check_session(user, token)
    with fresh.connect() as conn:
        assert conn.execute(text("select end_reason from user_sessions")).scalar_one() == "expired"
    assert [e[2] for e in _events(fresh)] == ["login_success", "session_expired"]


def test_idle_limit_is_configurable(fresh):
    _, _, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    for idle_hours, open_ in ((2, True), (1, False)):
        with fresh.begin() as conn:
            conn.execute(text("update user_sessions set last_seen_at = now() - interval '90 minutes'"))
        assert auth.check_session(signed.user, signed.token, idle_hours=idle_hours) is open_


def test_sign_out_ends_the_session_and_logs_it(fresh):
    d, uid, email = _one_user(fresh)
    signed = auth.sign_in(email, PASSWORD)
    auth.sign_out(signed.user)
    with fresh.connect() as conn:
        s = conn.execute(text("select ended_at, end_reason from user_sessions")).one()
    assert s.ended_at is not None and s.end_reason == "logout"
    assert not auth.check_session(signed.user, signed.token)
    assert [e[:3] for e in _events(fresh)][-1] == (d, uid, "logout")


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
    assert auth.check_session(acting, signed.token)
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


def test_definer_functions_leave_the_callers_tenant_alone(fresh):
    a, b, op, _ = _two_tenants_and_operator(fresh)
    with db.tenant_scope(b) as conn:
        conn.execute(text("select auth_record_attempt('op@platform.test', 'failed', cast(:u as uuid), '{}')"),
                     {"u": op})
        assert conn.execute(text("select get_current_distributor_id()::text")).scalar_one() == b
        # the row went to the operator's own distributor, which this scope cannot see
        assert conn.execute(text("select count(*) from security_audit_log")).scalar_one() == 0
    assert [e[:3] for e in _events(fresh)] == [(a, op, "login_failed")]


def test_app_role_cannot_read_attempts_and_public_cannot_execute(fresh):
    with pytest.raises(DBAPIError, match="permission denied"), db.app_scope() as conn:
        conn.execute(text("select count(*) from auth_login_attempts"))
    with fresh.connect() as conn:
        acl = conn.execute(text("select string_agg(proacl::text, ' ') from pg_proc where proname in "
                                "('auth_lookup', 'auth_locked_until', 'auth_record_attempt', "
                                "'operator_distributors', 'auth_switch_tenant')")).scalar_one()
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
                                                             ("user_profiles", "SELECT", [owner])]
    assert all("app.auth_definer" in r.qual for r in rows)


def test_migration_0002_downgrades_and_upgrades(fresh):
    db.downgrade(fresh, "0001_schema")
    with fresh.connect() as conn:
        assert conn.execute(text("select to_regclass('auth_login_attempts')")).scalar_one() is None
    db.migrate(fresh)
    with fresh.connect() as conn:
        assert conn.execute(text("select to_regprocedure('auth_lookup(text)')")).scalar_one() is not None


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
            assert q.lookup_user(conn, email="OP@x.test").distributor_id == a
            q.record_attempt(conn, email="op@x.test", outcome="failed", user_id=str(op))
        with db.tenant_scope(a, op, engine=owner) as conn:
            assert [r.name for r in q.operator_distributors(conn, user_id=str(op))] == ["A", "B"]
            assert q.switch_tenant(conn, user_id=str(op), from_id=str(a), to_id=str(b)).name == "B"
            assert conn.execute(text("select get_current_distributor_id()")).scalar_one() == a
            events = conn.execute(text("select event from security_audit_log order by id")).scalars().all()
        assert events == ["login_failed", "tenant_switch"]
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
