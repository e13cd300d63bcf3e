"""pages/conversations.py in AppTest, per role, on the dataset of tests/conversations_seed.py.

The period is 2025-03-10..11 (Sao Paulo), the previous one 03-08..09 (r5 pending, r8 edited after 30 s)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from tests import factories as f
from tests.apptest import page, texts
from tests.conversations_seed import seed

PATH = "pages/conversations.py"
PERIOD = {"conv_period": "custom", "conv_from": "2025-03-10", "conv_to": "2025-03-11"}
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


def open_conversation(at, conversation_id):
    at.selectbox(key="conv_open").set_value(conversation_id).run()
    assert not at.exception, at.exception
    return at


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
    assert queue(at) == [data.conv4, data.conv2, data.conv1, data.conv3]
    assert "4 conversations" in shown(at)
    # support agents read the queue but have no export_data permission
    assert len(at.get("download_button")) == (0 if role == "support" else 1)
    views = db(data, "select resource, record_count from data_access_audit where distributor_id = :d "
                     "and action = 'view'")
    assert views == [("conversations", 4)]


def test_queue_filters_from_the_url_and_the_toggle(data):
    user = signed_in(data.engine, data.a, "support")
    at = page(PATH, user, query_params=PERIOD | {"conv_status": "open", "conv_customer": "Bar Central"})
    assert queue(at) == [data.conv4, data.conv1]
    at = page(PATH, user, query_params=PERIOD | {"conv_label": "VIP", "conv_channel": "whatsapp"})
    assert queue(at) == [data.conv1, data.conv3]
    at = page(PATH, user, query_params=PERIOD | {"conv_agent": "Bruno"})
    assert queue(at) == [data.conv4, data.conv2]
    at = page(PATH, user, query_params=PERIOD | {"conv_q": "vino or cerveza"})
    assert queue(at) == [data.conv1, data.conv3]
    at = page(PATH, user, query_params=PERIOD | {"conv_q": "'; drop table messages; --"})
    assert not at.exception and "No conversation matches these filters" in shown(at)
    at = page(PATH, user, query_params=PERIOD)
    at.toggle(key="conv_waiting").set_value(True).run()
    assert queue(at) == [data.conv1, data.conv3] and "2 conversations" in shown(at)


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
    # only the two pending suggestions get review buttons
    assert {b.key for b in at.button} == {f"conv_thread:{a}:{r}" for a in ("approve", "edited", "rejected")
                                          for r in (data.r2, data.r3)}
    views = db(data, "select resource, record_count, details->'filters'->>'conversation_id' "
                     "from data_access_audit where distributor_id = :d and action = 'view' order by id")
    assert views == [("conversations", 4, None), ("conversation", 3, str(data.conv1))]


@pytest.mark.parametrize("role", REVIEWERS)
def test_approve_edit_and_reject_from_the_page(data, role):
    user = signed_in(data.engine, data.a, role)
    at = open_conversation(page(PATH, user, query_params=PERIOD), data.conv1)

    click(at, "approve", data.r2)
    assert "Approved." in shown(at)
    assert metrics(at)["Suggestions waiting"][0] == "2"
    assert f"#{data.conv1} · Bar Central · open · 1 waiting" in at.selectbox(key="conv_open").options

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
    assert at.selectbox(key="conv_open").value is None
    assert "conversations" in texts(at)
