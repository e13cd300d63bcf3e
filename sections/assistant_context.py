"""Assistant page pieces shared by the reply and order sections: choosing the message (a conversation's latest
customer message, or one pasted for a customer), the customer's context, failure notices with Retry, and
keeping what the agent typed across reruns."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ai.assistant import pasted_message
from components.data import fetch, invalidate, log_view
from components.states import empty_state
from components.text import escape_markdown, sender_label
from queries import assistant
from sections.thread import local_time
from services.auth_model import User
from services.text_limits import TextInvalid, max_chars

SOURCE_KEY, CONVERSATION_KEY, CUSTOMER_KEY, PASTE_KEY = (
    "asst_source",
    "asst_conversation",
    "asst_customer",
    "asst_paste",
)
PASTED_KEY = "asst_pasted"  # the message stored for the pasted text: {customer_id, text, message_id}
ERRORS_KEY = "asst_errors"  # "<action>:<slot>" -> {message, kind}
PENDING_KEY = "asst_pending"  # an action a Retry / offline button asked for, run in this script run
OFFLINE_KEY = "asst_offline"  # the agent chose the offline drafter for this session
FROM_CONVERSATION, PASTE = "From a conversation", "Paste a message"
# Widgets whose value must survive a rerun in which they are not drawn (another source, another draft).
_KEPT_PREFIXES = (SOURCE_KEY, CONVERSATION_KEY, CUSTOMER_KEY, PASTE_KEY, "asst_reply_text_")


@dataclass(frozen=True)
class Source:
    """The message the agent drafts for. slot names its drafts in session state; message_id is None for a
    pasted text not stored yet (it is stored at the first draft)."""

    slot: str
    customer_id: int
    message_id: int | None
    text: str


def keep_inputs() -> None:
    """Re-assigns the assistant's input widgets' values so Streamlit keeps them while they are not drawn."""
    for key in list(st.session_state):
        if isinstance(key, str) and key.startswith(_KEPT_PREFIXES):
            st.session_state[key] = st.session_state[key]


def _excerpt(text: str, size: int = 60) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= size else flat[: size - 1] + "…"


def conversation_label(row, tz: str) -> str:
    """The picker's label of a conversation choice: its id and last activity in the distributor's time zone
    come first, because one customer often has dozens of conversations on one channel whose last messages
    read alike ("perfecto, gracias")."""
    return (f"#{int(row.id)} · {row.customer} · {row.channel} · {local_time(row.last_message_at, tz)} · "
            f"{_excerpt(row.last_inbound)}")


def pick_source(user: User) -> Source | None:
    """Draws the message choice and returns it, or None (with a hint) when there is nothing to draft for."""
    mode = st.radio("Message", [FROM_CONVERSATION, PASTE], key=SOURCE_KEY, horizontal=True)
    if mode == FROM_CONVERSATION:
        choices = fetch(assistant.conversation_choices, user)
        if choices.empty:
            empty_state(
                "No conversation has a customer message yet", "Paste a message for a customer instead."
            )
            return None
        rows = {int(r.id): r for r in choices.itertuples()}
        labels = {i: conversation_label(r, user.timezone) for i, r in rows.items()}
        chosen = st.selectbox("Conversation", list(rows), key=CONVERSATION_KEY, format_func=labels.get)
        row = rows[chosen]
        st.text(f"Customer wrote:\n{row.last_inbound}")
        return Source(f"m{int(row.message_id)}", int(row.customer_id), int(row.message_id), row.last_inbound)
    customers = fetch(assistant.customer_choices, user)
    if customers.empty:
        empty_state("No active customers", "Customers appear here once they exist for your distributor.")
        return None
    names = dict(zip(customers["id"].astype(int), customers["name"], strict=True))
    customer_id = st.selectbox("Customer", list(names), key=CUSTOMER_KEY, format_func=names.get)
    text = st.text_area(
        "Customer message",
        key=PASTE_KEY,
        height=120,
        max_chars=max_chars("message"),
        placeholder="Paste the customer's message, e.g. “2 cajas de coca cola 2L y 10 agua 500ml”",
    )
    st.caption("Saved in the customer's open conversation as your entry, marked “pasted”, when you draft; "
               "it does not move the conversation in the queue.")
    stored = st.session_state.get(PASTED_KEY) or {}
    same = stored.get("customer_id") == customer_id and stored.get("text") == (text or "").strip()
    return Source("paste", customer_id, stored["message_id"] if same else None, text or "")


def ensure_message(user: User, source: Source) -> int | None:
    """Returns the source's message id, storing a pasted text first (as the agent's entry, once per
    conversation and text); None (with a warning) when nothing was pasted."""
    if source.message_id is not None:
        return source.message_id
    if not source.text.strip():
        st.warning("Paste the customer's message first.")
        return None
    try:
        message_id = pasted_message(user.distributor_id, user.id, customer_id=source.customer_id, text=source.text)
    except TextInvalid as exc:
        st.warning(str(exc))
        return None
    invalidate()  # the customer's recent messages show the paste at the next rerun
    st.session_state[PASTED_KEY] = {
        "customer_id": source.customer_id,
        "text": source.text.strip(),
        "message_id": message_id,
    }
    return message_id


def customer_context(user: User, customer_id: int) -> None:
    """Draws the customer's labels, last orders and recent messages."""
    st.subheader("Customer")
    labels = fetch(assistant.customer_labels, user, customer_id=customer_id)
    st.markdown(" ".join(f":blue-badge[{escape_markdown(label)}]" for label in labels) if labels else "No labels.")
    # local times of the distributor: the Orders page shows the same order on the same day
    orders = fetch(assistant.customer_orders, user, customer_id=customer_id, tz=user.timezone)
    st.markdown("**Last orders**")
    if orders.empty:
        st.caption("No orders yet.")
    else:
        shown = orders.assign(total=orders["total_cents"] / 100)[
            ["order_number", "created_at", "status", "total", "currency", "lines"]
        ]
        st.dataframe(
            shown,
            hide_index=True,
            column_config={
                "order_number": "Order",
                "created_at": st.column_config.DatetimeColumn("Date", format="YYYY-MM-DD"),
                "total": st.column_config.NumberColumn("Total", format="localized"),
            },
        )
    messages = fetch(assistant.customer_messages, user, customer_id=customer_id, tz=user.timezone)
    st.markdown("**Recent messages**")
    if messages.empty:
        st.caption("No messages yet.")
    else:
        shown = messages.assign(sender=[sender_label(t, s) for t, s in zip(messages["sender_type"],
                                                                             messages["source"], strict=True)])
        st.dataframe(
            shown[["created_at", "sender", "content"]],
            hide_index=True,
            column_config={
                "created_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
                "sender": "From",
                "content": "Message",
            },
        )
    log_view(user, "assistant_customer_context", len(orders) + len(messages), {"customer_id": customer_id})


def _retry(action: str, error_key: str, offline: bool) -> None:
    st.session_state[ERRORS_KEY].pop(error_key, None)
    st.session_state[PENDING_KEY] = action
    if offline:
        st.session_state[OFFLINE_KEY] = True


def take_pending(action: str) -> bool:
    """Returns True (once) when a Retry or offline button asked for `action` in this run."""
    if st.session_state.get(PENDING_KEY) == action:
        del st.session_state[PENDING_KEY]
        return True
    return False


def set_failure(action: str, slot: str, message: str | None, kind: str = "") -> None:
    """Remembers (or, with message None, forgets) the failure of `action` for the draft `slot`."""
    errors = st.session_state.setdefault(ERRORS_KEY, {})
    if message is None:
        errors.pop(f"{action}:{slot}", None)
    else:
        errors[f"{action}:{slot}"] = {"message": message, "kind": kind}


def failure_notice(action: str, slot: str) -> None:
    """Draws the last failure of `action` for `slot`, if any, with Retry (and, when the budget refused, the
    offline drafter) buttons; what the agent typed is untouched."""
    key = f"{action}:{slot}"
    failure = st.session_state.get(ERRORS_KEY, {}).get(key)
    if failure is None:
        return
    st.error(failure["message"], icon=":material/error:")
    retry, offline = st.columns(2)
    retry.button(
        "Retry",
        key=f"asst_retry_{action}",
        icon=":material/refresh:",
        on_click=_retry,
        args=(action, key, False),
    )
    if failure["kind"] == "budget_blocked":
        offline.button(
            "Use the offline drafter", key=f"asst_offline_{action}", on_click=_retry, args=(action, key, True)
        )
