"""pages/assistant.py in AppTest: the offline drafter without a key (draft an order in a few clicks, confirm,
the order exists), a pasted message, and the AI path against tests.fake_openai (streamed reply, PII shown,
a failure with Retry that keeps the edited reply, the budget's refusal and the switch to offline)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from ai.assistant import OFFLINE_NOTICE
from ai.errors import USER_MESSAGES
from core import clock
from core.config import get_settings
from tests import factories as f
from tests.ai.sample_catalog import _ROWS
from tests.apptest import page, texts
from tests.fake_openai import Script, error, fake_openai_fixture, json_reply  # noqa: F401

PAGE = "pages/assistant.py"
MESSAGE = "Hola! 2 cajas de coca cola 2L y 10 agua 500ml. Mi mail: ana@example.com"
# 2 x 350 + 10 x 80 = 1500 cents
TOTAL = 1500


def seed(engine, *, budget_cents=None, hard_limit=False, spend_today=None, role="support"):
    with engine.begin() as conn:
        d = f.distributor(conn, "Bebidas Sur", budget_cents=budget_cents, hard_limit=hard_limit)
        user = f.signed_in(conn, d, role)
        c = f.customer(conn, d, "Ana Pérez", language="es")
        other = f.customer(conn, d, "Kiosco Norte")
        f.label(conn, d, "VIP", [c])
        conv = f.conversation(conn, d, c)
        m = f.message(conn, d, conv, MESSAGE, created_at=datetime(2026, 3, 1, 9, tzinfo=UTC))
        for sku, name, aliases, unit, price, _ in _ROWS:
            f.product(conn, d, sku, name, price, aliases=list(aliases), unit=unit)
        if spend_today is not None:
            f.usage(conn, d, clock.now().date(), "gpt-4o-mini", "reply", requests=1, input_tokens=1,
                    output_tokens=1, cost_cents=spend_today)
    return {"d": str(d), "user": user, "c": c, "other": other, "conv": conv, "m": m}


def scalar(engine, sql, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


@pytest.fixture
def ai_settings(fake_openai, monkeypatch):
    """The app configured for the fake server: a key, its base URL, no retries, a short timeout."""
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("ORDERSIGHT_AI_MAX_RETRIES", "0")
    monkeypatch.setenv("ORDERSIGHT_AI_TIMEOUT_S", "3")
    get_settings.cache_clear()
    yield fake_openai
    monkeypatch.undo()
    get_settings.cache_clear()


def test_offline_order_in_three_clicks(clean_db):
    s = seed(clean_db)
    at = page(PAGE, s["user"])
    assert not at.exception
    assert OFFLINE_NOTICE in texts(at)
    assert "VIP" in texts(at)  # customer context: labels

    at.button(key="asst_draft_order").click().run()
    (editor,) = at.data_editor
    lines = editor.value
    assert list(lines["Product"]) == ["Coca-Cola 2L · COKE-2L", "Agua Mineral 500ml · WATER-500"]
    assert list(lines["Quantity"]) == [2.0, 10.0]
    assert list(lines["Line total"]) == [7.0, 8.0]
    assert {m.label: m.value for m in at.metric}["Order total"] == "USD 15.00"

    at.button(key="asst_confirm_order").click().run()
    assert not at.exception
    assert "Order ORD-000001 created." in texts(at)
    assert at.button(key="asst_confirm_order").disabled  # a second click cannot confirm again
    row = scalar(clean_db, "select row(order_number, total_cents, ai_source_message_id, conversation_id)"
                           "::text from orders where distributor_id = :d", d=s["d"])
    assert row == f"(ORD-000001,{TOTAL},{s['m']},{s['conv']})"


def test_offline_reply_is_saved_as_a_pending_suggestion(clean_db):
    s = seed(clean_db)
    at = page(PAGE, s["user"])
    at.button(key="asst_draft_reply").click().run()
    reply = at.text_area(key=f"asst_reply_text_m{s['m']}")
    assert reply.value.startswith("¡Hola Ana Pérez! Gracias por tu pedido.")
    assert "2 cajas de Coca-Cola 2L" in reply.value
    reply.input(reply.value + "\nSaludos").run()
    at.button(key="asst_save_reply").click().run()
    assert "Saved as the reply suggestion" in texts(at)
    saved = scalar(clean_db, "select row(message_id, model, status, right(content, 7))::text "
                             "from ai_responses")
    assert saved == f"({s['m']},offline-drafter,pending,Saludos)"


def test_pasted_message_for_a_customer(clean_db):
    s = seed(clean_db)
    at = page(PAGE, s["user"])
    at.radio(key="asst_source").set_value("Paste a message").run()
    at.selectbox(key="asst_customer").set_value(s["other"]).run()
    at.text_area(key="asst_paste").input("3 fanta 2l y 1 heineken lata").run()
    at.button(key="asst_draft_order").click().run()
    assert list(at.data_editor[0].value["Product"]) == ["Fanta Naranja 2L · FANTA-2L",
                                                        "Heineken 355ml lata · HEIN-355"]
    at.button(key="asst_confirm_order").click().run()
    assert "Order ORD-000001 created." in texts(at)
    # 3 x 320 + 1 x 210; the pasted text became the agent's entry (issue 14: not the customer's message) the
    # order links to, and the offline drafter's order is a person's, not the AI's
    got = scalar(clean_db, "select row(o.total_cents, o.customer_id, o.source, o.drafted_by, m.content, "
                           "m.direction, m.sender_type, m.source)::text "
                           "from orders o join messages m on m.id = o.ai_source_message_id")
    assert got == (f"(1170,{s['other']},manual,offline_drafter,\"3 fanta 2l y 1 heineken lata\",inbound,agent,"
                   "pasted)")
    (messages,) = [df.value for df in at.dataframe if "sender" in df.value]  # the context's recent messages
    assert list(messages["sender"]) == ["Agent · pasted"]
    # the pasted text is still there
    assert at.text_area(key="asst_paste").value == "3 fanta 2l y 1 heineken lata"


def test_context_dates_are_in_the_distributors_time_zone(clean_db):
    # issue 14: an order of 20:16 on 4 Dec in Mexico City showed as 2026-12-05 (UTC) in the context panel
    just_after_midnight = datetime(2026, 12, 5, 2, 16, tzinfo=UTC)
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Bebidas Sur", tz="America/Mexico_City")
        user = f.signed_in(conn, d, "support")
        c = f.customer(conn, d, "Ana Pérez")
        conv = f.conversation(conn, d, c)
        f.message(conn, d, conv, "hola", created_at=just_after_midnight)
        f.order(conn, d, c, [(None, "x", 1, 100)], number="AB-000001", created_at=just_after_midnight)
    at = page(PAGE, user)
    assert not at.exception
    orders, messages = at.dataframe
    assert str(orders.value["created_at"][0]) == "2026-12-04 20:16:00"
    assert str(messages.value["created_at"][0]) == "2026-12-04 20:16:00"


def test_ai_reply_streams_then_a_failure_keeps_the_edit_and_retry_works(clean_db, ai_settings):
    fake = ai_settings
    s = seed(clean_db)
    fake.script(Script(text="¡Hola Ana! Anotamos tu pedido.", usage=(80, 9)))
    at = page(PAGE, s["user"])
    assert OFFLINE_NOTICE not in texts(at)

    at.button(key="asst_draft_reply").click().run()
    key = f"asst_reply_text_m{s['m']}"
    assert at.text_area(key=key).value == "¡Hola Ana! Anotamos tu pedido."
    assert "Hidden from the AI before sending: email ×1." in texts(at)
    assert "ana@example.com" not in str(fake.requests[0])
    at.text_area(key=key).input("¡Hola Ana! Anotamos tu pedido, llega el martes.").run()

    fake.script(error(500))
    at.button(key="asst_draft_order").click().run()
    assert not at.exception
    assert USER_MESSAGES["server_error"] in texts(at)
    assert at.text_area(key=key).value == "¡Hola Ana! Anotamos tu pedido, llega el martes."
    assert scalar(clean_db, "select error_type from ai_errors") == "server_error"

    fake.script(json_reply({"lines": [{"product_wording": "coca cola 2L", "quantity": 2, "unit": "caja",
                                       "notes": None, "sku": "COKE-2L"},
                                      {"product_wording": "agua 500ml", "quantity": 10, "unit": None,
                                       "notes": None, "sku": "WATER-500"}],
                            "requested_delivery_date": None, "notes": None}))
    at.button(key="asst_retry_order").click().run()
    assert USER_MESSAGES["server_error"] not in texts(at)
    assert list(at.data_editor[0].value["Line total"]) == [7.0, 8.0]
    assert "Drafted by the AI." in texts(at)

    at.button(key="asst_save_reply").click().run()
    assert scalar(clean_db, "select content from ai_responses where kind = 'reply'") == (
        "¡Hola Ana! Anotamos tu pedido, llega el martes.")
    at.button(key="asst_confirm_order").click().run()
    assert "Order ORD-000001 created." in texts(at)
    assert scalar(clean_db, "select total_cents from orders where draft_key is not null") == TOTAL
    assert len(fake.requests) == 3


def test_budget_refusal_offers_the_offline_drafter(clean_db, ai_settings):
    fake = ai_settings
    s = seed(clean_db, budget_cents=100, hard_limit=True, spend_today=100)
    at = page(PAGE, s["user"])
    at.button(key="asst_draft_reply").click().run()
    assert "used up" in texts(at)
    assert fake.requests == []

    at.button(key="asst_offline_reply").click().run()
    assert not at.exception
    assert "Using the offline drafter" in texts(at)
    assert at.text_area(key=f"asst_reply_text_m{s['m']}").value.startswith("¡Hola Ana Pérez!")
    assert fake.requests == []
    assert scalar(clean_db, "select count(*) from ai_errors where error_type = 'budget_blocked'") == 1


def test_role_without_the_permission_is_refused(clean_db):
    s = seed(clean_db, role="manager")
    at = page(PAGE, s["user"])
    assert "You are not allowed to see this page." in texts(at)
    assert not at.button


def test_a_paste_with_control_characters_gets_a_message_and_stays(clean_db):
    # issue 12, finding 7: a NUL byte showed "something went wrong" (PostgreSQL refuses it)
    s = seed(clean_db)
    at = page(PAGE, s["user"])
    at.radio(key="asst_source").set_value("Paste a message").run()
    at.text_area(key="asst_paste").input("3 fanta 2l\x00").run()
    at.button(key="asst_draft_order").click().run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == [
        "The customer message contains invisible control characters (such as NUL): remove them and try again."]
    assert at.text_area(key="asst_paste").value == "3 fanta 2l\x00"
    assert at.text_area(key="asst_paste").proto.max_chars == 4_000
