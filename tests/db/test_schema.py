"""Schema: migrations, the RLS guard, composite keys and delete rules."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core import db
from tests import factories as f
from tests.conftest import tenant_tables

SEED_TABLES = {
    "distributors", "user_profiles", "user_sessions", "user_invitations", "role_permissions", "customers",
    "customer_labels", "customer_label_assignments", "distributor_usage", "conversations", "messages",
    "ai_responses", "ai_usage_metrics", "ai_model_performance", "ai_errors", "ai_training_data",
    "ai_prompt_performance", "ai_budget_alerts", "orders", "order_products", "order_attachments",
    "product_categories", "products", "product_variants", "product_bundles", "product_bundle_items",
    "product_matching_history", "data_access_audit", "pii_detection_rules", "pii_detection_results",
    "data_retention_policies", "encryption_keys", "security_audit_log", "webhook_endpoints",
    "webhook_deliveries", "webhook_event_templates", "external_integrations", "external_message_mappings",
    "api_rate_limits",
}


def _public_tables(conn) -> set[str]:
    return set(conn.execute(text("select tablename from pg_tables where schemaname = 'public'")).scalars())


def test_every_seed_table_exists(engine):
    with engine.connect() as conn:
        assert _public_tables(conn) >= SEED_TABLES
        assert conn.execute(text("select to_regclass('auth.users') is not null")).scalar_one()


def test_rls_guard_every_tenant_table_is_enabled_forced_and_has_a_policy(engine):
    """Fails as soon as someone adds a table with distributor_id and forgets its policy."""
    with engine.connect() as conn:
        tables = tenant_tables(conn) + ["distributors"]
        rows = conn.execute(text(
            "select c.relname, c.relrowsecurity, c.relforcerowsecurity, "
            "  (select count(*) from pg_policies p where p.schemaname = 'public' and p.tablename = c.relname) "
            "from pg_class c join pg_namespace n on n.oid = c.relnamespace "
            "where n.nspname = 'public' and c.relname = any(:t)"), {"t": tables}).all()
    bad = [r for r in rows if not (r[1] and r[2] and r[3] >= 1)]
    assert len(rows) == len(tables) >= 37
    assert bad == []


def test_policies_use_the_tenant_function_for_reads_and_writes(engine):
    with engine.connect() as conn:
        # auth_definer_read (0002) lets only the owner read users while signing someone in; tests/test_auth.py
        # checks it is SELECT-only and never covers the app role
        policies = conn.execute(text("select tablename, qual, with_check from pg_policies "
                                     "where schemaname = 'public' and policyname <> 'auth_definer_read'")).all()
    assert all("get_current_distributor_id()" in p.qual and "get_current_distributor_id()" in p.with_check
               for p in policies)


def test_migrations_round_trip_on_a_fresh_database(engine):
    """Downgrade to nothing and back up on a separate database, so the shared one stays intact."""
    from sqlalchemy import create_engine

    from core.config import get_settings

    if get_settings().database_url:
        pytest.skip("round trip runs on the embedded server")
    from pathlib import Path

    url = db.embedded_url(Path(get_settings().data_dir), "ordersight_roundtrip")
    eng = create_engine(url)
    try:
        with eng.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS auth CASCADE")
        db.migrate(eng)
        current, head = db.schema_status(eng)
        assert current == head
        with eng.connect() as conn:
            full = _public_tables(conn)
        db.downgrade(eng, "base")
        with eng.connect() as conn:
            assert _public_tables(conn) == {"alembic_version"}
        db.migrate(eng)
        with eng.connect() as conn:
            assert _public_tables(conn) == full
        db.migrate(eng)  # already at head: nothing to do, nothing fails
        assert db.schema_status(eng) == (head, head)
    finally:
        eng.dispose()


@pytest.fixture
def pair(clean_db):
    with clean_db.begin() as conn:
        a = f.distributor(conn, "Alpha")
        b = f.distributor(conn, "Beta")
        ca = f.customer(conn, a, "A's customer")
        cb = f.customer(conn, b, "B's customer")
        conv_b = f.conversation(conn, b, cb)
        msg_b = f.message(conn, b, conv_b, "hola")
    return clean_db, a, b, ca, cb, conv_b, msg_b


@pytest.mark.parametrize("column", ["customer_id", "conversation_id", "ai_source_message_id"])
def test_order_cannot_point_at_another_tenants_rows(pair, column):
    engine, a, b, ca, cb, conv_b, msg_b = pair
    foreign = {"customer_id": cb, "conversation_id": conv_b, "ai_source_message_id": msg_b}[column]
    values = {"customer_id": ca, "conversation_id": None, "ai_source_message_id": None} | {column: foreign}
    with pytest.raises(IntegrityError, match="foreign key"):
        with engine.begin() as conn:  # even the owner, who bypasses RLS, is stopped by the composite keys
            conn.execute(text(
                "insert into orders (distributor_id, customer_id, conversation_id, ai_source_message_id, "
                "order_number, source, currency) values (:a, :customer_id, :conversation_id, "
                ":ai_source_message_id, 'X-1', 'manual', 'USD')"), {"a": a, **values})


def test_deleting_a_conversation_nulls_the_orders_link(pair):
    engine, a, b, ca, cb, conv_b, msg_b = pair
    with engine.begin() as conn:
        oid = f.order(conn, b, cb, [(None, "Water", 2, 100)], conversation_id=conv_b, ai_source_message_id=msg_b)
        conn.execute(text("delete from conversations where id = :c"), {"c": conv_b})
        row = conn.execute(text("select conversation_id, ai_source_message_id from orders where id = :o"),
                           {"o": oid}).one()
    assert tuple(row) == (None, None)


def test_deleting_an_order_removes_its_lines_and_attachments(pair):
    engine, a, b, ca, cb, conv_b, msg_b = pair
    with engine.begin() as conn:
        oid = f.order(conn, a, ca, [(None, "Water", 2, 100), (None, "Soda", 1, 250)])
        conn.execute(text("insert into order_attachments (distributor_id, order_id, file_name, content_type, "
                          "size_bytes, storage_path) values (:a, :o, 'po.pdf', 'application/pdf', 10, 's3://x')"),
                     {"a": a, "o": oid})
        conn.execute(text("delete from orders where id = :o"), {"o": oid})
        left = conn.execute(text("select (select count(*) from order_products where order_id = :o), "
                                 "(select count(*) from order_attachments where order_id = :o)"), {"o": oid}).one()
    assert tuple(left) == (0, 0)


def test_deleting_a_distributor_cascades_to_its_data_only(pair):
    engine, a, b, *_ = pair
    with engine.begin() as conn:
        conn.execute(text("delete from distributors where id = :b"), {"b": b})
        counts = conn.execute(text("select (select count(*) from customers where distributor_id = :b), "
                                   "(select count(*) from customers where distributor_id = :a)"),
                              {"a": a, "b": b}).one()
    assert tuple(counts) == (0, 1)


@pytest.mark.parametrize("bad_row", [
    lambda c, d, cu, cv: f.order(c, d, cu, [(None, "Water", 1, 100)], status="lost"),
    lambda c, d, cu, cv: f.order(c, d, cu, [(None, "Water", 1, 100)], source="fax"),
    lambda c, d, cu, cv: f.user(c, d, "root"),
    lambda c, d, cu, cv: f.message(c, d, cv, "hi", direction="sideways", sender_type="customer"),
    lambda c, d, cu, cv: f.ai_response(c, d, f.message(c, d, cv, "hi"), status="maybe"),
], ids=["order-status", "order-source", "role", "direction", "review-status"])
def test_check_constraints_reject_unknown_values(clean_db, bad_row):
    with clean_db.begin() as conn:
        d = f.distributor(conn)
        cu = f.customer(conn, d)
        cv = f.conversation(conn, d, cu)
    with pytest.raises(IntegrityError, match="check constraint"):
        with clean_db.begin() as conn:
            bad_row(conn, d, cu, cv)
