"""The demo generator on a real PostgreSQL: reproducible, consistent across tables, realistic enough to
demo every page, and loaded with every constraint holding."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import bcrypt
import pytest
from sqlalchemy import create_engine, text

from demo import DEMO_PASSWORD, demo_logins, generate_and_load, integrity, reset
from tests.conftest import tenant_tables

END = datetime(2025, 3, 14, 15, 0, tzinfo=UTC)  # a Friday afternoon in mid-March
STANDARD = {"tenants": 3, "orders_per_tenant": 200, "days": 30, "seed": 42, "end": END}
DIGESTED = ("distributors", "auth.users", "user_profiles", "customers", "products", "conversations",
            "messages", "orders", "order_products", "ai_responses", "ai_errors", "ai_usage_metrics",
            "ai_budget_alerts", "data_access_audit", "security_audit_log", "user_sessions",
            "webhook_deliveries")
_loaded: dict = {}


def _quiet(_: str) -> None:
    pass


def _state(engine) -> tuple:
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "select (select count(*) from orders), (select coalesce(max(id), 0) from ai_responses), "
            "(select string_agg(id::text, ',' order by id) from distributors)")).one())


@pytest.fixture
def demo(engine):
    """The standard demo (3 distributors x 200 orders over 30 days), loaded once; loaded again only
    when another test changed the database. Returns the rows loaded per table."""
    if _loaded.get("state") != _state(engine):
        reset(engine)
        _loaded["counts"] = generate_and_load(engine, progress=_quiet, **STANDARD)
        _loaded["state"] = _state(engine)
    return _loaded["counts"]


def _digests(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return {table: conn.execute(text(
            f"select md5(string_agg(t::text, ',' order by t::text)) from {table} t")).scalar_one()
            for table in DIGESTED}


def _scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _rows(engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).all()


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(clean_db):
    small = {"tenants": 2, "orders_per_tenant": 120, "days": 20, "end": END, "progress": _quiet}
    generate_and_load(clean_db, seed=42, **small)
    first = _digests(clean_db)
    reset(clean_db)
    generate_and_load(clean_db, seed=42, **small)
    assert _digests(clean_db) == first
    reset(clean_db)
    generate_and_load(clean_db, seed=7, **small)
    other = _digests(clean_db)
    assert all(other[table] != first[table] for table in ("distributors", "customers", "messages", "orders"))


def test_per_row_checks_load_exactly_what_the_bulk_path_loads(clean_db):
    # bulk_checks=False: no trigger is skipped, orders and their source messages go in together
    small = {"tenants": 1, "orders_per_tenant": 80, "days": 10, "end": END, "progress": _quiet}
    counts = generate_and_load(clean_db, bulk_checks=True, **small)
    bulk = _digests(clean_db)
    reset(clean_db)
    assert generate_and_load(clean_db, bulk_checks=False, **small) == counts
    assert _digests(clean_db) == bulk


def test_tenant_sizes_cycle_the_trades_and_a_second_load_adds_to_the_first(clean_db):
    counts = generate_and_load(clean_db, tenant_sizes=[90, 30, 10, 45], days=15, end=END, progress=_quiet)
    assert counts["orders"] == 175 and counts["distributors"] == 4
    sizes = _rows(clean_db, "select d.slug, count(o.id) from distributors d "
                            "join orders o on o.distributor_id = d.id group by d.slug order by min(o.id)")
    assert sizes == [("andes", 90), ("paulista", 30), ("harbor", 10), ("andes-2", 45)]
    assert _scalar(clean_db, "select count(*) from auth.users where email = 'admin@andes-2.demo'") == 1
    before = _digests(clean_db)
    top = _scalar(clean_db, "select max(id) from messages")
    generate_and_load(clean_db, tenants=1, orders_per_tenant=20, days=15, end=END, progress=_quiet)
    added = _rows(clean_db, "select d.name, min(m.id), count(*) from messages m join distributors d "
                            "on d.id = m.distributor_id where d.slug = 'paulista-2' group by 1")
    assert added[0][0] == "Empório Paulista Alimentos 2"
    assert added[0][1] == top + 1 and added[0][2] > 20
    with clean_db.connect() as conn:  # the first load's rows are untouched
        assert conn.execute(text("select md5(string_agg(t::text, ',' order by t::text)) from orders t "
                                 "where id <= 175")).scalar_one() == before["orders"]


def test_a_role_under_row_level_security_is_refused_before_anything_is_written(clean_db):
    app_role = create_engine(clean_db.url, connect_args={"options": "-c role=ordersight_app"})
    try:
        with pytest.raises(PermissionError, match="ordersight_app is neither"):
            generate_and_load(app_role, tenants=1, orders_per_tenant=10, days=5, end=END, progress=_quiet)
    finally:
        app_role.dispose()
    assert _scalar(clean_db, "select count(*) from distributors") == 0


def test_foreign_key_verification_names_an_orphan(clean_db):
    raw = clean_db.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        query = integrity.orphans_query(integrity.foreign_keys(cur))
        cur.execute("insert into distributors (id, name, slug) values "
                    "('00000000-0000-4000-8000-000000000001', 'X', 'x')")
        cur.execute("set local session_replication_role = replica")
        cur.execute("set local enable_nestloop = off")
        cur.execute("insert into customers (id, distributor_id, name) values "
                    "(1, '00000000-0000-4000-8000-000000000001', 'Bar')")
        integrity.verify(cur, query, "00000000-0000-4000-8000-000000000001")  # consistent so far
        cur.execute("insert into orders (id, distributor_id, customer_id, order_number, source, currency) "
                    "values (1, '00000000-0000-4000-8000-000000000001', 999, 'X-1', 'manual', 'USD')")
        with pytest.raises(ValueError, match="orders_distributor_id_customer_id_fkey"):
            integrity.verify(cur, query, "00000000-0000-4000-8000-000000000001")
    finally:
        raw.driver_connection.rollback()
        raw.close()


def test_every_tenant_table_gets_rows_for_every_tenant(demo, engine):
    with engine.connect() as conn:
        tables = tenant_tables(conn)
        tenants = conn.execute(text("select id from distributors")).scalars().all()
        empty = [(t, d) for t in tables for d in tenants if conn.execute(
            text(f"select count(*) from {t} where distributor_id = :d"), {"d": d}).scalar_one() == 0]
    assert len(tables) >= 35
    assert empty == []
    assert demo["orders"] == 600
    assert demo["distributors"] == 3


def test_three_trades_in_their_own_zone_currency_and_language(demo, engine):
    rows = _rows(engine, "select d.name, d.timezone, d.currency, d.language, count(p.id) from distributors d "
                         "join products p on p.distributor_id = d.id group by d.id order by d.name")
    assert [(name, tz, cur, lang) for name, tz, cur, lang, _ in rows] == [
        ("Andes Bebidas", "America/Bogota", "COP", "es"),
        ("Empório Paulista Alimentos", "America/Sao_Paulo", "BRL", "pt"),
        ("Harbor Supply Co.", "America/New_York", "USD", "en")]
    assert all(40 <= n <= 120 for *_, n in rows)
    # customers write in the distributor's language, a few in English
    shares = _rows(engine, "select d.language, avg((m.language = d.language)::int), "
                           "count(*) filter (where m.language = 'en') from messages m "
                           "join distributors d on d.id = m.distributor_id "
                           "where m.direction = 'inbound' group by d.language order by 1")
    assert [lang for lang, _, _ in shares] == ["en", "es", "pt"]
    assert all(share >= 0.85 for _, share, _ in shares)
    assert all(english > 0 for lang, _, english in shares if lang != "en")


def test_order_totals_are_the_sum_of_their_lines(demo, engine):
    assert _scalar(engine, "select count(*) from orders o where o.total_cents is distinct from (select "
                           "sum(line_total_cents) from order_products l where l.order_id = o.id)") == 0
    assert _scalar(engine, "select count(*) from orders o where not exists "
                           "(select from order_products l where l.order_id = o.id)") == 0
    assert _scalar(engine, "select count(*) from order_products "
                           "where line_total_cents <> round(quantity * unit_price_cents)") == 0
    assert _scalar(engine, "select count(*) from orders group by distributor_id, order_number "
                           "order by 1 desc limit 1") == 1


def test_order_parents_belong_to_the_order_distributor(demo, engine):
    assert _scalar(engine, """
        select count(*) from orders o
        left join customers c on c.id = o.customer_id
        left join conversations v on v.id = o.conversation_id
        left join messages m on m.id = o.ai_source_message_id
        where c.distributor_id <> o.distributor_id or v.distributor_id <> o.distributor_id
           or m.distributor_id <> o.distributor_id or c.id is null""") == 0
    # the source message points back at its order, and only AI orders have one
    assert _scalar(engine, "select count(*) from orders o join messages m on m.id = o.ai_source_message_id "
                           "where m.order_id is distinct from o.id or o.source <> 'ai'") == 0
    assert _scalar(engine, "select count(*) from orders where source = 'ai' "
                           "and ai_source_message_id is null") == 0


def test_ai_orders_quote_what_the_customer_asked_for(demo, engine):
    orders = _rows(engine, """
        select o.id, m.content, m.direction, m.sender_type, o.created_at - m.created_at,
               array_agg(l.raw_text), count(*)
        from orders o join messages m on m.id = o.ai_source_message_id
        join order_products l on l.order_id = o.id
        group by o.id, m.id""")
    assert len(orders) >= 380  # about 70 % of 600
    quoted = [all(raw.lower() in content.lower() for raw in raws) for _, content, *_, raws, _ in orders]
    assert sum(quoted) / len(orders) >= 0.95
    assert all(direction == "inbound" and sender == "customer" for _, _, direction, sender, *_ in orders)
    assert all(60 <= delay.total_seconds() <= 480 for *_, delay, _, _ in orders)
    # the extraction the agent confirmed has the order's lines
    mismatched = _scalar(engine, """
        select count(*) from orders o join ai_responses r on r.message_id = o.ai_source_message_id
        where r.kind = 'order_extraction'
          and jsonb_array_length(coalesce(r.structured, '{}')->'lines')
              <> (select count(*) from order_products l where l.order_id = o.id)""")
    assert mismatched == 0


def test_usage_metrics_are_the_aggregate_of_the_responses(demo, engine):
    recomputed = """
        select r.distributor_id, (r.created_at at time zone d.timezone)::date as day, r.model, r.kind,
               count(*) as requests, sum(r.input_tokens) as input_tokens,
               sum(r.output_tokens) as output_tokens, coalesce(sum(r.cost_cents), 0) as cost,
               count(*) filter (where r.cost_cents is null) as unpriced
        from ai_responses r join distributors d on d.id = r.distributor_id group by 1, 2, 3, 4"""
    mismatches = _scalar(engine, f"""
        select count(*) from ({recomputed}) a
        full join ai_usage_metrics u on u.distributor_id = a.distributor_id and u.date = a.day
             and u.model = a.model and u.feature = a.kind
        where a.requests is distinct from u.requests or a.input_tokens is distinct from u.input_tokens
           or a.output_tokens is distinct from u.output_tokens or a.cost is distinct from u.cost_cents
           or a.unpriced is distinct from u.unpriced_requests""")
    assert mismatches == 0
    assert _scalar(engine, "select count(*) from ai_usage_metrics") > 100
    errors = _scalar(engine, """
        select count(*) from ai_usage_metrics u where u.errors <> (
            select count(*) from ai_errors e join distributors d on d.id = e.distributor_id
            where e.distributor_id = u.distributor_id and e.model = u.model and e.feature = u.feature
              and (e.created_at at time zone d.timezone)::date = u.date)""")
    assert errors == 0
    assert _scalar(engine, "select sum(errors) from ai_usage_metrics") == demo["ai_errors"]


def test_costs_follow_the_published_prices(demo, engine):
    # gpt-4o-mini: $0.15 / $0.60 per million input / output tokens; gpt-4o: $2.50 / $10.00 (in cents: x100)
    assert _scalar(engine, """
        select count(*) from ai_responses where cost_cents is distinct from case model
            when 'gpt-4o-mini' then round((input_tokens * 0.15 + output_tokens * 0.60) / 10000, 6)
            when 'gpt-4o' then round((input_tokens * 2.50 + output_tokens * 10.00) / 10000, 6) end""") == 0
    models = dict(_rows(engine, "select model, count(*) from ai_responses group by 1"))
    assert models["gpt-4o-mini"] > models["gpt-4o"] > 0
    assert models["llama-3.1-8b-instruct"] > 0


def test_reviews_leave_a_queue_training_data_and_an_audit_trail(demo, engine):
    pending = dict(_rows(engine, "select distributor_id, count(*) from ai_responses where status = 'pending' "
                                 "group by 1"))
    assert len(pending) == 3 and all(10 <= n <= 90 for n in pending.values())
    # every human review: by a user of the same distributor, after the suggestion was made
    assert _scalar(engine, "select count(*) from ai_responses r "
                           "left join user_profiles u on u.id = r.reviewed_by "
                           "where r.status <> 'pending' and r.kind <> 'classification' and (u.role is null "
                           "or u.distributor_id <> r.distributor_id or r.reviewed_at <= r.created_at)") == 0
    assert _scalar(engine, "select count(*) from ai_responses where (status = 'edited') <> "
                           "(final_content is not null) or (status = 'rejected') <> "
                           "(feedback is not null)") == 0
    corrected = _scalar(engine, "select count(*) from ai_responses where status in ('edited', 'rejected')")
    assert corrected == demo["ai_training_data"] > 0
    reviewed = _scalar(engine, "select count(*) from ai_responses where status <> 'pending' "
                               "and kind <> 'classification'")
    assert _scalar(engine, "select count(*) from data_access_audit where resource = 'ai_responses' "
                           "and action in ('approve', 'edit', 'reject')") == reviewed
    assert _scalar(engine, "select count(*) from orders o join ai_responses r on r.message_id = "
                           "o.ai_source_message_id and r.kind = 'order_extraction' "
                           "where (r.status = 'pending') <> (o.status = 'pending')") == 0


def test_budgets_one_past_80_percent_one_within_one_with_hard_limit(demo, engine):
    # spend this month / budget: Andes 86 %, Empório 55 % (within budget), Harbor 65 % (hard limit)
    rows = _rows(engine, """
        select d.name, d.ai_hard_limit, d.ai_monthly_budget_cents,
               (select sum(cost_cents) from ai_responses r where r.distributor_id = d.id
                  and date_trunc('month', r.created_at at time zone d.timezone) = '2025-03-01'),
               array(select threshold_pct from ai_budget_alerts a where a.distributor_id = d.id
                     and a.period_month = '2025-03-01' order by 1),
               (select count(*) from ai_budget_alerts a where a.distributor_id = d.id
                  and a.acknowledged_at is not null)
        from distributors d order by d.name""")
    (andes, hard1, budget1, spend1, alerts1, acked1), (_, hard2, budget2, spend2, alerts2, _), \
        (_, hard3, budget3, spend3, alerts3, _) = rows
    assert andes == "Andes Bebidas" and 0.8 <= spend1 / budget1 < 1 and alerts1 == [50, 80] and acked1 >= 1
    assert not hard2 and 0.5 <= spend2 / budget2 < 0.8 and alerts2 == [50]
    assert hard3 and 0.5 <= spend3 / budget3 < 0.8 and alerts3 == [50]
    assert not hard1


def test_demo_users_for_every_role_sign_in_with_the_demo_password(demo, engine):
    roles = _rows(engine, "select d.name, array_agg(distinct p.role order by p.role) from user_profiles p "
                          "join distributors d on d.id = p.distributor_id group by d.name order by 1")
    assert [r[1] for r in roles] == [["admin", "finance", "manager", "operator", "support"],
                                     ["admin", "finance", "manager", "support"],
                                     ["admin", "finance", "manager", "support"]]
    accounts = dict(_rows(engine, "select u.email, u.encrypted_password from auth.users u"))
    logins = demo_logins()
    assert len(logins) == 16
    assert ("support2@andes.demo", "support", "Andes Bebidas") in logins
    assert all(email in accounts for email, _, _ in logins)
    hashes = {accounts[email] for email, _, _ in logins}
    assert len(hashes) == 1 and bcrypt.checkpw(DEMO_PASSWORD.encode(), hashes.pop().encode())


def test_conversations_span_their_messages(demo, engine):
    assert _scalar(engine, """
        select count(*) from conversations c join (
            select conversation_id, min(created_at) as first, max(created_at) as last from messages group by 1
        ) m on m.conversation_id = c.id
        where m.first <> c.started_at or m.last <> c.last_message_at""") == 0
    channels = dict(_rows(engine, "select channel, count(*) from conversations group by 1"))
    assert channels["whatsapp"] > 0.7 * sum(channels.values()) and len(channels) >= 3
    assert _scalar(engine, "select max(created_at) from messages") <= END
    assert _scalar(engine, "select count(*) from conversations where status = 'open'") > 0


def test_pii_results_point_at_messages_the_rules_match(demo, engine):
    found = _rows(engine, "select m.content, r.pattern, r.pii_type from pii_detection_results p "
                          "join messages m on m.id = p.message_id "
                          "join pii_detection_rules r on r.id = p.rule_id")
    assert len(found) >= 5
    assert all(re.search(pattern, content) for content, pattern, _ in found)
    assert {kind for *_, kind in found} >= {"email", "phone"}


def test_sequences_continue_after_the_demo_ids(demo, engine):
    with engine.connect() as conn:
        top = conn.execute(text("select max(id) from customers")).scalar_one()
        d = conn.execute(text("select id from distributors order by name limit 1")).scalar_one()
        new = conn.execute(text("insert into customers (distributor_id, name) "
                                "values (:d, 'Nuevo') returning id"), {"d": d}).scalar_one()
        conn.rollback()
    assert new == top + 1
