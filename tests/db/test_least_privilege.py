"""Issue 12, finding 6: the production roles of docs/architecture.md ("Least-privilege roles"), built on the
embedded server. The owner migrates; the app's DATABASE_URL logs in as a NOINHERIT role whose only grant is
ordersight_app: it works as ordersight_app (tenant_scope, app_scope), holds no privilege of its own, and can
neither become the owner nor get back to it with RESET ROLE."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from core import db
from queries import auth as q
from tests import factories as f

LOGIN = "ordersight_login_test"


@pytest.fixture
def login_engine(engine):
    """An engine that signs in as a role made as docs/architecture.md says: LOGIN NOINHERIT, member of
    ordersight_app only."""
    with engine.connect() as conn:
        if not conn.execute(text("select rolsuper from pg_roles where rolname = current_user")).scalar_one():
            pytest.skip("needs a superuser to create the login role")
    admin = create_engine(engine.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("select 1 from pg_roles where rolname = :r"), {"r": LOGIN}).first():
            conn.exec_driver_sql(f"CREATE ROLE {LOGIN} LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE "
                                 "NOBYPASSRLS PASSWORD 'login'")
        conn.exec_driver_sql(f"GRANT ordersight_app TO {LOGIN}")
    login = create_engine(engine.url.set(username=LOGIN, password="login"))
    yield login
    login.dispose()
    admin.dispose()


@pytest.fixture
def acme(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Acme Drinks")
        f.customer(conn, d, "Bar Central")
        f.user(conn, d, "admin", email="ana@acme.test")
        owner = conn.execute(text("select tableowner from pg_tables where tablename = 'customers'")).scalar_one()
    return str(d), owner


def test_the_login_role_works_as_ordersight_app_and_rls_still_binds_it(acme, login_engine):
    d, _ = acme
    with db.tenant_scope(d, engine=login_engine) as conn:
        assert conn.execute(text("select current_user")).scalar_one() == "ordersight_app"
        assert conn.execute(text("select count(*) from customers")).scalar_one() == 1
    # without the tenant setting the same role sees no tenant rows; sign-in still finds the user
    with db.app_scope(login_engine) as conn:
        assert conn.execute(text("select count(*) from customers")).scalar_one() == 0
        assert q.password_hash(conn, email="ana@acme.test").startswith("$2")
    # as itself (NOINHERIT) the login role holds no privilege at all
    with pytest.raises(DBAPIError, match="permission denied"), login_engine.connect() as conn:
        conn.execute(text("select count(*) from customers"))


@pytest.mark.parametrize("escape", ["SET ROLE {owner}", "SET SESSION AUTHORIZATION {owner}",
                                    "SET ROLE postgres"])
def test_the_login_role_cannot_become_the_owner(acme, login_engine, escape):
    _, owner = acme
    with pytest.raises(DBAPIError, match="permission denied"), login_engine.connect() as conn:
        conn.exec_driver_sql(escape.format(owner=owner))


def test_reset_role_leads_back_to_the_login_role_not_to_the_owner(acme, login_engine):
    d, _ = acme
    with login_engine.connect() as conn:
        conn.exec_driver_sql("SET ROLE ordersight_app")
        conn.exec_driver_sql("RESET ROLE")
        assert conn.execute(text("select current_user")).scalar_one() == LOGIN
        with pytest.raises(DBAPIError, match="permission denied"):
            conn.execute(text("select count(*) from customers"))


def test_the_app_checks_the_schema_as_the_login_role(acme, login_engine):
    # with DATABASE_URL the app only checks the schema (core.db.ready_engine): the login role must read it
    current, head = db.schema_status(login_engine)
    assert current == head
    db.check_schema(login_engine)


def test_before_the_password_is_checked_the_app_role_gets_the_hash_and_nothing_else(acme, clean_db):
    # auth_lookup(email) gave the app role any user's hash with their id, tenant, role and name, unlogged
    d, _ = acme
    with db.app_scope() as conn:
        assert conn.execute(text("select to_regprocedure('auth_lookup(text)')")).scalar_one() is None
        row = conn.execute(text("select * from auth_password_hash(' ANA@acme.test')")).one()
        assert list(row._mapping) == ["auth_password_hash"] and row[0].startswith("$2")
        assert conn.execute(text("select auth_password_hash('nobody@acme.test')")).scalar_one() is None
    with clean_db.connect() as conn:
        assert conn.execute(text("select count(*) from security_audit_log")).scalar_one() == 0
    # who the email is (user, tenant) comes only with a sign-in the tenant's log records
    with db.app_scope() as conn:
        account = conn.execute(text("select * from auth_accept('ana@acme.test', 'password', '')")).one()
    assert (str(account.distributor_id), account.is_active) == (d, True)
    with clean_db.connect() as conn:
        logged = conn.execute(text("select distributor_id::text, event from security_audit_log")).all()
    assert [tuple(r) for r in logged] == [(d, "login_success")]
