"""Migration 0005: full-text search through search_conversations() (tenant-keyed index, usable under RLS),
parallel-safe tenant functions. The numbers it buys are in bench/README.md; this proves it is right."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from core.db import app_scope, tenant_scope
from tests import factories as f

SEARCH = "select conversation_id from search_conversations(:q) order by 1"


@pytest.fixture
def chats(clean_db):
    """Tenant A: c1 'Quiero 3 cajas de cerveza mañana', c2 'la factura de cerveza, gracias', c3 "O'Brien pide
    vino"; tenant B (same words): b1 'cajas de cerveza para B'."""
    with clean_db.begin() as conn:
        a, b = f.distributor(conn, "Alpha"), f.distributor(conn, "Beta")
        ca, cb = f.customer(conn, a, "Bar Central"), f.customer(conn, b, "Bar Beta")
        ids = {}
        for name, tenant, customer, content in (
                ("c1", a, ca, "Quiero 3 cajas de cerveza mañana"),
                ("c2", a, ca, "la factura de cerveza, gracias"),
                ("c3", a, ca, "O'Brien pide vino"),
                ("b1", b, cb, "cajas de cerveza para B")):
            ids[name] = f.conversation(conn, tenant, customer)
            f.message(conn, tenant, ids[name], content)
    return clean_db, a, b, ids


def search(engine, distributor_id, q: str) -> list[int]:
    with tenant_scope(distributor_id, engine=engine) as conn:
        return list(conn.execute(text(SEARCH), {"q": q}).scalars())


@pytest.mark.parametrize(("q", "expected"), [
    ("cerveza", ["c1", "c2"]),
    ("CERVEZA", ["c1", "c2"]),
    ('"cajas de cerveza"', ["c1"]),
    ('"cerveza de cajas"', []),  # every word there, not as a phrase: the candidate matches, the recheck not
    ("cerveza -gracias", ["c1"]),
    ("-cerveza", ["c3"]),  # only a negation: nothing indexable, still right
    ("vino or factura", ["c2", "c3"]),
    ("o'brien", ["c3"]),
    ('cerveza -"de cerveza"', []),  # a negated phrase is left out of the candidate query, not loosened
    ("", []),
    ("((((", []),
    ("'; drop table messages; --", []),
])
def test_search_matches_the_tenants_conversations_exactly(chats, q, expected):
    engine, a, _, ids = chats
    assert search(engine, a, q) == sorted(ids[name] for name in expected)


def test_search_never_returns_another_tenants_conversations(chats):
    engine, a, b, ids = chats
    assert search(engine, b, "cerveza") == [ids["b1"]]
    assert search(engine, b, "gracias") == []  # only A wrote it
    with app_scope(engine) as conn:  # no tenant in the transaction: nothing, for any query
        assert list(conn.execute(text(SEARCH), {"q": "cerveza"}).scalars()) == []
    with tenant_scope(a, engine=engine) as conn:  # a tenant cannot point the function at another one
        conn.execute(text("select set_config('app.current_distributor_id', '', true)"))
        assert list(conn.execute(text(SEARCH), {"q": "cerveza"}).scalars()) == []


def test_search_function_is_locked_down(clean_db):
    with clean_db.connect() as conn:
        row = conn.execute(text(
            "select p.prosecdef, p.proconfig, has_function_privilege('public', p.oid, 'execute') as public_exec, "
            "has_function_privilege('ordersight_app', p.oid, 'execute') as app_exec "
            "from pg_proc p where p.proname = 'search_conversations'")).one()
    assert row.prosecdef is True
    assert row.proconfig == ["search_path=public, pg_temp", "max_parallel_workers_per_gather=0"]
    assert (row.public_exec, row.app_exec) == (False, True)


def test_search_reads_the_tenant_index_not_the_table(clean_db):
    """2,000 messages of one tenant and one with a rare word: as the app role, the search scans the GIN
    index once and never reads messages sequentially (counters of this transaction)."""
    with clean_db.begin() as conn:
        a = f.distributor(conn, "Alpha")
        conv = f.conversation(conn, a, f.customer(conn, a))
        conn.execute(text(
            "insert into messages (distributor_id, conversation_id, direction, sender_type, content) "
            "select :d, :c, 'inbound', 'customer', 'hola quiero ' || n || ' cajas de agua' "
            "from generate_series(1, 2000) n"), {"d": a, "c": conv})
        f.message(conn, a, conv, "el pedido zanahoria llega hoy")
        conn.exec_driver_sql("ANALYZE messages")
    counters = text("select pg_stat_get_xact_numscans('messages_tenant_search'::regclass) as gin, "
                    "pg_stat_get_xact_numscans('messages'::regclass) as seq")
    with tenant_scope(a, engine=clean_db) as conn:
        before = conn.execute(counters).one()
        found = list(conn.execute(text(SEARCH), {"q": "zanahoria"}).scalars())
        after = conn.execute(counters).one()
    assert found == [conv]
    assert (after.gin - before.gin, after.seq - before.seq) == (1, 0)


def test_tenant_functions_are_parallel_safe_and_workers_see_the_tenant(clean_db):
    """Parallel workers run the policy too: forced into a worker, a count still sees exactly the tenant's
    rows (3 for A, 1 for B) and none without a tenant."""
    with clean_db.begin() as conn:
        a, b = f.distributor(conn, "Alpha"), f.distributor(conn, "Beta")
        for name in ("x", "y", "z"):
            f.customer(conn, a, name)
        f.customer(conn, b, "w")
        unsafe = conn.execute(text("select count(*) from pg_proc where proname in "
                                   "('get_current_distributor_id', 'get_current_user_id') "
                                   "and proparallel <> 's'")).scalar_one()
    assert unsafe == 0

    def parallel_count(conn) -> tuple[int, str]:
        conn.exec_driver_sql("SET LOCAL debug_parallel_query = on")
        plan = "\n".join(conn.execute(text("explain (analyze, costs off) select count(*) from customers")).scalars())
        return conn.execute(text("select count(*) from customers")).scalar_one(), plan

    with tenant_scope(a, engine=clean_db) as conn:
        count_a, plan = parallel_count(conn)
    with tenant_scope(b, engine=clean_db) as conn:
        count_b, _ = parallel_count(conn)
    with app_scope(clean_db) as conn:
        count_none, _ = parallel_count(conn)
    assert "Workers Launched: 1" in plan
    assert (count_a, count_b, count_none) == (3, 1, 0)
