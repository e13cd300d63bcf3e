"""Tenant isolation, proven on every table the catalog lists (not a hand-written list)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from core.db import app_scope, tenant_scope
from tests import factories as f
from tests.conftest import tenant_tables


@pytest.fixture
def two_tenants(clean_db):
    """Tenants A and B, each with one row in EVERY tenant table, built by the demo generator's smallest run."""
    import demo

    demo.generate_and_load(clean_db, tenants=2, orders_per_tenant=30, days=10, seed=7, progress=lambda *_: None)
    with clean_db.connect() as conn:
        ids = list(conn.execute(text("select id from distributors order by name")).scalars())
        tables = tenant_tables(conn)
    return clean_db, ids[0], ids[1], tables


def _count(conn, table: str, distributor_id=None) -> int:
    sql = f"select count(*) from {table}"  # noqa: S608 - table names come from the catalog
    if distributor_id is not None:
        return conn.execute(text(sql + " where distributor_id = :d"), {"d": distributor_id}).scalar_one()
    return conn.execute(text(sql)).scalar_one()


def test_every_table_has_rows_for_both_tenants(two_tenants):
    engine, a, b, tables = two_tenants
    with engine.connect() as conn:  # as owner: the ground truth
        empty = [t for t in tables for d in (a, b) if _count(conn, t, d) == 0]
    assert empty == [], "the isolation matrix needs data in every table"


def test_tenant_reads_only_its_own_rows(two_tenants):
    engine, a, b, tables = two_tenants
    with engine.connect() as conn:
        owner_counts = {t: _count(conn, t, a) for t in tables}
    with tenant_scope(a, engine=engine) as conn:
        for t in tables:
            assert _count(conn, t, b) == 0, f"{t}: tenant A reads B's rows"
            assert _count(conn, t) == owner_counts[t], f"{t}: tenant A does not see exactly its own rows"


def test_without_tenant_every_table_reads_empty(two_tenants):
    engine, _, _, tables = two_tenants
    with app_scope(engine) as conn:
        assert {t: _count(conn, t) for t in tables} == dict.fromkeys(tables, 0)
        assert conn.execute(text("select count(*) from distributors")).scalar_one() == 0


def test_app_scope_ignores_a_tenant_left_on_a_pooled_connection(two_tenants):
    # issue 12, finding 9: app_scope() trusted the pool; a session-level setting (is_local false) left by an
    # earlier borrower outlives its transaction
    engine, a, _, _ = two_tenants
    single = create_engine(engine.url, pool_size=1, max_overflow=0)  # the next borrower gets this connection
    try:
        with single.connect() as conn:
            conn.execute(text("select set_config('app.current_distributor_id', :d, false)"), {"d": str(a)})
            conn.commit()
        with app_scope(single) as conn:
            assert conn.execute(text("select count(*) from distributors")).scalar_one() == 0
            assert conn.execute(text("select current_setting('app.current_distributor_id', true)")).scalar_one() == ""
    finally:
        single.dispose()


def test_updates_and_deletes_of_other_tenant_touch_nothing(two_tenants):
    engine, a, b, tables = two_tenants
    with tenant_scope(a, engine=engine) as conn:
        for t in tables:
            # distributor_id = distributor_id is a no-op update that still needs the row to be visible
            updated = conn.execute(text(f"update {t} set distributor_id = distributor_id "  # noqa: S608
                                        "where distributor_id = :b"), {"b": b}).rowcount
            deleted = conn.execute(text(f"delete from {t} where distributor_id = :b"),  # noqa: S608
                                   {"b": b}).rowcount
            assert (t, updated, deleted) == (t, 0, 0)
    with engine.connect() as conn:
        assert all(_count(conn, t, b) > 0 for t in tables)


def test_moving_own_rows_to_other_tenant_is_refused(two_tenants):
    engine, a, b, tables = two_tenants
    for t in tables:
        with pytest.raises(DBAPIError, match="row-level security|violates|foreign key"):
            with tenant_scope(a, engine=engine) as conn:
                conn.execute(text(f"update {t} set distributor_id = :b where distributor_id = :a"),  # noqa: S608
                             {"a": a, "b": b})


def _insert_copy_for(conn, table: str, source: str, target: str) -> None:
    """Copies one of `source`'s rows of `table` with distributor_id = target (ids left to defaults)."""
    cols = [c for c in conn.execute(text(
        "select column_name from information_schema.columns where table_schema = 'public' and table_name = :t "
        "and is_generated = 'NEVER' and is_identity = 'NO' and column_name <> 'distributor_id'"),
        {"t": table}).scalars()]
    col_list = ", ".join(cols)
    conn.execute(text(f"insert into {table} (distributor_id, {col_list}) "  # noqa: S608
                      f"select :target, {col_list} from {table} where distributor_id = :source limit 1"),
                 {"target": target, "source": source})


def test_inserting_rows_for_other_tenant_is_refused(two_tenants):
    engine, a, b, tables = two_tenants
    for t in tables:
        with pytest.raises(DBAPIError, match="row-level security"):
            with tenant_scope(a, engine=engine) as conn:
                # reading A's row works; writing it as B's must not
                _insert_copy_for(conn, t, a, b)


def test_pooled_connection_reused_for_b_shows_nothing_of_a(clean_db):
    with clean_db.begin() as conn:
        a = f.distributor(conn, "Alpha")
        b = f.distributor(conn, "Beta")
        f.customer(conn, a, "Only A")
    # a pool of one: the shared engine's pool may hold several connections (tests that ran before on this
    # worker), and which one comes next is then not the one just returned
    single = create_engine(clean_db.url, pool_size=1, max_overflow=0)
    try:
        with tenant_scope(a, engine=single) as conn:
            pid_a = conn.execute(text("select pg_backend_pid()")).scalar_one()
            assert conn.execute(text("select count(*) from customers")).scalar_one() == 1
        with tenant_scope(b, engine=single) as conn:
            pid_b = conn.execute(text("select pg_backend_pid()")).scalar_one()
            assert conn.execute(text("select count(*) from customers")).scalar_one() == 0
            assert conn.execute(text("select current_setting('app.current_distributor_id')")).scalar_one() == str(b)
        with single.connect() as conn:  # after the transaction, nothing of the tenant is left on the connection
            assert conn.execute(text("select current_user")).scalar_one() != "ordersight_app"
            assert conn.execute(text("select coalesce(current_setting('app.current_distributor_id', true), '')")
                                ).scalar_one() == ""
    finally:
        single.dispose()
    assert pid_a == pid_b, "the test must exercise one reused backend"


def test_app_role_is_not_owner_and_cannot_bypass_rls(clean_db):
    with clean_db.connect() as conn:
        role = conn.execute(text("select rolsuper, rolbypassrls, rolcanlogin from pg_roles "
                                 "where rolname = 'ordersight_app'")).one()
        owned = conn.execute(text("select count(*) from pg_tables where tableowner = 'ordersight_app'")).scalar_one()
    assert tuple(role) == (False, False, False)
    assert owned == 0


def test_reference_tables_are_read_only_for_the_app(clean_db):
    with clean_db.begin() as conn:
        a = f.distributor(conn)
    with tenant_scope(a, engine=clean_db) as conn:
        assert conn.execute(text("select count(*) from role_permissions")).scalar_one() > 0
    with pytest.raises(DBAPIError, match="permission denied"):
        with tenant_scope(a, engine=clean_db) as conn:
            conn.execute(text("insert into role_permissions values ('admin', 'everything')"))
