"""One order's drill-down: header, lines (matched product, confidence, the customer's wording), attachments
and the source conversation with the message the order came from."""

from __future__ import annotations

import streamlit as st

from components.data import fetch, log_export, log_view
from components.kpis import format_value
from components.states import empty_state
from components.tables import data_table
from components.text import escape_markdown, order_origin, sender_label
from queries import orders
from services.auth_model import User


def order_detail(user: User, order_id: int) -> None:
    """Renders the order `order_id` of the user's distributor (a friendly note when it is not there)."""
    header = fetch(orders.order_header, user, order_id=order_id, tz=user.timezone)
    if header is None:
        empty_state("Order not found", "It may have been deleted; pick another order.")
        return
    # who opened which order, as the conversation thread does: an order shows a customer's data
    log_view(user, "order", 1, {"order_id": order_id})
    total = format_value(header["total_cents"], "money", header["currency"].strip())
    st.subheader(f"Order {header['order_number']}")
    origin = order_origin(header["source"], header["drafted_by"], header["created_by_name"])
    st.markdown(f"**{escape_markdown(header['customer'])}** · {header['status']} · {escape_markdown(origin)} · "
                f"{header['created_at']:%d %b %Y %H:%M} · **{total}**")
    if header["notes"]:
        st.caption(escape_markdown(header["notes"]))

    lines = fetch(orders.order_lines, user, order_id=order_id)
    shown = lines.assign(unit_price=lines["unit_price_cents"] / 100,
                         line_total=lines["line_total_cents"] / 100).drop(
        columns=["unit_price_cents", "line_total_cents"])
    data_table(shown, f"order_lines_{order_id}", export_name=f"order_{header['order_number']}_lines",
               on_export=lambda n: log_export(user, "order_lines", n, {"order_id": order_id}),
               column_config={
                   "product": "Line", "sku": "SKU", "quantity": "Quantity", "unit": "Unit",
                   "raw_text": st.column_config.TextColumn("Customer wrote"),
                   "matched_product": st.column_config.TextColumn("Matched product"),
                   "match_confidence": st.column_config.ProgressColumn("Match confidence", min_value=0,
                                                                       max_value=1, format="percent"),
                   "unit_price": st.column_config.NumberColumn("Unit price", format="localized"),
                   "line_total": st.column_config.NumberColumn("Line total", format="localized"),
               })

    files = fetch(orders.order_attachments, user, order_id=order_id, tz=user.timezone)
    if files.empty:
        st.caption("No attachments.")
    else:
        st.dataframe(files, hide_index=True)

    if header["conversation_id"] is None:
        st.caption("This order did not come from a conversation.")
        return
    st.markdown(f"**Source conversation** ({header['channel']})")
    if header["response_s"] is not None:
        st.caption(f"The order was created {header['response_s'] / 60:.0f} min after the customer's message.")
    thread = fetch(orders.order_source_messages, user, order_id=order_id, tz=user.timezone)
    for message in thread.itertuples():
        with st.chat_message("user" if message.direction == "inbound" else "assistant"):
            st.markdown(escape_markdown(message.content))
            note = " · this message became the order" if message.is_trigger else ""
            st.caption(f"{message.created_at:%d %b %H:%M} · {sender_label(message.sender_type, message.source)}{note}")
