"""sections/thread.py and sections/conversation_queue.py without a database."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from components.text import escape_markdown
from sections.conversation_queue import named_options
from sections.thread import order_summary, suggestion_meta


@pytest.mark.parametrize(("raw", "escaped"), [
    ("plain words", "plain words"),
    ("[click](http://evil.test)", r"\[click\]\(http\://evil\.test\)"),
    ("![img](x.png)", r"\!\[img\]\(x\.png\)"),
    ("costs $5 and $6", r"costs \$5 and \$6"),
    ("<b>hi</b>", r"\<b\>hi\</b\>"),
    ("# title\n- item", "\\# title  \n\\- item"),
    (":red[alarm] *bold* _it_ `code`", r"\:red\[alarm\] \*bold\* \_it\_ \`code\`"),
    ("back\\slash", "back\\\\slash"),
])
def test_escape_markdown(raw, escaped):
    assert escape_markdown(raw) == escaped


def test_suggestion_meta_and_order_summary():
    row = {"kind": "order_extraction", "model": "gpt-4o", "prompt_version": "order-v2", "confidence": 0.875,
           "latency_ms": 1530, "cost_cents": 0.25}
    assert suggestion_meta(row) == (
        "order extraction · gpt-4o (order-v2) · confidence 87.5% · 1.53 s · $0.0025")
    assert suggestion_meta(row | {"cost_cents": float("nan")}).endswith("· cost unknown")
    order = {"order_number": "A-7", "status": "pending", "total_cents": 123456, "currency": "EUR",
             "source": "ai"}
    assert order_summary(order) == "A-7 (pending, €1,234.56, ai)"


def test_named_options_disambiguates_equal_names():
    assert named_options({"1": "Bar Central", "2": "Cafe Sol", "3": "Bar Central"}) == {
        "Bar Central (#1)": "1", "Cafe Sol": "2", "Bar Central (#3)": "3"}
    assert named_options({}) == {}


def _thread_app():
    import pandas as pd
    import streamlit as st

    from sections.thread import render_thread

    t = pd.Timestamp("2025-03-10 12:00", tz="UTC")
    messages = pd.DataFrame([{"id": 1, "direction": "inbound", "sender_type": "customer", "source": "channel",
                              "content": "Hola", "created_at": t, "order_id": None, "pii": "", "pii_findings": 0}])
    responses = pd.DataFrame([
        {"id": 10, "message_id": 1, "kind": "reply", "content": "Hi!", "model": "m", "prompt_version": "v1",
         "confidence": 0.9, "latency_ms": 5, "cost_cents": 0.1, "status": "pending", "final_content": None,
         "feedback": None, "reviewed_by": None, "reviewed_at": None, "created_at": t, "structured": None,
         "automatic": False},
        {"id": 11, "message_id": 1, "kind": "reply", "content": "Yo", "model": "m", "prompt_version": "v1",
         "confidence": 0.2, "latency_ms": 5, "cost_cents": 0.1, "status": "rejected", "final_content": None,
         "feedback": "rude", "reviewed_by": "Ana", "reviewed_at": t, "created_at": t, "structured": None,
         "automatic": False},
    ])
    orders = pd.DataFrame(columns=["id", "order_number", "status", "source", "total_cents", "currency",
                                   "created_at", "ai_source_message_id"])
    request = render_thread(messages, responses, orders, tz="UTC", key="t",
                            can_review=st.session_state["can"], busy=st.session_state["busy"], catalog=[],
                            currency="USD")
    st.session_state["request"] = request


@pytest.mark.parametrize(("can", "busy", "buttons", "disabled"), [
    (True, False, 3, False), (True, True, 3, True), (False, False, 0, None)])
def test_review_buttons_only_on_pending_and_disabled_while_busy(can, busy, buttons, disabled):
    at = AppTest.from_function(_thread_app)
    at.session_state["can"], at.session_state["busy"] = can, busy
    at.run()
    assert not at.exception, at.exception
    assert len(at.button) == buttons  # the rejected suggestion (id 11) never gets any
    assert all(b.disabled == disabled for b in at.button)
    assert escape_markdown("Rejected by Ana at 2025-03-10 12:00 · rude") in [c.value for c in at.caption]


def test_a_click_returns_the_request_with_the_typed_text():
    at = AppTest.from_function(_thread_app)
    at.session_state["can"], at.session_state["busy"] = True, False
    at.run()
    at.text_area(key="t:edit:10").input("Hello there")
    at.text_input(key="t:reason:10").input("friendlier")
    at.button(key="t:edited:10").click().run()
    request = at.session_state["request"]
    assert (request.response_id, request.decision, request.final_content, request.reason) == (
        10, "edited", "Hello there", "friendlier")


def test_escape_markdown_neutralises_badges_links_and_html():
    for raw in ("VIP] :red-badge[admin", "![x](http://evil.test/p.png)", "<b>hi</b>", "$x^2$", ":red[alarm]"):
        escaped = escape_markdown(raw)
        # every special character carries its backslash: nothing is left for Markdown to interpret
        assert all(escaped[i - 1] == "\\" for i, ch in enumerate(escaped) if ch in "[]()<>!$:" and i > 0)
