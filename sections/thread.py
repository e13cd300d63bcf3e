"""The message thread of one conversation (st.chat_message), with each AI suggestion under the message it
answers and, for pending ones, the review controls; plus the two-step flow that saves a decision."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import pandas as pd
import streamlit as st

from components.data import invalidate
from components.kpis import format_value
from core.db import tenant_scope
from services.auth_model import User
from services.review import decide

AVATARS = {"customer": ":material/person:", "agent": ":material/support_agent:", "ai": ":material/smart_toy:",
           "system": ":material/settings:"}
STATUS_COLORS = {"pending": "orange", "approved": "green", "edited": "blue", "rejected": "red"}
# Everything Markdown (and Streamlit's :color[] / $latex$ directives) would interpret in a customer's text
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


@dataclass(frozen=True)
class ReviewRequest:
    """A reviewer's click: which suggestion, which decision, and the edited text or reason typed with it."""

    response_id: int
    decision: str
    final_content: str | None = None
    reason: str | None = None


def escape_markdown(text: str) -> str:
    """Returns `text` with Markdown syntax escaped, so messages show literally (no links, images or HTML)."""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def local_time(value, tz: str) -> str:
    """Returns the instant as 'YYYY-MM-DD HH:MM' in time zone `tz` ('' when missing)."""
    return "" if pd.isna(value) else pd.Timestamp(value).tz_convert(tz).strftime("%Y-%m-%d %H:%M")


def suggestion_meta(row) -> str:
    """Returns the one-line facts of an AI response: kind, model (prompt), confidence, latency, cost."""
    return " · ".join([
        row["kind"].replace("_", " "), f"{row['model']} ({row['prompt_version']})",
        f"confidence {format_value(row['confidence'], 'pct')}", format_value(row["latency_ms"], "ms"),
        "cost unknown" if pd.isna(row["cost_cents"]) else format_value(row["cost_cents"], "usd_cents"),
    ])


def order_summary(o) -> str:
    """Returns 'O-1 (confirmed, $150.00, ai)' for an orders row (queries.conversations.thread_orders)."""
    return f"{o['order_number']} ({o['status']}, {format_value(o['total_cents'], 'money', o['currency'])}, " \
           f"{o['source']})"


def _text(value) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _caption(text: str) -> None:
    # captions carry customer and tenant data, and "$" would start LaTeX: always shown literally
    st.caption(escape_markdown(text))


def render_thread(messages: pd.DataFrame, responses: pd.DataFrame, orders: pd.DataFrame, *, tz: str, key: str,
                  can_review: bool, busy: bool) -> ReviewRequest | None:
    """Draws the messages in order, each followed by its AI responses. Returns the review request of the
    button clicked in this run, else None. `busy` disables every review button (a decision is being saved)."""
    if not orders.empty:
        _caption("Linked orders: " + "; ".join(order_summary(o) for _, o in orders.iterrows()))
    order_of = {int(o["ai_source_message_id"]): o for _, o in orders.iterrows()
                if not pd.isna(o["ai_source_message_id"])}
    request = None
    for _, m in messages.iterrows():
        with st.chat_message(m["sender_type"], avatar=AVATARS.get(m["sender_type"])):
            _caption(f"{m['sender_type'].title()} · {m['direction']} · {local_time(m['created_at'], tz)}")
            st.markdown(escape_markdown(m["content"]))
            if m["pii_findings"]:
                st.badge(escape_markdown(f"PII redacted before AI: {m['pii']}"), icon=":material/shield:",
                         color="orange")
            if int(m["id"]) in order_of:
                st.badge(escape_markdown(f"Became order {order_summary(order_of[int(m['id'])])}"),
                         icon=":material/receipt:")
        for _, r in responses[responses["message_id"] == m["id"]].iterrows():
            request = _suggestion(r, tz=tz, key=key, can_review=can_review, busy=busy) or request
    return request


def _suggestion(r, *, tz: str, key: str, can_review: bool, busy: bool) -> ReviewRequest | None:
    with st.chat_message("ai", avatar=AVATARS["ai"]):
        st.badge(f"AI suggestion · {r['status']}", color=STATUS_COLORS[r["status"]])
        _caption(suggestion_meta(r))
        st.markdown(escape_markdown(r["content"]))
        if r["status"] != "pending":
            if r["status"] == "edited":
                st.markdown("**Sent instead:**  \n" + escape_markdown(_text(r["final_content"]) or ""))
            reason = _text(r["feedback"])
            _caption(f"{r['status'].title()} by {_text(r['reviewed_by']) or 'someone'} at "
                     f"{local_time(r['reviewed_at'], tz)}" + (f" · {reason}" if reason else ""))
            return None
        if not can_review:
            return None
        rid = int(r["id"])
        edited = st.text_area("Edited reply", value=r["content"], key=f"{key}:edit:{rid}", disabled=busy)
        reason = st.text_input("Reason (needed to reject)", key=f"{key}:reason:{rid}", disabled=busy)
        approve, edit, reject = st.columns(3)
        if approve.button("Approve", key=f"{key}:approve:{rid}", type="primary", disabled=busy):
            return ReviewRequest(rid, "approved", reason=reason)
        if edit.button("Save edit", key=f"{key}:edited:{rid}", disabled=busy):
            return ReviewRequest(rid, "edited", final_content=edited, reason=reason)
        if reject.button("Reject", key=f"{key}:rejected:{rid}", disabled=busy):
            return ReviewRequest(rid, "rejected", reason=reason)
    return None


def review_busy(key: str) -> bool:
    """Returns True while a decision of the thread `key` is being saved."""
    return f"{key}:busy" in st.session_state


def settle_review(user: User, request: ReviewRequest | None, key: str) -> None:
    """Saves a decision in two reruns: a click stores the request and reruns, so the thread is drawn again
    with its review buttons disabled while the next run saves it (services.review.decide, one transaction),
    keeps the outcome for show_review_outcome(), drops cached reads and reruns."""
    busy_key = f"{key}:busy"
    if request is not None and busy_key not in st.session_state:
        st.session_state[busy_key] = asdict(request)
        st.rerun()
    pending = st.session_state.get(busy_key)
    if pending is None:
        return
    try:
        with st.spinner("Saving the decision…"), tenant_scope(user.distributor_id, user.id) as conn:
            outcome = decide(conn, distributor_id=user.distributor_id, user_id=user.id, **pending)
    finally:
        del st.session_state[busy_key]
    st.session_state[f"{key}:outcome"] = {"result": outcome.result, "message": outcome.message}
    if outcome.result != "invalid":
        # queue counts, metrics and the thread changed for everyone of this tenant
        invalidate()
    st.rerun()


def show_review_outcome(key: str) -> None:
    """Shows, once, what the last decision of the thread `key` did."""
    outcome = st.session_state.pop(f"{key}:outcome", None)
    if outcome is None:
        return
    show = {"applied": st.success, "already_reviewed": st.info}.get(outcome["result"], st.warning)
    show(outcome["message"])
