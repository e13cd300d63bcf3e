"""queries/orders.py on the hand-built dataset of tests/orders_seed.py (see its table for every number)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from core.db import tenant_scope
from queries import orders as q
from queries.orders import OrderFilters
from tests import factories as f
from tests import orders_seed
from tests.orders_seed import END, START, TZ


@pytest.fixture
def data(clean_db):
    with clean_db.begin() as conn:
        return orders_seed.seed(conn)


def period(**filters) -> OrderFilters:
    return OrderFilters(START, END, TZ, **filters)


def run(data, fn, **kwargs):
    with tenant_scope(data.d) as conn:
        return fn(conn, distributor_id=str(data.d), **kwargs)


def test_kpis_current_and_previous_period(data):
    kpis = run(data, q.orders_kpis, filters=period())
    # 7 orders incl. the cancelled A-003; revenue 2300+2000+2200+1000+600+500 without it
    assert kpis["current"] == {"orders": 7, "cancelled": 1, "revenue_cents": 8600, "avg_order_cents": 1433,
                               "ai_orders": 3, "ai_share": pytest.approx(3 / 7), "median_response_s": 1200.0}
    # P-001 (local 28 Feb 23:59) and P-002; X-001 (18 Feb) is before the previous period
    assert kpis["previous"] == {"orders": 2, "cancelled": 0, "revenue_cents": 4000, "avg_order_cents": 2000,
                                "ai_orders": 1, "ai_share": 0.5, "median_response_s": 300.0}


def test_kpis_of_an_empty_period_are_zero_or_missing(data):
    kpis = run(data, q.orders_kpis, filters=OrderFilters(date(2024, 1, 1), date(2024, 1, 31), TZ))
    empty = {"orders": 0, "cancelled": 0, "revenue_cents": 0, "avg_order_cents": None, "ai_orders": 0,
             "ai_share": None, "median_response_s": None}
    assert kpis == {"current": empty, "previous": empty}


@pytest.mark.parametrize(("filters", "current", "previous"), [
    ({"statuses": ("cancelled",)}, (1, 0), (0, 0)),
    ({"statuses": ("confirmed", "delivered")}, (4, 2300 + 1000 + 2000 + 600), (2, 4000)),
    ({"sources": ("ai",)}, (3, 2300 + 2200 + 1000), (1, 3000)),
    ({"sources": ("manual", "integration")}, (4, 2000 + 600 + 500), (1, 1000)),
    ({"customer_ids": ("bar",)}, (3, 2300 + 1000 + 600), (1, 1000)),
    ({"label_ids": ("retail",)}, (2, 2000 + 2200), (0, 0)),
    ({"label_ids": ("vip",)}, (5, 2300 + 2000 + 2200 + 1000 + 600), (1, 1000)),
    ({"category_ids": ("snacks",)}, (3, 2300 + 2200 + 600), (1, 3000)),
    ({"category_ids": ("drinks",), "sources": ("ai",)}, (2, 2300 + 1000), (0, 0)),
])
def test_every_filter_narrows_both_periods(data, filters, current, previous):
    # ids are only known after seeding: the cases name them
    resolved = {k: tuple(getattr(data, v) if isinstance(v, str) and hasattr(data, v) else v for v in vals)
                for k, vals in filters.items()}
    kpis = run(data, q.orders_kpis, filters=period(**resolved))
    assert (kpis["current"]["orders"], kpis["current"]["revenue_cents"]) == current
    assert (kpis["previous"]["orders"], kpis["previous"]["revenue_cents"]) == previous
    assert run(data, q.orders_count, filters=period(**resolved)) == current[0]


def test_daily_series_buckets_in_local_time(data):
    df = run(data, q.orders_over_time, filters=period())
    assert list(df["bucket"]) == [date(2025, 3, d) for d in range(1, 11)]
    by_day = {row.bucket.day: (row.orders, row.revenue_cents, row.ai_orders, row.manual_orders,
                               row.integration_orders) for row in df.itertuples()}
    # A-002 at 02:30 UTC on 2 March is 20:30 on 1 March in Mexico City; A-004 is 23:30 on the 10th
    assert by_day == {1: (2, 4300, 1, 1, 0), 2: (0, 0, 0, 0, 0), 3: (0, 0, 0, 0, 0), 4: (0, 0, 0, 0, 0),
                      5: (1, 0, 0, 0, 1), 6: (1, 1000, 1, 0, 0), 7: (0, 0, 0, 0, 0), 8: (1, 600, 0, 1, 0),
                      9: (1, 500, 0, 0, 1), 10: (1, 2200, 1, 0, 0)}


def test_same_orders_bucket_differently_in_utc(data):
    df = run(data, q.orders_over_time, filters=OrderFilters(START, END, "UTC"))
    by_day = dict(zip(df["bucket"].map(lambda d: d.day), df["orders"], strict=True))
    # in UTC, P-001 (1 Mar 05:59) joins A-001 on the 1st, A-002 moves to the 2nd, A-004 leaves the period
    assert (by_day[1], by_day[2], by_day[10]) == (2, 1, 0)
    assert df["orders"].sum() == 7


def test_long_ranges_bucket_by_week(data):
    filters = OrderFilters(date(2025, 1, 1), date(2025, 3, 10), TZ)
    assert filters.bucket == "week" and period().bucket == "day"
    df = run(data, q.orders_over_time, filters=filters)
    # weeks start on Monday: 30 Dec 2024 ... 10 Mar 2025
    assert df["bucket"].iloc[0] == date(2024, 12, 30) and df["bucket"].iloc[-1] == date(2025, 3, 10)
    assert len(df) == 11
    weeks = {row.bucket: (row.orders, row.revenue_cents) for row in df.itertuples() if row.orders}
    assert weeks == {date(2025, 2, 17): (2, 1000 + 3000), date(2025, 2, 24): (3, 1000 + 2300 + 2000),
                     date(2025, 3, 3): (4, 1000 + 600 + 500), date(2025, 3, 10): (1, 2200)}


def test_62_days_is_still_daily():
    assert OrderFilters(date(2025, 1, 1), date(2025, 3, 3), TZ).bucket == "day"
    assert OrderFilters(date(2025, 1, 1), date(2025, 3, 4), TZ).bucket == "week"


def test_orders_by_status(data):
    df = run(data, q.orders_by_status, filters=period())
    assert df.values.tolist() == [["confirmed", 2, 3300], ["delivered", 2, 2600], ["cancelled", 1, 10000],
                                  ["draft", 1, 500], ["pending", 1, 2200]]


def test_top_customers_by_revenue_and_by_orders(data):
    by_revenue = run(data, q.top_customers, filters=period(), by="revenue")
    assert by_revenue[["customer", "orders", "revenue_cents"]].values.tolist() == [
        ["Cafe Luna", 2, 4200], ["Bar Central", 3, 3900], ["Tienda Sol", 1, 500]]
    by_orders = run(data, q.top_customers, filters=period(), by="orders", limit=2)
    assert list(by_orders["customer"]) == ["Bar Central", "Cafe Luna"]
    with pytest.raises(ValueError):
        run(data, q.top_customers, filters=period(), by="total_cents; drop table orders")


def test_top_products_by_revenue_and_by_quantity(data):
    by_revenue = run(data, q.top_products, filters=period(), by="revenue")
    # A-003's 10 beers are cancelled; "Mystery" matched no product
    assert by_revenue[["product", "quantity", "revenue_cents", "lines"]].values.tolist() == [
        ["Water", 7.0, 3500, 3], ["Chips", 8.0, 2400, 3], ["Beer", 2.0, 2000, 1], ["Mystery", 1.0, 700, 1]]
    assert by_revenue["product_id"].isna().tolist() == [False, False, False, True]
    by_quantity = run(data, q.top_products, filters=period(), by="quantity", limit=3)
    assert list(by_quantity["product"]) == ["Chips", "Water", "Beer"]


def test_top_products_keep_only_the_chosen_categories_lines(data):
    df = run(data, q.top_products, filters=period(category_ids=(data.snacks,)))
    assert df[["product", "quantity", "revenue_cents"]].values.tolist() == [["Chips", 8.0, 2400]]


def test_revenue_by_label(data):
    df = run(data, q.revenue_by_label, filters=period())
    assert df.values.tolist() == [["VIP", 5, 8100], ["Retail", 2, 4200], ["(no label)", 1, 500]]
    only_retail = run(data, q.revenue_by_label, filters=period(label_ids=(data.retail,)))
    assert only_retail.values.tolist() == [["Retail", 2, 4200]]


def test_orders_page_newest_first_and_paginated(data):
    pages = [run(data, q.orders_page, filters=period(), limit=3, offset=o) for o in (0, 3, 6)]
    assert [list(p["order_number"]) for p in pages] == [["A-004", "A-007", "A-006"],
                                                        ["A-005", "A-003", "A-002"], ["A-001"]]
    first = pages[0].iloc[0]
    assert (first.customer, first.status, first.source, first.lines, first.total_cents) == (
        "Cafe Luna", "pending", "ai", 2, 2200)
    # created_at is local time
    assert pages[1].iloc[2].created_at == datetime(2025, 3, 1, 20, 30)


@pytest.mark.parametrize(("sort", "numbers"), [
    ("oldest", ["A-001", "A-002", "A-003", "A-005", "A-006", "A-007", "A-004"]),
    ("total_desc", ["A-003", "A-001", "A-004", "A-002", "A-005", "A-006", "A-007"]),
    ("total_asc", ["A-007", "A-006", "A-005", "A-002", "A-004", "A-001", "A-003"]),
    ("customer", ["A-006", "A-005", "A-001", "A-004", "A-002", "A-007", "A-003"]),
    ("status", ["A-003", "A-005", "A-001", "A-006", "A-002", "A-007", "A-004"]),
    ("number", ["A-001", "A-002", "A-003", "A-004", "A-005", "A-006", "A-007"]),
])
def test_orders_page_sorts(data, sort, numbers):
    df = run(data, q.orders_page, filters=period(), sort=sort, limit=None)
    assert list(df["order_number"]) == numbers


def test_orders_page_refuses_unknown_sort(data):
    with pytest.raises(ValueError):
        run(data, q.orders_page, filters=period(), sort="created_at desc; --")


def test_orders_page_applies_filters(data):
    df = run(data, q.orders_page, filters=period(customer_ids=(data.luna,), sources=("ai",)), limit=None)
    assert list(df["order_number"]) == ["A-004"]


def test_line_items_export(data):
    df = run(data, q.order_lines_export, filters=period())
    assert len(df) == 9 and df["line_total_cents"].sum() == 2300 + 2000 + 10000 + 2200 + 1000 + 600 + 500
    snacks = run(data, q.order_lines_export, filters=period(category_ids=(data.snacks,)))
    assert snacks[["order_number", "quantity", "line_total_cents"]].values.tolist() == [
        ["A-004", 5.0, 1500], ["A-006", 2.0, 600], ["A-001", 1.0, 300]]


def test_order_detail(data):
    oid = data.orders["A-001"]
    header = run(data, q.order_header, order_id=oid, tz=TZ)
    assert (header["order_number"], header["customer"], header["total_cents"], header["source"]) == (
        "A-001", "Bar Central", 2300, "ai")
    assert header["conversation_id"] == data.conv1 and header["trigger_message_id"] == data.msg1
    assert header["trigger_content"] == "2 beers and a bag of chips please"
    assert header["response_s"] == 600.0 and header["created_at"] == datetime(2025, 3, 1, 10, 0)

    lines = run(data, q.order_lines, order_id=data.orders["A-004"])
    # "Mystery" matched no product: no matched name, sku or confidence
    assert lines[["product", "matched_product", "sku", "raw_text", "quantity", "line_total_cents"]
                 ].fillna("-").values.tolist() == [["Chips", "Chips", "CHIPS-1", "chips", 5.0, 1500],
                                                   ["Mystery", "-", "-", "mystery", 1.0, 700]]
    assert lines["match_confidence"].iloc[0] == 1.0 and lines["match_confidence"].isna().iloc[1]

    files = run(data, q.order_attachments, order_id=oid, tz=TZ)
    assert files[["file_name", "size_bytes"]].values.tolist() == [["photo.jpg", 2048]]

    thread = run(data, q.order_source_messages, order_id=oid, tz=TZ)
    # the confirmation sent after the order is not part of what led to it
    assert list(thread["id"]) == [data.greeting, data.msg1]
    assert list(thread["is_trigger"]) == [False, True]


def test_order_without_conversation_has_empty_thread(data):
    oid = data.orders["A-002"]
    assert run(data, q.order_header, order_id=oid, tz=TZ)["trigger_message_id"] is None
    assert run(data, q.order_source_messages, order_id=oid, tz=TZ).empty
    assert run(data, q.order_attachments, order_id=oid, tz=TZ).empty


def test_filter_options(data):
    df = run(data, q.filter_options)
    assert df[["kind", "name"]].values.tolist() == [
        ["category", "Drinks"], ["category", "Snacks"], ["customer", "Bar Central"],
        ["customer", "Cafe Luna"], ["customer", "Tienda Sol"], ["label", "Retail"], ["label", "VIP"]]


def test_another_tenant_sees_none_of_it(data, clean_db):
    with clean_db.begin() as conn:
        other = f.distributor(conn, "Other", tz=TZ)
        customer = f.customer(conn, other, "Someone")
        f.order(conn, other, customer, [(None, "Thing", 1, 99)], created_at=orders_seed.utc(3, 12))
    assert run(data, q.orders_exist) is True
    with tenant_scope(other) as conn:
        assert q.orders_kpis(conn, str(other), filters=period())["current"]["revenue_cents"] == 99
        # even asking for A's id inside B's scope: RLS returns nothing
        assert q.orders_kpis(conn, str(data.d), filters=period())["current"]["orders"] == 0
        assert q.order_header(conn, str(other), order_id=data.orders["A-001"], tz=TZ) is None
        assert q.order_lines(conn, str(data.d), order_id=data.orders["A-001"]).empty


def test_orders_exist_is_false_for_a_new_distributor(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Empty")
    with tenant_scope(d) as conn:
        assert q.orders_exist(conn, str(d)) is False
        assert q.orders_page(conn, str(d), filters=period()).empty
