"""The message thread of one conversation (st.chat_message), with each AI suggestion under the message it
answers and, for pending ones, the review controls; plus the two-step flow that saves a decision."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd
import streamlit as st

from ai import draft_rows
from components.data import invalidate
from components.kpis import format_value
from components.text import escape_markdown, sender_label
from core.db import tenant_scope
from queries.assistant import CatalogProduct
from services.auth_model import User
from services.review import decide
from services.text_limits import max_chars

AVATARS = {"customer": ":material/person:", "agent": ":material/support_agent:", "ai": ":material/smart_toy:",
           "system": ":material/settings:"}
# on the first suggestion waiting only (one button per shortcut); "R" is reserved by Streamlit
SHORTCUTS = {"approve": "Alt+A", "edited": "Alt+E", "rejected": "Alt+X"}
STATUS_COLORS = {"pending": "orange", "approved": "green", "edited": "blue", "rejected": "red"}
# Everything Markdown (and Streamlit's :color[] / $latex$ directives) would interpret in a customer's text


@dataclass(frozen=True)
class ReviewRequest:
    """A reviewer's click: which suggestion, which decision, and the edited text or reason typed with it."""

    response_id: int
    decision: str
    final_content: str | None = None
    reason: str | None = None


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
                  can_review: bool, busy: bool, catalog: list[CatalogProduct], currency: str,
                  outcome: dict | None = None) -> ReviewRequest | None:
    """Draws the messages in order, each followed by its AI responses. Returns the review request of the
    button clicked in this run, else None. `busy` disables every review button (a decision is being saved);
    `outcome` (take_review_outcome) shows under the suggestion it is about. `catalog` prices order lines."""
    if not orders.empty:
        _caption("Linked orders: " + "; ".join(order_summary(o) for _, o in orders.iterrows()))
    if outcome is not None and outcome["response_id"] not in set(responses["id"]):
        _show_outcome(outcome)  # the suggestion is gone: say so at the top of the thread
    order_of = {int(o["ai_source_message_id"]): o for _, o in orders.iterrows()
                if not pd.isna(o["ai_source_message_id"])}
    in_order = [int(r["id"]) for _, m in messages.iterrows() for _, r in responses.iterrows()
                if r["message_id"] == m["id"] and r["status"] == "pending"]
    view = _View(tz, key, can_review, busy, catalog, currency, outcome, in_order[0] if in_order else None)
    request = None
    for _, m in messages.iterrows():
        with st.chat_message(m["sender_type"], avatar=AVATARS.get(m["sender_type"])):
            who = sender_label(m["sender_type"], m["source"])
            _caption(f"{who} · {m['direction']} · {local_time(m['created_at'], tz)}")
            st.markdown(escape_markdown(m["content"]))
            if m["pii_findings"]:
                st.badge(escape_markdown(f"PII redacted before AI: {m['pii']}"), icon=":material/shield:",
                         color="orange")
            if int(m["id"]) in order_of:
                st.badge(escape_markdown(f"Became order {order_summary(order_of[int(m['id'])])}"),
                         icon=":material/receipt:")
        for _, r in responses[responses["message_id"] == m["id"]].iterrows():
            request = _suggestion(r, view) or request
    return request


@dataclass(frozen=True)
class _View:
    tz: str
    key: str
    can_review: bool
    busy: bool
    catalog: list[CatalogProduct]
    currency: str
    outcome: dict | None
    first_pending: int | None  # the suggestion the keyboard shortcuts act on


def _order_lines(text, r, view: _View) -> None:
    """An order extraction's lines as a table, never its JSON."""
    try:
        lines = draft_rows.extraction_lines(text, view.catalog, float(r["confidence"] or 0))
    except (ValueError, TypeError):
        st.warning("The AI's order lines could not be read: check the customer's message.")
        return
    st.dataframe(draft_rows.editor_frame(lines), hide_index=True, width="stretch", column_config={
        "Wording": st.column_config.TextColumn("Customer wrote"),
        "Unit": st.column_config.TextColumn("Unit asked"),
        "Unit price": st.column_config.NumberColumn(f"Unit price ({view.currency})", format="%.2f"),
        "Line total": st.column_config.NumberColumn(f"Line total ({view.currency})", format="%.2f"),
    })
    st.caption(f"Total {view.currency} {draft_rows.total_cents(lines) / 100:,.2f} at today's "
               "catalog prices" + (" · ⚠ check the highlighted lines" if any(ln.flagged for ln in lines) else ""))


def _content(text, r, view: _View) -> None:
    structured = r["structured"] if isinstance(r["structured"], dict) else {}
    if r["kind"] == "order_extraction":
        # the structured lines are grounded in the catalog (product ids); content is the model's own output
        _order_lines(structured if text == r["content"] and structured else text, r, view)
    elif r["kind"] == "classification":
        language = structured.get("language")
        st.markdown(escape_markdown(f"Classified as: {text}" + (f" · language: {language}" if language else "")))
    else:
        st.markdown(escape_markdown(text or ""))


def _suggestion(r, view: _View) -> ReviewRequest | None:
    rid = int(r["id"])
    mine = view.outcome if view.outcome is not None and view.outcome["response_id"] == rid else None
    with st.chat_message("ai", avatar=AVATARS["ai"]):
        st.badge(f"AI suggestion · {r['status']}", color=STATUS_COLORS[r["status"]])
        _caption(suggestion_meta(r))
        _content(r["content"], r, view)
        request = None
        if r["status"] != "pending":
            if r["status"] == "edited":
                st.markdown("**Sent instead:**")
                _content(_text(r["final_content"]), r, view)
            _caption(decided_by(r, view.tz))
        elif view.can_review:
            request = _review_controls(r, rid, view)
        if mine is not None:
            _show_outcome(mine)
    return request


def decided_by(r, tz: str) -> str:
    """Returns 'Approved by Ana at 2025-03-10 09:02 · reason', or 'Approved automatically at …' for a
    decision no person made (reviewed_by empty, as the platform's auto-approved classifications)."""
    who = "automatically" if r["automatic"] else f"by {_text(r['reviewed_by']) or 'a former user'}"
    reason = _text(r["feedback"])
    return f"{r['status'].title()} {who} at {local_time(r['reviewed_at'], tz)}" + (f" · {reason}" if reason else "")


def _review_controls(r, rid: int, view: _View) -> ReviewRequest | None:
    key, busy = view.key, view.busy
    is_order = r["kind"] == "order_extraction"
    edited = None
    if not is_order:  # order lines are approved or rejected as drafted: they are not edited as text
        edited = st.text_area("Edited reply", value=r["content"], key=f"{key}:edit:{rid}", disabled=busy,
                              max_chars=max_chars("reply"))
    reason = st.text_input("Reason (needed to reject)", key=f"{key}:reason:{rid}", disabled=busy,
                           max_chars=max_chars("reason"))
    keys = SHORTCUTS if rid == view.first_pending else {}
    columns = st.columns(2 if is_order else 3)
    if _button(columns[0], "Approve", "approve", rid, view, keys, type="primary"):
        return ReviewRequest(rid, "approved", reason=reason)
    if not is_order and _button(columns[1], "Save edit", "edited", rid, view, keys):
        return ReviewRequest(rid, "edited", final_content=edited, reason=reason)
    if _button(columns[-1], "Reject", "rejected", rid, view, keys):
        return ReviewRequest(rid, "rejected", reason=reason)
    return None


def _button(column, label: str, decision: str, rid: int, view: _View, keys: dict[str, str], **kwargs) -> bool:
    shortcut = keys.get(decision)
    return column.button(label, key=f"{view.key}:{decision}:{rid}", disabled=view.busy, shortcut=shortcut,
                         help=f"Keyboard: {shortcut}" if shortcut else None, **kwargs)


def review_busy(key: str) -> bool:
    """Returns True while a decision of the thread `key` is being saved."""
    return f"{key}:busy" in st.session_state


def settle_review(user: User, request: ReviewRequest | None, key: str) -> None:
    """Saves a decision in two reruns: a click stores the request and reruns, so the thread is drawn again
    with its review buttons disabled while the next run saves it (services.review.decide, one transaction),
    keeps the outcome for take_review_outcome(), drops cached reads and reruns."""
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
    st.session_state[f"{key}:outcome"] = {"response_id": outcome.response_id, "result": outcome.result,
                                          "message": outcome.message}
    if outcome.result != "invalid":
        # queue counts, metrics and the thread changed for everyone of this tenant
        invalidate()
    st.rerun()


def take_review_outcome(key: str) -> dict | None:
    """Returns, once, what the last decision of the thread `key` did: {response_id, result, message}."""
    return st.session_state.pop(f"{key}:outcome", None)


def _show_outcome(outcome: dict) -> None:
    # next to the decision it answers; a toast too when it was saved, seen wherever the page is scrolled
    if outcome["result"] == "applied":
        st.toast(outcome["message"], icon=":material/check_circle:")
    show = {"applied": st.success, "already_reviewed": st.info}.get(outcome["result"], st.warning)
    show(outcome["message"])
