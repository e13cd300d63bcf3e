"""Issue 12, finding 8 (audit gaps) on a real database: failed sign-ins for unknown emails reach a platform
security log only operators read; the login-attempts table keeps a hash of what was typed, not the text; an
operator acting for a distributor is named in its audit log (migration 0012)."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core import clock, db
from core.filters import Period
from queries import audit as qa
from queries.audit import AuditFilters
from services import auth
from tests import factories as f
from tests.audit_seed import access, security

PASSWORD = f.PASSWORD


@pytest.fixture
def tenants(clean_db):
    """Acme (with its admin) and the platform's own distributor, home of the operator Olivia Park."""
    with clean_db.begin() as conn:
        acme = f.distributor(conn, "Acme Drinks")
        home = f.distributor(conn, "Ordersight Platform")
        admin = f.user(conn, acme, "admin", email="ana@acme.test", full_name="Ana Admin")
        op = f.user(conn, home, "operator", email="olivia@ordersight.test", full_name="Olivia Park")
    return clean_db, str(acme), str(home), str(admin), str(op)


def _sha(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def _today() -> tuple[date, date]:
    today = clock.now().date()
    return today - timedelta(days=1), today + timedelta(days=1)


def test_failed_sign_ins_for_unknown_emails_reach_the_platform_log_that_operators_read(tenants):
    engine, acme, home, admin, op = tenants
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in(" Nobody@Acme.TEST ", "guess", client="203.0.113.9")
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in("ana@acme.test", "wrong")  # a real user's failure goes to Acme's own log, not here
    operator = auth.sign_in("olivia@ordersight.test", PASSWORD).user
    start, end = _today()
    rows = auth.platform_sign_in_failures(operator, Period(start, end))
    assert [(r.event, r.email, r.client, r.details) for r in rows] == [
        ("login_failed", "nobody@acme.test", "203.0.113.9", {"reason": "unknown_email"})]
    # a tenant's admin cannot read it, neither through the service nor by calling the database
    ana = auth.sign_in("ana@acme.test", PASSWORD).user
    with pytest.raises(PermissionError):
        auth.platform_sign_in_failures(ana, Period(start, end))
    with pytest.raises(DBAPIError, match="only operators"), db.tenant_scope(acme, admin) as conn:
        conn.execute(text("select * from platform_security_events(app_now() - interval '1 day', app_now(), 10)"))
    with pytest.raises(DBAPIError, match="permission denied"), db.app_scope() as conn:
        conn.execute(text("select count(*) from platform_security_log"))


def test_the_platform_log_keeps_the_typed_text_only_when_it_is_shaped_like_an_email(tenants):
    engine, *_ = tenants
    for typed in ("Tr0ub4dor&3 oops", "x" * 300 + "@acme.test"):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(typed, "guess")
    with engine.connect() as conn:
        rows = conn.execute(text("select email, email_hash, details from platform_security_log order by id")).all()
    assert [(r.email, r.email_hash) for r in rows] == [(None, _sha("Tr0ub4dor&3 oops")),
                                                       (None, _sha("x" * 300 + "@acme.test"))]


def test_login_attempts_keep_a_hash_of_what_was_typed_never_the_text(tenants):
    engine, *_ = tenants
    for typed in ("Tr0ub4dor&3", "ana@acme.test"):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in(typed, "guess", client="198.51.100.7 " + "y" * 500)
    with engine.connect() as conn:
        stored = conn.execute(text("select row_to_json(a)::text from auth_login_attempts a")).scalars().all()
        hashes = conn.execute(text("select email_hash, length(client) from auth_login_attempts order by id")).all()
    assert len(stored) == 2
    assert not any("Tr0ub4dor" in s or "ana@acme" in s for s in stored)
    # a client string longer than any address is cut, not kept whole
    assert [tuple(h) for h in hashes] == [(_sha("Tr0ub4dor&3"), 64), (_sha("ana@acme.test"), 64)]


def test_the_throttle_still_counts_by_email_through_the_hash(tenants):
    for _ in range(5):
        with pytest.raises(auth.InvalidCredentials):
            auth.sign_in("ana@acme.test", "wrong", client="10.0.0.1")
    with pytest.raises(auth.AccountLocked):
        auth.sign_in(" ANA@acme.test", PASSWORD, client="10.0.0.1")


def test_platform_log_rows_older_than_90_days_are_purged_by_the_next_attempt(tenants):
    engine, *_ = tenants
    with engine.begin() as conn:
        conn.execute(text("insert into platform_security_log (event, email_hash, created_at) values "
                          "('login_failed', 'old', app_now() - interval '91 days'), "
                          "('login_failed', 'kept', app_now() - interval '89 days')"))
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in("nobody@acme.test", "guess")
    with engine.connect() as conn:
        left = conn.execute(text("select email_hash from platform_security_log order by id")).scalars().all()
    assert left == ["kept", _sha("nobody@acme.test")]


def test_an_operator_acting_for_a_distributor_is_named_in_its_audit_log(tenants):
    engine, acme, home, admin, op = tenants
    at = clock.now() - timedelta(minutes=5)
    with engine.begin() as conn:
        access(conn, acme, op, at, "export", "orders", 5000, {"filters": {}})
        security(conn, acme, op, at, "tenant_switch", {"from": home, "to": acme})
        access(conn, acme, admin, at, "view", "orders", 3, {"filters": {}})
    start, end = _today()
    with db.tenant_scope(acme, admin) as conn:
        events = qa.audit_events(conn, acme, filters=AuditFilters(start, end, "UTC"), limit=10, offset=0)
        options = qa.audit_filter_options(conn, acme, start=start, end=end, tz="UTC")
        unusual = qa.audit_export_anomalies(conn, acme, start=start, end=end, tz="UTC")
    olivia = "Olivia Park (Ordersight operator)"
    assert sorted(set(events["user_label"])) == ["Ana Admin (ana@acme.test)", olivia]
    assert set(options.loc[options["kind"] == "user", "label"]) == {"Ana Admin (ana@acme.test)", olivia}
    assert list(unusual["user_label"]) == [olivia]


def test_migration_0012_downgrades_and_upgrades(tenants):
    engine, *_ = tenants
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in("nobody@acme.test", "guess")
    db.downgrade(engine, "0009_business_clock")
    with engine.connect() as conn:
        assert conn.execute(text("select to_regclass('platform_security_log')")).scalar_one() is None
        assert conn.execute(text("select count(*) from auth_login_attempts where email is not null")).scalar_one() == 1
    db.migrate(engine)
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in("nobody@acme.test", "guess")
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from platform_security_log")).scalar_one() == 1


def test_a_user_without_a_password_is_logged_as_such_not_as_an_unknown_email(tenants):
    engine, acme, *_ = tenants
    with engine.begin() as conn:
        sso_only = f.user(conn, acme, "support", email="sso@acme.test", password_hash=None)
    with pytest.raises(auth.InvalidCredentials):
        auth.sign_in("sso@acme.test", "anything")
    with engine.connect() as conn:
        logged = conn.execute(text("select user_id::text, event, details ->> 'reason' from security_audit_log")).all()
        platform = conn.execute(text("select count(*) from platform_security_log")).scalar_one()
    assert [tuple(r) for r in logged] == [(str(sso_only), "login_failed", "no_password")]
    assert platform == 0
