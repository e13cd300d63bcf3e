"""queries/conversations.py and the read queries of queries/review.py on the hand-built dataset of
tests/conversations_seed.py (read its table first: every expectation below is computed from it)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from core.db import tenant_scope
from core.filters import Period
from queries import conversations as qc
from queries import review as qr
from queries.conversations import QueueFilters
from tests.conversations_seed import TZ, seed

PERIOD = Period(date(2025, 3, 10), date(2025, 3, 11))
JANUARY_2024 = Period(date(2024, 1, 1), date(2024, 1, 31))
COUNTS = ("suggestions", "waiting", "approved", "edited", "rejected")


def day(n: int) -> Period:
    return Period(date(2025, 3, n), date(2025, 3, n))


@pytest.fixture
def data(clean_db):
    return seed(clean_db)


def queue_ids(data, **filters) -> list[int]:
    with tenant_scope(data.a) as conn:
        rows = qc.conversation_queue(conn, str(data.a), filters=QueueFilters(**filters))
        count = qc.conversation_queue_count(conn, str(data.a), filters=QueueFilters(**filters))
    assert count == len(rows)  # the count query applies exactly the same filters
    return list(rows["id"])


def test_queue_sorted_by_last_activity_with_its_columns(data):
    with tenant_scope(data.a) as conn:
        rows = qc.conversation_queue(conn, str(data.a))
    assert list(rows["id"]) == [data.conv4, data.conv2, data.conv1, data.conv3]
    conv1 = rows.set_index("id").loc[data.conv1]
    assert conv1["customer"] == "Bar Central"
    assert conv1["channel"] == "whatsapp"
    assert conv1["assigned_to"] == "Ana"
    assert conv1["messages"] == 3
    assert conv1["waiting_review"] == 2  # r2 and r3
    assert conv1["last_message"].startswith("Mi email es")  # m3 is the latest, though inserted before m2
    assert list(rows["waiting_review"]) == [0, 0, 2, 1]
    assert pd.isna(rows.set_index("id").loc[data.conv3]["assigned_to"])


@pytest.mark.parametrize(("filters", "expected"), [
    ({"statuses": ("open",)}, ["conv4", "conv1"]),
    ({"statuses": ("open", "resolved")}, ["conv4", "conv1", "conv3"]),
    ({"statuses": ("pending",)}, ["conv2"]),
    ({"channels": ("whatsapp",)}, ["conv1", "conv3"]),
    ({"channels": ("sms", "email")}, ["conv4", "conv2"]),
    ({"channels": ("web",)}, []),
    ({"awaiting_review": True}, ["conv1", "conv3"]),
    ({"awaiting_review": True, "statuses": ("open",)}, ["conv1"]),
    ({"statuses": ("open",), "channels": ("email",)}, ["conv4"]),
])
def test_queue_filters_on_conversation_columns(data, filters, expected):
    assert queue_ids(data, **filters) == [getattr(data, name) for name in expected]


def test_queue_filters_on_agent_customer_and_label(data):
    assert queue_ids(data, assignees=(str(data.bruno),)) == [data.conv4, data.conv2]
    assert queue_ids(data, assignees=(str(data.ana), str(data.bruno))) == [data.conv4, data.conv2, data.conv1]
    assert queue_ids(data, customer_ids=(data.c1,)) == [data.conv4, data.conv1]
    assert queue_ids(data, customer_ids=(data.c_idle,)) == []
    assert queue_ids(data, label_ids=(data.vip,)) == [data.conv4, data.conv1, data.conv3]
    assert queue_ids(data, label_ids=(data.late,)) == [data.conv2]
    assert queue_ids(data, label_ids=(data.vip, data.late)) == [
        data.conv4, data.conv2, data.conv1, data.conv3]
    assert queue_ids(data, label_ids=(data.vip,), awaiting_review=True, channels=("whatsapp",)) == [
        data.conv1, data.conv3]


@pytest.mark.parametrize(("search", "expected"), [
    ("cerveza", ["conv1"]),
    ("CERVEZA", ["conv1"]),
    ("vino", ["conv3"]),
    ('"cajas de cerveza"', ["conv1"]),
    ('"cerveza de cajas"', []),
    ("cerveza or factura", ["conv4", "conv1"]),
    ("cerveza -hola", []),
    ("wine_box", ["conv2"]),  # the parser splits on _, the phrase wine <-> box still matches
    ("50%", ["conv2"]),
    ("ana@example.com", ["conv1"]),
    ("  mañana  ", ["conv1"]),
    ("", ["conv4", "conv2", "conv1", "conv3"]),
    # odd input never raises: text without searchable words (punctuation, emoji) matches nothing
    ("'", []),
    ('"', []),
    ("%", []),
    ("_", []),
    ("%_%", []),
    ("\\", []),
    ("🍺", []),
    ("'; drop table messages; --", []),
    ("x' or '1'='1", []),
    ("((((", []),
    ("vino) OR (1=1", ["conv3"]),
])
def test_queue_search(data, search, expected):
    assert queue_ids(data, search=search) == [getattr(data, name) for name in expected]


def test_queue_search_combines_with_filters_and_survives_odd_input(data):
    assert queue_ids(data, search="cerveza", statuses=("resolved",)) == []
    assert queue_ids(data, search="vino or cerveza", channels=("whatsapp",)) == [data.conv1, data.conv3]
    with tenant_scope(data.a) as conn:  # the messages table is still there after the "injection"
        assert qc.thread_messages(conn, str(data.a), conversation_id=data.conv1).shape[0] == 3


def test_queue_is_paginated_in_sql(data):
    with tenant_scope(data.a) as conn:
        pages = [list(qc.conversation_queue(conn, str(data.a), limit=2, offset=o)["id"]) for o in (0, 2, 4)]
        total = qc.conversation_queue_count(conn, str(data.a))
    assert pages == [[data.conv4, data.conv2], [data.conv1, data.conv3], []]
    assert total == 4


def test_queue_never_shows_another_distributor(data):
    with tenant_scope(data.b) as conn:
        b_rows = qc.conversation_queue(conn, str(data.b), filters=QueueFilters(search="cerveza"))
        assert list(b_rows["id"]) == [data.b_conv]
        # A's id passed inside B's scope: RLS still returns nothing of A
        assert qc.conversation_queue(conn, str(data.a)).empty
        assert qc.conversation_queue_count(conn, str(data.a)) == 0
    assert queue_ids(data, search="cerveza") == [data.conv1]


def test_queue_options(data):
    with tenant_scope(data.a) as conn:
        options = qc.queue_options(conn, str(data.a))
    assert list(options["agent"].values()) == ["Admin", "Ana", "Bruno"]
    assert options["agent"][str(data.bruno)] == "Bruno"
    # only customers with conversations; B's same-named customer is not there
    assert options["customer"] == {str(data.c1): "Bar Central", str(data.c2): "Cafe Sol",
                                   str(data.c3): "Mercado Norte"}
    assert options["label"] == {str(data.late): "Late payer", str(data.vip): "VIP"}


def test_conversation_detail(data):
    with tenant_scope(data.a) as conn:
        detail = qc.conversation_detail(conn, str(data.a), conversation_id=data.conv1)
        other = qc.conversation_detail(conn, str(data.a), conversation_id=data.b_conv)
    assert (detail["customer"], detail["channel"], detail["status"], detail["assigned_to"]) == (
        "Bar Central", "whatsapp", "open", "Ana")
    assert other is None


def test_thread_messages_in_time_order_with_pii_marks(data):
    with tenant_scope(data.a) as conn:
        messages = qc.thread_messages(conn, str(data.a), conversation_id=data.conv1)
    assert list(messages["id"]) == [data.m1, data.m2, data.m3]
    assert list(messages["direction"]) == ["inbound", "outbound", "inbound"]
    assert list(messages["pii"]) == ["", "", "email x1, phone x2"]
    assert list(messages["pii_findings"]) == [0, 0, 3]


def test_thread_ai_responses_and_orders(data):
    with tenant_scope(data.a) as conn:
        responses = qc.thread_ai_responses(conn, str(data.a), conversation_id=data.conv1)
        orders = qc.thread_orders(conn, str(data.a), conversation_id=data.conv1)
        no_orders = qc.thread_orders(conn, str(data.a), conversation_id=data.conv3)
    assert list(responses["id"]) == [data.r1, data.r3, data.r2]
    assert list(responses["message_id"]) == [data.m1, data.m1, data.m3]
    first = responses.iloc[0]
    assert (first["kind"], first["model"], first["status"], first["reviewed_by"]) == (
        "reply", "gpt-4o-mini", "approved", "Ana")
    assert (first["confidence"], first["latency_ms"], first["cost_cents"]) == (0.9, 850, 0.0125)
    assert list(responses["kind"]) == ["reply", "order_extraction", "reply"]
    assert list(responses["status"]) == ["approved", "pending", "pending"]
    assert list(orders["order_number"]) == ["O-1"]
    assert orders.iloc[0]["total_cents"] == 15000
    assert orders.iloc[0]["ai_source_message_id"] == data.m1
    assert no_orders.empty and "order_number" in no_orders.columns


def test_review_metrics_for_the_period(data):
    with tenant_scope(data.a) as conn:
        m = qr.review_metrics(conn, str(data.a), period=PERIOD, tz=TZ)
    # in the period (local days): r1 r3 r2 (03-10), r4 r9 r7 (03-11); r8 (03-09 local) and r6 (03-12) are not
    assert m.waiting == 3  # r2, r3, r5: everything pending, whatever the period
    assert (m.suggestions, m.approved, m.edited, m.rejected) == (6, 2, 1, 1)
    assert m.acceptance_rate == pytest.approx(2 / 4)
    assert m.edit_rate == pytest.approx(1 / 4)
    assert m.avg_confidence_approved == pytest.approx((0.90 + 0.95) / 2)
    assert m.avg_confidence_rejected == pytest.approx(0.40)
    assert m.median_review_s == pytest.approx((120 + 300) / 2)  # of 60, 120, 300, 600


def test_review_metrics_period_follows_the_distributor_time_zone(data):
    with tenant_scope(data.a) as conn:
        day9 = qr.review_metrics(conn, str(data.a), period=day(9), tz=TZ)
        day12 = qr.review_metrics(conn, str(data.a), period=day(12), tz=TZ)
    # r8 was created 03-10 02:30 UTC, still 03-09 in Sao Paulo; r7 (03-12 02:30 UTC) belongs to 03-11
    assert (day9.suggestions, day9.edited, day9.median_review_s) == (2, 1, pytest.approx(30))
    assert (day12.suggestions, day12.edited, day12.approved) == (1, 1, 0)


def test_review_metrics_of_an_empty_period(data):
    with tenant_scope(data.a) as conn:
        m = qr.review_metrics(conn, str(data.a), period=JANUARY_2024, tz=TZ)
        table = qr.review_by_model(conn, str(data.a), period=JANUARY_2024, tz=TZ)
    assert m.waiting == 3
    assert (m.suggestions, m.approved, m.acceptance_rate, m.edit_rate) == (0, 0, None, None)
    assert m.median_review_s is None
    assert m.avg_confidence_approved is None and m.avg_confidence_rejected is None
    assert table.empty and "acceptance_rate" in table.columns


def test_review_by_model_and_prompt_version(data):
    with tenant_scope(data.a) as conn:
        table = qr.review_by_model(conn, str(data.a), period=PERIOD, tz=TZ)
    assert list(zip(table["model"], table["prompt_version"], strict=True)) == [
        ("gpt-4o-mini", "reply-v1"), ("gpt-4o", "reply-v2"), ("gpt-4o-mini", "order-v1")]
    mini, four_o, order = (table.iloc[i] for i in range(3))
    # mini/reply-v1: r1 approved 0.90 60 s, r2 pending 0.70, r9 edited 0.85 600 s
    assert [mini[c] for c in COUNTS] == [3, 1, 1, 1, 0]
    assert (mini["acceptance_rate"], mini["edit_rate"]) == (pytest.approx(0.5), pytest.approx(0.5))
    assert mini["avg_confidence"] == pytest.approx((0.90 + 0.70 + 0.85) / 3)
    assert mini["median_review_s"] == pytest.approx((60 + 600) / 2)
    # 4o/reply-v2: r4 rejected 0.40 300 s, r7 approved 0.95 120 s
    assert [four_o[c] for c in COUNTS] == [2, 0, 1, 0, 1]
    assert (four_o["acceptance_rate"], four_o["edit_rate"]) == (pytest.approx(0.5), pytest.approx(0.0))
    assert four_o["avg_confidence"] == pytest.approx((0.40 + 0.95) / 2)
    assert four_o["median_review_s"] == pytest.approx(210)
    # mini/order-v1: r3 pending only, nothing decided yet
    assert [order[c] for c in ("suggestions", "waiting", "approved")] == [1, 1, 0]
    assert order["avg_confidence"] == pytest.approx(0.80)
    assert pd.isna(order["acceptance_rate"]) and pd.isna(order["median_review_s"])


def test_review_metrics_never_count_another_distributor(data):
    with tenant_scope(data.b) as conn:
        b = qr.review_metrics(conn, str(data.b), period=PERIOD, tz="UTC")
        a_from_b = qr.review_metrics(conn, str(data.a), period=PERIOD, tz=TZ)
    assert (b.waiting, b.suggestions) == (1, 1)
    assert (a_from_b.waiting, a_from_b.suggestions) == (0, 0)
