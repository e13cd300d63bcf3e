"""services.orders_create: a confirmed draft -> order, lines at catalog prices, confirmed matches, source-message
link, 'order.created' deliveries for active subscribed endpoints, audit row; idempotent by draft key, also
under two concurrent confirmations; per-tenant order numbers."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from core import clock
from core.db import tenant_scope
from services.orders_create import OrderInvalid, OrderLineInput, OrderRequest, confirm_order
from tests import factories as f


def seed(engine):
    """Tenant A with a conversation, two products, four webhook endpoints and orders numbered AB-… (its own
    numbering, which new orders follow) and one LEGACY-7 imported last; tenant B with an AB- number far ahead
    (which must not move A's numbering)."""
    with engine.begin() as conn:
        d = f.distributor(conn, "Bebidas Sur", currency="ARS")
        u = f.user(conn, d, "support")
        c = f.customer(conn, d, "Bar Central")
        conv = f.conversation(conn, d, c)
        m = f.message(conn, d, conv, "2 coca 2L y 2,5 kg de tomate, y un unicornio")
        coke = f.product(conn, d, "COKE-2L", "Coca-Cola 2L", 350, unit="bottle")
        tomato = f.product(conn, d, "TOM-KG", "Tomate", 125, unit="kg")
        gone = f.product(conn, d, "OLD-1", "Old soda", 100)
        conn.execute(text("update products set active = false where id = :p"), {"p": gone})
        for number in ("AB-000040", "AB-000041", "LEGACY-7"):
            f.order(conn, d, c, [(coke, "Coca-Cola 2L", 1, 350)], number=number)
        endpoints = {}
        for name, events, active in [
            ("subscribed", ["order.created"], True),
            ("other_event", ["customer.created"], True),
            ("inactive", ["order.created"], False),
            ("several", ["order.updated", "order.created"], True),
        ]:
            endpoints[name] = conn.execute(
                text(
                    "insert into webhook_endpoints (distributor_id, url, events, active) "
                    "values (:d, :url, :e, :a) returning id"
                ),
                {"d": d, "url": f"https://hooks.example.test/{name}", "e": events, "a": active},
            ).scalar_one()
        other = f.distributor(conn, "Other")
        oc = f.customer(conn, other)
        f.order(conn, other, oc, [(None, "x", 1, 100)], number="AB-000100")
    return {
        "d": str(d),
        "u": str(u),
        "c": c,
        "conv": conv,
        "m": m,
        "coke": coke,
        "tomato": tomato,
        "gone": gone,
        "endpoints": endpoints,
    }


def request(s, key="draft-1", lines=None):
    lines = lines or (
        OrderLineInput("coca 2L", Decimal(2), s["coke"], method="fuzzy", confidence=0.82),
        OrderLineInput("kg de tomate", Decimal("2.5"), s["tomato"], method="manual", confidence=1.0),
        OrderLineInput("unicornio", Decimal(1), None, method="none", confidence=0.1),
    )
    return OrderRequest(
        draft_key=key,
        customer_id=s["c"],
        lines=tuple(lines),
        conversation_id=s["conv"],
        message_id=s["m"],
        notes="entregar antes de las 10",
    )


def confirm(s, req):
    with tenant_scope(s["d"], s["u"]) as conn:
        return confirm_order(conn, s["d"], s["u"], req)


def count(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_confirmation_creates_order_lines_matches_link_webhooks_and_audit(clean_db):
    s = seed(clean_db)
    created = confirm(s, request(s))

    # 2 x 350 = 700; 2.5 x 125 = 312.5 -> 313 (half up); the unmatched line is left out
    assert (created.order_number, created.total_cents, created.lines, created.created) == (
        "AB-000042",
        1013,
        2,
        True,
    )
    assert (created.webhooks, created.skipped_lines) == (2, 1)
    with clean_db.connect() as conn:
        order = conn.execute(
            text(
                "select customer_id, conversation_id, ai_source_message_id, status, source, total_cents, "
                "currency, "
                "notes, draft_key, created_by::text, confirmed_at is not null as confirmed "
                "from orders where id = :o"
            ),
            {"o": created.order_id},
        ).one()
        lines = conn.execute(
            text(
                "select product_id, raw_text, product_name, quantity, unit, unit_price_cents, "
                "line_total_cents, "
                "match_confidence from order_products where order_id = :o order by id"
            ),
            {"o": created.order_id},
        ).all()
        history = conn.execute(
            text(
                "select raw_text, normalized_text, product_id, method, confidence, confirmed, "
                "confirmed_by::text, "
                "order_product_id is not null from product_matching_history where distributor_id = :d "
                "order by id"
            ),
            {"d": s["d"]},
        ).all()
        linked = conn.execute(text("select order_id from messages where id = :m"), {"m": s["m"]}).scalar()
        deliveries = conn.execute(
            text(
                "select endpoint_id, event_type, status, payload from webhook_deliveries "
                "where distributor_id = :d "
                "order by endpoint_id"
            ),
            {"d": s["d"]},
        ).all()
        audit = conn.execute(
            text(
                "select user_id::text, resource, record_count, details from data_access_audit "
                "where distributor_id = :d and action = 'create'"
            ),
            {"d": s["d"]},
        ).one()

    assert tuple(order) == (
        s["c"],
        s["conv"],
        s["m"],
        "confirmed",
        "ai",
        1013,
        "ARS",
        "entregar antes de las 10",
        "draft-1",
        s["u"],
        True,
    )
    assert [tuple(r) for r in lines] == [
        (s["coke"], "coca 2L", "Coca-Cola 2L", Decimal("2.000"), "bottle", 350, 700, Decimal("0.820")),
        (s["tomato"], "kg de tomate", "Tomate", Decimal("2.500"), "kg", 125, 313, Decimal("1.000")),
    ]
    assert [tuple(h) for h in history] == [
        ("coca 2L", "coca 2l", s["coke"], "fuzzy", Decimal("0.820"), True, s["u"], True),
        ("kg de tomate", "kg de tomate", s["tomato"], "manual", Decimal("1.000"), True, s["u"], True),
    ]
    assert linked == created.order_id
    eps = s["endpoints"]
    assert [d.endpoint_id for d in deliveries] == sorted([eps["subscribed"], eps["several"]])
    assert {(d.event_type, d.status) for d in deliveries} == {("order.created", "pending")}
    payload = deliveries[0].payload
    assert payload["event"] == "order.created"
    assert (payload["order"]["order_number"], payload["order"]["total_cents"]) == ("AB-000042", 1013)
    assert [(ln["sku"], ln["quantity"], ln["line_total_cents"]) for ln in payload["order"]["lines"]] == [
        ("COKE-2L", "2.000", 700),
        ("TOM-KG", "2.500", 313),
    ]
    assert (audit.user_id, audit.resource, audit.record_count) == (s["u"], "orders", 1)
    assert (audit.details["order_number"], audit.details["draft_key"], audit.details["webhooks"]) == (
        "AB-000042",
        "draft-1",
        2,
    )


def test_confirming_the_same_draft_again_returns_the_same_order(clean_db):
    s = seed(clean_db)
    first = confirm(s, request(s))
    again = confirm(s, request(s))
    assert (again.order_id, again.order_number, again.total_cents, again.lines) == (
        first.order_id,
        first.order_number,
        1013,
        2,
    )
    assert again.created is False
    d = s["d"]
    assert (
        count(
            clean_db, "select count(*) from orders where distributor_id = :d and draft_key = 'draft-1'", d=d
        )
        == 1
    )
    assert count(clean_db, "select count(*) from webhook_deliveries where distributor_id = :d", d=d) == 2
    assert (
        count(
            clean_db,
            "select count(*) from data_access_audit where distributor_id = :d and action = 'create'",
            d=d,
        )
        == 1
    )
    assert (
        count(clean_db, "select count(*) from product_matching_history where distributor_id = :d", d=d) == 2
    )


def _race(s, keys):
    barrier = threading.Barrier(len(keys))
    results, errors = [], []

    def worker(key):
        try:
            with tenant_scope(s["d"], s["u"]) as conn:
                barrier.wait(timeout=10)
                results.append(confirm_order(conn, s["d"], s["u"], request(s, key=key)))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in keys]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def test_two_concurrent_confirmations_create_exactly_one_order(clean_db):
    s = seed(clean_db)
    results = _race(s, ["same-draft", "same-draft"])
    assert len({r.order_id for r in results}) == 1
    assert sorted(r.created for r in results) == [False, True]
    assert {(r.order_number, r.total_cents) for r in results} == {("AB-000042", 1013)}
    d = s["d"]
    assert (
        count(
            clean_db, "select count(*) from orders where distributor_id = :d and draft_key is not null", d=d
        )
        == 1
    )
    assert (
        count(
            clean_db,
            "select count(*) from order_products op join orders o on o.id = op.order_id "
            "where o.draft_key = 'same-draft'",
        )
        == 2
    )
    assert count(clean_db, "select count(*) from webhook_deliveries where distributor_id = :d", d=d) == 2


def test_concurrent_drafts_get_distinct_consecutive_numbers(clean_db):
    s = seed(clean_db)
    results = _race(s, ["draft-a", "draft-b", "draft-c"])
    assert sorted(r.order_number for r in results) == ["AB-000042", "AB-000043", "AB-000044"]
    assert all(r.created for r in results)


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [
        ([], "ORD-000001"),  # no numbering of its own yet
        (["AB-000040", "AB-000041", "LEGACY-7"], "AB-000042"),  # the prefix most orders share, not the last one
        (["ab/0099", "ab/0100", "X-1"], "ab/0101"),  # the same digit count and separator
        (["B-9", "B-10"], "B-11"),  # not zero-padded
        (["10023", "PO 7", "order 3"], "ORD-000001"),  # nothing <letters><separator><digits>
    ],
)
def test_new_orders_follow_the_distributors_numbering(clean_db, numbers, expected):
    # issue 14: new orders were numbered ORD-000001 while the distributor's own were AB-…
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Numbers")
        u = f.user(conn, d, "support")
        c = f.customer(conn, d)
        p = f.product(conn, d, "P-1", "Product", 100)
        for number in numbers:
            f.order(conn, d, c, [(p, "Product", 1, 100)], number=number)
    req = OrderRequest(draft_key="k", customer_id=c, lines=(OrderLineInput("product", Decimal(1), p),))
    assert confirm({"d": str(d), "u": str(u)}, req).order_number == expected


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([OrderLineInput("unicornio", Decimal(1), None, method="none", confidence=0.0)], "at least one line"),
        ([OrderLineInput("coca", Decimal(0), "coke")], "more than zero"),
        ([OrderLineInput("old soda", Decimal(1), "gone")], "no longer in the catalog"),
        # issue 12, finding 4: 10^9 overflowed numeric(12, 3) inside the button callback (a traceback)
        ([OrderLineInput("coca", Decimal(10) ** 9, "coke")], "too large: at most 1,000,000 per line"),
        ([OrderLineInput("coca", Decimal("1000000.001"), "coke")], "too large"),
    ],
)
def test_invalid_drafts_write_nothing(clean_db, lines, message):
    s = seed(clean_db)
    lines = [
        OrderLineInput(
            ln.raw_text,
            ln.quantity,
            s.get(ln.product_id) if ln.product_id else None,
            ln.method,
            ln.confidence,
        )
        for ln in lines
    ]
    with pytest.raises(OrderInvalid, match=message):
        confirm(s, request(s, lines=lines))
    assert (
        count(
            clean_db,
            "select count(*) from orders where distributor_id = :d and draft_key is not null",
            d=s["d"],
        )
        == 0
    )
    assert count(clean_db, "select count(*) from webhook_deliveries") == 0


@pytest.mark.parametrize(("days", "message"), [(-3, "is in the past"), (400, "more than a year ahead")])
def test_an_absurd_delivery_date_is_refused_with_a_message(clean_db, days, message):
    s = seed(clean_db)
    absurd = replace(request(s), requested_delivery_date=clock.now().date() + timedelta(days=days))
    with pytest.raises(OrderInvalid, match=message):
        confirm(s, absurd)
    assert count(clean_db, "select count(*) from orders where draft_key is not null") == 0
    # today, tomorrow and next month are fine
    for ok in (0, 1, 30):
        confirm(s, replace(request(s, key=f"ok-{ok}"), requested_delivery_date=clock.now().date() + timedelta(days=ok)))
