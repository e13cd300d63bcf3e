"""pages/conversations.py in AppTest, per role, on the dataset of tests/conversations_seed.py.

The period is 2025-03-10..11 (Sao Paulo), the previous one 03-08..09 (r5 pending, r8 edited after 30 s)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from tests import factories as f
from tests.apptest import page, texts
from tests.conversations_seed import seed

PATH = "pages/conversations.py"
PERIOD = {"conv_period": "custom", "conv_from": "2025-03-10", "conv_to": "2025-03-11"}
# a period with every conversation's latest activity (conv3 on the 9th, conv4 on the 12th, Sao Paulo)
WIDE = {"conv_period": "custom", "conv_from": "2025-03-09", "conv_to": "2025-03-12"}
REVIEWERS = ["support", "manager", "admin", "operator"]


@pytest.fixture
def data(clean_db):
    s = seed(clean_db)
    s.engine = clean_db
    return s


def signed_in(engine, distributor_id, role):
    with engine.begin() as conn:
        return f.signed_in(conn, distributor_id, role)


def shown(at) -> str:
    """Everything the run shows, with Markdown escapes removed (the page escapes customer text)."""
    return re.sub(r"\\(.)", r"\1", texts(at))


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def queue(at) -> list[int]:
    """The ids of the queue table (a display dataframe has no key in AppTest: found by its columns)."""
    tables = [df.value for df in at.dataframe if "last_message" in df.value.columns]
    return list(tables[0]["id"]) if tables else []


def picker(at):
    """The "Open conversation" picker (its key changes when the URL changes from outside)."""
    return next(s for s in at.selectbox if s.label == "Open conversation")


def open_conversation(at, conversation_id):
    picker(at).set_value(conversation_id).run()
    assert not at.exception, at.exception
    assert at.query_params["conversation"] == str(conversation_id)  # F5 and a copied link keep it
    return at


def suggestion(at, text):
    """The AI suggestion's chat message whose markdown contains `text`."""
    return next(c for c in at.chat_message
                if c.name == "ai" and any(text in re.sub(r"\\(.)", r"\1", str(m.value)) for m in c.markdown))


def click(at, action, response_id, **fields):
    for name, value in fields.items():
        widget = at.text_area if name == "edit" else at.text_input
        widget(key=f"conv_thread:{name}:{response_id}").input(value)
    at.button(key=f"conv_thread:{action}:{response_id}").click().run()
    assert not at.exception, at.exception
    return at


def db(data, sql, **params):
    with data.engine.connect() as conn:
        return conn.execute(text(sql), {"d": data.a, **params}).all()


@pytest.mark.parametrize("role", REVIEWERS)
def test_renders_the_known_metrics_and_queue(data, role):
    at = page(PATH, signed_in(data.engine, data.a, role), query_params=PERIOD)
    assert not at.exception, at.exception
    m = metrics(at)
    assert m["Suggestions waiting"][0] == "3"
    # decided in the period: r1 r7 approved (0.90, 0.95), r9 edited, r4 rejected (0.40);
    # reviews took 60, 120, 300 and 600 s
    assert m["Acceptance rate"] == ("50.0%", "n/a")  # previous period: 0 of 1 approved
    assert m["Edit rate"] == ("25.0%", "-75.0%")  # previous: 1 of 1
    assert m["Confidence, approved"] == ("92.5%", "n/a")
    assert m["Confidence, rejected"] == ("40.0%", "n/a")
    assert m["Median review"] == ("3.5 min", "+600.0%")  # 210 s vs 30 s
    by_model = next(df.value for df in at.dataframe if "prompt_version" in df.value.columns)
    assert list(by_model["suggestions"]) == [3, 2, 1]
    # the period applies to the queue: conv4 (12th) and conv3 (9th) had no activity in it
    assert queue(at) == [data.conv2, data.conv1]
    assert "2 conversations with activity from 10 Mar 2025 to 11 Mar 2025" in shown(at)
    # support agents read the queue but have no export_data permission
    assert len(at.get("download_button")) == (0 if role == "support" else 1)
    views = db(data, "select resource, record_count from data_access_audit where distributor_id = :d "
                     "and action = 'view'")
    assert views == [("conversations", 2)]
    wide = page(PATH, signed_in(data.engine, data.a, role), query_params=WIDE)
    assert queue(wide) == [data.conv4, data.conv2, data.conv1, data.conv3]
    assert "4 conversations with activity from 09 Mar 2025 to 12 Mar 2025" in shown(wide)
    early = page(PATH, signed_in(data.engine, data.a, role), query_params=WIDE | {"conv_to": "2025-03-09"})
    assert queue(early) == [data.conv3]


def test_queue_filters_from_the_url_and_the_toggle(data):
    user = signed_in(data.engine, data.a, "support")
    at = page(PATH, user, query_params=WIDE | {"conv_status": "open", "conv_customer": "Bar Central"})
    assert queue(at) == [data.conv4, data.conv1]
    at = page(PATH, user, query_params=WIDE | {"conv_label": "VIP", "conv_channel": "whatsapp"})
    assert queue(at) == [data.conv1, data.conv3]
    at = page(PATH, user, query_params=WIDE | {"conv_agent": "Bruno"})
    assert queue(at) == [data.conv4, data.conv2]
    at = page(PATH, user, query_params=WIDE | {"conv_q": "vino or cerveza"})
    assert queue(at) == [data.conv1, data.conv3]
    at = page(PATH, user, query_params=WIDE | {"conv_q": "'; drop table messages; --"})
    assert not at.exception and "No conversation matches these filters" in shown(at)
    at = page(PATH, user, query_params=WIDE)
    at.toggle(key="conv_waiting").set_value(True).run()
    assert queue(at) == [data.conv1, data.conv3] and "2 conversations" in shown(at)


def test_a_text_an_agent_pasted_reads_as_pasted_in_the_thread(data):
    # the Assistant stores a pasted text as the agent's entry (migration 0010); the thread must say so
    with data.engine.begin() as conn:
        pasted = conn.execute(text("update messages set source = 'pasted', direction = 'inbound' where id = "
                                   "(select min(id) from messages where conversation_id = :c and sender_type = 'agent')"
                                   " returning id"), {"c": data.conv1}).scalar_one()
    assert pasted
    user = signed_in(data.engine, data.a, "support")
    at = open_conversation(page(PATH, user, query_params=PERIOD), data.conv1)
    assert re.search(r"Agent · pasted · inbound · \d{4}-\d{2}-\d{2} \d{2}:\d{2}", shown(at))


def test_thread_shows_messages_suggestions_pii_and_orders(data):
    user = signed_in(data.engine, data.a, "support")
    at = open_conversation(page(PATH, user, query_params=PERIOD), data.conv1)
    # m1 with its two suggestions, then m2, then m3 with its suggestion: time order, not insertion order
    assert [c.name for c in at.chat_message] == ["customer", "ai", "ai", "agent", "customer", "ai"]
    page_text = shown(at)
    assert "Linked orders: O-1 (confirmed, $150.00, ai)" in page_text
    assert "Became order O-1 (confirmed, $150.00, ai)" in page_text
    assert "PII redacted before AI: email x1, phone x2" in page_text
    assert "Customer · inbound · 2025-03-10 09:00" in page_text  # 12:00 UTC in Sao Paulo
    assert "reply · gpt-4o-mini (reply-v1) · confidence 90.0% · 850 ms · $0.0001" in page_text
    assert "Approved by Ana at 2025-03-10 09:02" in page_text
    # only the two pending suggestions get review buttons; the order extraction r3 is approved or rejected
    # as drafted, and its unreadable lines ('{"lines": 1}') are said so, not shown as JSON
    assert {b.key for b in at.button} == {f"conv_thread:{a}:{r}" for a in ("approve", "edited", "rejected")
                                          for r in (data.r2, data.r3)} - {f"conv_thread:edited:{data.r3}"}
    assert "The AI's order lines could not be read" in shown(at) and '{"lines"' not in shown(at)
    views = db(data, "select resource, record_count, details->'filters'->>'conversation_id' "
                     "from data_access_audit where distributor_id = :d and action = 'view' order by id")
    assert views == [("conversations", 2, None), ("conversation", 3, str(data.conv1))]


@pytest.mark.parametrize("role", REVIEWERS)
def test_approve_edit_and_reject_from_the_page(data, role):
    user = signed_in(data.engine, data.a, role)
    at = open_conversation(page(PATH, user, query_params=WIDE), data.conv1)

    click(at, "approve", data.r2)
    assert "Approved." in shown(at)
    assert metrics(at)["Suggestions waiting"][0] == "2"
    assert picker(at).value == data.conv1 and at.query_params["conversation"] == str(data.conv1)

    click(at, "rejected", data.r3)  # no reason yet
    assert "Say why the suggestion is rejected" in shown(at)
    assert metrics(at)["Suggestions waiting"][0] == "2"
    click(at, "rejected", data.r3, reason="Asked for 12 boxes, not 10")
    assert "Rejected." in shown(at) and metrics(at)["Suggestions waiting"][0] == "1"

    at.toggle(key="conv_waiting").set_value(True).run()
    assert queue(at) == [data.conv3] and "1 conversation" in shown(at)
    open_conversation(at, data.conv3)
    click(at, "edited", data.r5, edit="El vino cuesta 9 dólares.")
    assert "Saved your edited reply." in shown(at)
    assert metrics(at)["Suggestions waiting"][0] == "0"
    assert "No conversation matches these filters" in shown(at)
    # the conversation left the filtered queue with its last decision, and stays open
    assert f"#{data.conv3} · Mercado Norte" in shown(at) and picker(at).value == data.conv3

    decided = db(data, "select id, status, reviewed_by, final_content, feedback from ai_responses "
                       "where distributor_id = :d and id in (:r2, :r3, :r5) order by id",
                 r2=data.r2, r3=data.r3, r5=data.r5)
    assert {(r.id, r.status, r.final_content, r.feedback) for r in decided} == {
        (data.r2, "approved", "Gracias, anotado.", None),
        (data.r3, "rejected", None, "Asked for 12 boxes, not 10"),
        (data.r5, "edited", "El vino cuesta 9 dólares.", None)}
    assert {str(r.reviewed_by) for r in decided} == {user.id}
    actions = db(data, "select action from data_access_audit where distributor_id = :d "
                       "and resource = 'ai_responses' order by id")
    assert [a for (a,) in actions] == ["approve", "reject", "edit"]
    assert len(db(data, "select 1 from ai_training_data where distributor_id = :d")) == 2


def test_a_late_second_decision_shows_who_decided_first(data):
    """Two agents on the same suggestion: the second one's request (already stored when the first one
    committed) produces no second decision, and says who decided."""
    ana, bruno = (signed_in(data.engine, data.a, "support") for _ in range(2))
    first = open_conversation(page(PATH, ana, query_params=PERIOD), data.conv1)
    second = open_conversation(page(PATH, bruno, query_params=PERIOD), data.conv1)
    click(first, "approve", data.r2)
    second.session_state["conv_thread:busy"] = {"response_id": data.r2, "decision": "rejected",
                                                "final_content": None, "reason": "no"}
    second.run()
    assert not second.exception, second.exception
    assert re.search(r"Already reviewed by Support at 20\d\d-\d\d-\d\d \d\d:\d\d \(America/Sao_Paulo\): "
                     r"approved\.", shown(second))
    rows = db(data, "select status, reviewed_by::text from ai_responses where id = :r", r=data.r2)
    assert rows == [("approved", ana.id)]
    assert len(db(data, "select 1 from data_access_audit where resource = 'ai_responses'")) == 1


def test_friendly_empty_state_for_a_distributor_without_data(clean_db):
    with clean_db.begin() as conn:
        empty = f.distributor(conn, "Quiet Co")
    at = page(PATH, signed_in(clean_db, empty, "support"), query_params=PERIOD)
    assert not at.exception, at.exception
    assert "No conversations yet" in shown(at)
    assert metrics(at)["Suggestions waiting"][0] == "0"
    assert metrics(at)["Acceptance rate"][0] == "—"


def test_finance_is_not_allowed(data):
    at = page(PATH, signed_in(data.engine, data.a, "finance"), query_params=PERIOD)
    assert "You are not allowed to see this page." in shown(at)
    assert not at.metric and not at.dataframe


def test_tenant_isolation_through_the_page_and_its_cache(data):
    b_user = signed_in(data.engine, data.b, "support")
    a_user = signed_in(data.engine, data.a, "support")
    b_view = page(PATH, b_user, query_params=PERIOD | {"conv_q": "cerveza"})
    assert queue(b_view) == [data.b_conv] and metrics(b_view)["Suggestions waiting"][0] == "1"
    open_conversation(b_view, data.b_conv)
    assert "B's suggestion" in shown(b_view)

    # same filters right after, as A: the cached results of B must not be served
    a_view = page(PATH, a_user, query_params=PERIOD | {"conv_q": "cerveza"})
    assert queue(a_view) == [data.conv1]
    assert metrics(a_view)["Suggestions waiting"][0] == "3"
    assert "Quiero cerveza" not in shown(a_view) and "B's suggestion" not in shown(a_view)
    a_all = page(PATH, a_user, query_params=PERIOD)
    assert data.b_conv not in queue(a_all)
    # a link to B's conversation, opened by A, shows nothing of it
    linked = page(PATH, a_user, query_params=PERIOD | {"conversation": str(data.b_conv)})
    assert "Conversation not found" in shown(linked)
    assert "Quiero cerveza" not in shown(linked) and not linked.chat_message


@pytest.mark.parametrize("linked", ["²", "١٢", "99999999999999999999999", "-1", "1e3"])
def test_a_malformed_conversation_link_opens_nothing_and_breaks_nothing(data, linked):
    at = page(PATH, signed_in(data.engine, data.a, "support"), query_params=PERIOD | {"conversation": linked})
    assert not at.exception and not at.error
    assert picker(at).value is None
    assert "conversations" in texts(at)


def test_an_order_extraction_shows_as_a_table_of_lines_never_json(data):
    """As the demo and the Assistant store them: the model's lines (wording, sku) in content, or lines
    grounded in the catalog (product_id) in structured; both read as product, quantity, price, total."""
    with data.engine.begin() as conn:
        coke = f.product(conn, data.a, "COKE-2L", "Coca-Cola 2L", 450)
        f.product(conn, data.a, "WATER-500", "Agua 500ml", 120)
        content = json.dumps({"lines": [
            {"product_wording": "coca 2 litros", "quantity": 3, "unit": "caja", "notes": None, "sku": "COKE-2L"},
            {"product_wording": "hielo", "quantity": 2, "unit": None, "notes": None, "sku": None}]})
        pending = f.ai_response(conn, data.a, data.m4, kind="order_extraction", prompt_version="order-v1",
                                content=content, confidence=0.9)
        grounded = f.ai_response(conn, data.a, data.m4, kind="order_extraction", prompt_version="order-v1",
                                 status="approved", reviewed_by=data.ana, content='{"raw": "model output"}',
                                 structured={"lines": [{"raw_text": "agua", "quantity": "10", "unit": None,
                                                        "product_id": coke, "method": "fuzzy",
                                                        "confidence": 0.8, "flagged": False}]})
    at = open_conversation(page(PATH, signed_in(data.engine, data.a, "support"), query_params=WIDE), data.conv2)
    tables = [df.value for df in at.dataframe if "Wording" in df.value.columns]
    assert [list(t["Wording"]) for t in tables] == [["coca 2 litros", "hielo"], ["agua"]]
    first, second = tables
    assert list(first["Product"].fillna("")) == ["Coca-Cola 2L · COKE-2L", ""]
    assert list(first["Quantity"]) == [3.0, 2.0] and list(first["Unit price"]) == [4.5, 0.0]
    assert list(first["Line total"]) == [13.5, 0.0] and list(first["Match"]) == ["AI choice 90%", "⚠ unmatched"]
    assert list(second["Line total"]) == [45.0]
    page_text = shown(at)
    assert "Total USD 13.50 at today's catalog prices · ⚠ check the highlighted lines" in page_text
    assert "Total USD 45.00 at today's catalog prices" in page_text
    assert "product_wording" not in page_text and "model output" not in page_text
    # no JSON box: approved or rejected as drafted
    assert not [t for t in at.text_area if t.key.endswith(f":{pending}")]
    assert {b.key for b in at.button if b.key.endswith(f":{pending}")} == {
        f"conv_thread:approve:{pending}", f"conv_thread:rejected:{pending}"}
    click(at, "approve", pending)
    assert db(data, "select status from ai_responses where id = :r", r=pending) == [("approved",)]
    assert grounded


def test_feedback_shows_next_to_the_decision(data):
    at = open_conversation(page(PATH, signed_in(data.engine, data.a, "support"), query_params=WIDE), data.conv1)
    click(at, "rejected", data.r2)  # no reason
    warned = suggestion(at, "Gracias, anotado.")
    assert [w.value for w in warned.warning] == ["Say why the suggestion is rejected: the reason teaches the AI."]
    assert len([w for w in at.warning if "Say why" in w.value]) == 1  # there only, not atop the page
    click(at, "approve", data.r2)
    assert [s.value for s in suggestion(at, "Gracias, anotado.").success] == ["Approved."]
    assert [t.value for t in at.toast] == ["Approved."]
    at.run()  # shown once
    assert not suggestion(at, "Gracias, anotado.").success and not at.toast


def test_an_automatic_decision_says_so(data):
    with data.engine.begin() as conn:
        f.ai_response(conn, data.a, data.m4, kind="classification", prompt_version="classify-v1",
                      content="order", status="approved", reviewed_at=datetime(2025, 3, 11, 12, tzinfo=UTC),
                      structured={"intent": "order", "language": "es"})
    at = open_conversation(page(PATH, signed_in(data.engine, data.a, "support"), query_params=WIDE), data.conv2)
    page_text = shown(at)
    assert "Approved automatically at 2025-03-11 09:00" in page_text
    assert "someone" not in page_text
    assert "Classified as: order · language: es" in page_text and "'intent'" not in page_text


def test_keyboard_shortcuts_act_on_the_first_suggestion_waiting(data):
    def shortcuts(at):
        return {b.key: (b.proto.shortcut, b.help) for b in at.button if b.proto.shortcut}  # stored lower case

    at = open_conversation(page(PATH, signed_in(data.engine, data.a, "support"), query_params=WIDE), data.conv1)
    # thread order: m1's order extraction r3 comes before m3's reply r2
    assert shortcuts(at) == {f"conv_thread:approve:{data.r3}": ("alt+a", "Keyboard: Alt+A"),
                             f"conv_thread:rejected:{data.r3}": ("alt+x", "Keyboard: Alt+X")}
    click(at, "approve", data.r3)
    assert shortcuts(at) == {f"conv_thread:{d}:{data.r2}": (k.lower(), f"Keyboard: {k}")
                             for d, k in (("approve", "Alt+A"), ("edited", "Alt+E"), ("rejected", "Alt+X"))}
