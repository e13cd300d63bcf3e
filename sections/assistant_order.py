"""Assistant page: the order draft. Lines in st.data_editor (quantity and product editable, unsure lines
highlighted, unknown products left unmatched), prices and total at catalog prices, and the confirmation,
safe against a double click by the draft's key."""

from __future__ import annotations

import streamlit as st

from ai import draft_rows
from ai.assistant import AssistantConfig
from ai.assistant_orders import OrderDraft, confirm_draft, draft_order
from ai.errors import AIError
from components.data import fetch, invalidate
from components.text import escape_markdown
from queries import assistant
from sections.assistant_context import Source, ensure_message, failure_notice, set_failure, take_pending
from sections.assistant_reply import redaction_note
from services.auth_model import User
from services.orders_create import OrderInvalid

DRAFTS_KEY = "asst_order_drafts"  # slot -> {"draft": OrderDraft, "rows": draft_rows.base_rows(...)}
CONFIRMED_KEY = "asst_confirmed"  # draft_key -> order number
_FLAG_STYLE = "background-color: #fff4e5"
_NOT_AN_ORDER = {
    "question": " It reads as a question, not an order.",
    "complaint": " It reads as a complaint, not an order.",
    "other": " It reads as something other than an order.",
}


def _draft(user: User, cfg: AssistantConfig, source: Source, use_ai: bool) -> None:
    message_id = ensure_message(user, source)
    if message_id is None:
        return
    try:
        draft = draft_order(cfg, user.distributor_id, user.id, message_id, use_ai=use_ai)
    except AIError as error:
        set_failure("order", source.slot, error.user_message, error.kind)
        return
    set_failure("order", source.slot, None)
    st.session_state.setdefault(DRAFTS_KEY, {})[source.slot] = {
        "draft": draft,
        "rows": draft_rows.base_rows(draft.lines),
    }


# What the agent checks and confirms comes first, in widths that keep it in view beside the customer's context
# at 1440 px (about 620 px): the wording, quantity, product, price and total; how it was read follows.
_EDITOR_ORDER = ("Wording", "Quantity", "Product", "Unit price", "Line total", "Unit", "Match", "Notes")


def _editor(
    lines: list[draft_rows.EditedLine], labels: list[str], currency: str, key: str, args: tuple
) -> None:
    frame = draft_rows.editor_frame(lines)
    flagged = [ln.flagged for ln in lines]
    # Styles show on the read-only columns only (Streamlit's rule), which is where the warning text is.
    styled = frame.style.apply(lambda row: [_FLAG_STYLE if flagged[row.name] else ""] * len(row), axis=1)
    st.caption(f"Prices and totals in {currency}, at catalog prices.")
    st.data_editor(
        styled,
        key=key,
        on_change=_fold_edits,
        args=args,
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        column_order=_EDITOR_ORDER,
        disabled=[c for c in draft_rows.COLUMNS if c not in draft_rows.EDITABLE],
        column_config={
            "Wording": st.column_config.TextColumn("Customer wrote", width=105),
            "Quantity": st.column_config.NumberColumn("Quantity", min_value=0.0, required=True, width=85),
            "Product": st.column_config.SelectboxColumn("Product", options=labels, width=230),
            "Unit price": st.column_config.NumberColumn("Unit price", format="localized", width=85),
            "Line total": st.column_config.NumberColumn("Line total", format="localized", width=95),
            "Unit": st.column_config.TextColumn("Unit asked", width=80),
            "Match": st.column_config.TextColumn("Match"),
            "Notes": st.column_config.TextColumn("Notes", width="medium"),
        },
    )


def _notes(draft: OrderDraft) -> None:
    origin = "the offline drafter" if draft.offline else "the AI"
    st.caption(f"Drafted by {origin}. Check the highlighted lines; pick a product for any unmatched one.")
    if not draft.offline:
        st.caption(redaction_note(draft.redacted))
    if draft.rejected_skus:
        skus = escape_markdown(", ".join(draft.rejected_skus))
        st.warning(f"The AI proposed SKUs outside your catalog's candidates ({skus}): "
                   "they were ignored, and those lines keep the catalog's own match, or none.")
    if draft.requested_delivery_date:
        st.caption(f"Requested delivery: {draft.requested_delivery_date:%Y-%m-%d}")


def _editor_key(state: dict) -> str:
    return f"asst_lines_{state['draft'].draft_key}_{state.get('version', 0)}"


def _lines(user: User, state: dict, threshold: float) -> tuple[list, list[draft_rows.EditedLine]]:
    """Returns the catalog and the draft's lines with the editor's pending edits applied."""
    catalog = fetch(assistant.catalog, user)
    edits = (st.session_state.get(_editor_key(state)) or {}).get("edited_rows", {})
    return catalog, draft_rows.current_lines(state["rows"], edits, catalog, threshold)


def _fold_edits(user: User, slot: str, threshold: float) -> None:
    # Streamlit drops an editor's pending edits when its data changes, so repriced data cannot be shown
    # under the same editor: each edit becomes the draft's rows and a fresh editor (new key) shows them.
    state = st.session_state[DRAFTS_KEY][slot]
    _, lines = _lines(user, state, threshold)
    state["rows"] = draft_rows.base_rows(lines)
    state["version"] = state.get("version", 0) + 1


def _confirm(user: User, slot: str, threshold: float) -> None:
    # A callback: it runs before the page is drawn, so the button is already disabled when the result shows.
    state = st.session_state[DRAFTS_KEY][slot]
    _, lines = _lines(user, state, threshold)
    try:
        order = confirm_draft(user.distributor_id, user.id, state["draft"], draft_rows.order_lines(lines))
    except OrderInvalid as exc:
        state["problem"] = str(exc)
        return
    state.pop("problem", None)
    invalidate()  # the new order shows on the Orders page at once, not after the cache TTL
    st.session_state.setdefault(CONFIRMED_KEY, {})[state["draft"].draft_key] = order.order_number


def order_section(user: User, cfg: AssistantConfig, source: Source, use_ai: bool) -> None:
    """Draws the order section for `source`; `use_ai` False drafts with the offline drafter."""
    clicked = st.button("Draft order", key="asst_draft_order", icon=":material/receipt_long:", type="primary")
    if clicked or take_pending("order"):
        _draft(user, cfg, source, use_ai)
    failure_notice("order", source.slot)
    state = st.session_state.get(DRAFTS_KEY, {}).get(source.slot)
    if state is None:
        st.caption("Click “Draft order” to read the order lines from the customer's message.")
        return
    draft: OrderDraft = state["draft"]
    if not draft.lines:  # a complaint or a question says so: nothing to confirm, and why
        st.info(f"No order lines found in this message.{_NOT_AN_ORDER.get(draft.intent, '')}")
        return
    _notes(draft)
    catalog, lines = _lines(user, state, cfg.match_threshold)
    labels = [draft_rows.product_label(p) for p in catalog]
    _editor(lines, labels, user.currency, _editor_key(state), (user, source.slot, cfg.match_threshold))

    matched = [ln for ln in lines if ln.product is not None]
    unmatched = len(lines) - len(matched)
    st.metric("Order total", f"{user.currency} {draft_rows.total_cents(lines) / 100:,.2f}")
    if unmatched:
        st.caption(f"{unmatched} unmatched line(s) will be left out of the order unless you pick a product.")
    confirmed = st.session_state.get(CONFIRMED_KEY, {}).get(draft.draft_key)
    st.button(
        "Confirm order",
        key="asst_confirm_order",
        icon=":material/check:",
        disabled=bool(confirmed) or not matched,
        on_click=_confirm,
        args=(user, source.slot, cfg.match_threshold),
    )
    if confirmed:
        st.success(f"Order {confirmed} created.")
    elif state.get("problem"):
        st.warning(state["problem"])
