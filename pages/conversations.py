"""Conversations: review metrics of the AI's suggestions, the conversation queue, and one conversation's
thread where pending suggestions are approved, edited or rejected."""

from dataclasses import asdict, replace
from functools import partial

import streamlit as st

from components.data import fetch, log_export, log_view
from components.filters import date_range_filter
from components.kpis import Kpi, kpi_row
from components.session import require
from components.states import empty_state, error_boundary
from components.tables import paginator
from components.text import escape_markdown
from queries import assistant, conversations, review
from queries.conversations import QueueFilters
from sections.conversation_queue import pick_conversation, queue_filter_bar, queue_table
from sections.thread import render_thread, review_busy, settle_review, take_review_outcome
from services.auth_model import EXPORT_DATA, REVIEW_AI, VIEW_CONVERSATIONS

KEY = "conv"
THREAD = "conv_thread"
PAGE_SIZE = 25
ANY_DATE = QueueFilters()


user = require(VIEW_CONVERSATIONS)
st.title("Conversations")

# ---------------------------------------------------------------- review metrics for the period
period = date_range_filter(KEY, user.timezone)
if period is not None:
    with error_boundary("the review metrics"):
        now = fetch(review.review_metrics, user, period=period, tz=user.timezone)
        before = fetch(review.review_metrics, user, period=period.previous(), tz=user.timezone)
        kpis = [
            Kpi("Suggestions waiting", now.waiting, compare=False,
                help="Every suggestion not reviewed yet, whatever its date."),
            Kpi("Acceptance rate", now.acceptance_rate, "pct", before.acceptance_rate,
                help="Approved as suggested / all reviewed, for suggestions made in the period."),
            Kpi("Edit rate", now.edit_rate, "pct", before.edit_rate, inverse=True,
                help="Edited before sending / all reviewed."),
            Kpi("Confidence, approved", now.avg_confidence_approved, "pct", before.avg_confidence_approved),
            Kpi("Confidence, rejected", now.avg_confidence_rejected, "pct", before.avg_confidence_rejected),
            Kpi("Median review", now.median_review_s, "duration", before.median_review_s,
                inverse=True, help="From the suggestion to its decision."),
        ]
        kpi_row(kpis[:3])  # two rows of three: six cards in one row cut their labels and deltas short
        kpi_row(kpis[3:])
        by_model = fetch(review.review_by_model, user, period=period, tz=user.timezone)
        with st.expander(f"By model and prompt version ({len(by_model)})"):
            st.dataframe(by_model, hide_index=True, column_config={
                "acceptance_rate": st.column_config.NumberColumn("Acceptance", format="percent"),
                "edit_rate": st.column_config.NumberColumn("Edits", format="percent"),
                "avg_confidence": st.column_config.NumberColumn("Avg confidence", format="percent"),
                "median_review_s": st.column_config.NumberColumn("Median review", format="duration"),
            })

# ---------------------------------------------------------------- the queue
st.subheader("Queue")
conversation_id = None
with error_boundary("the conversation queue"):
    # the period applies to the queue too: conversations with activity in it (an invalid range: every date)
    filters = queue_filter_bar(fetch(conversations.queue_options, user), KEY,
                               active=period and period.bounds(user.timezone))
    total = fetch(conversations.conversation_queue_count, user, filters=filters)
    log_view(user, "conversations", total, asdict(filters))
    st.caption(f"{total:,} conversation{'' if total == 1 else 's'}"
               + (f" with activity from {period.start:%d %b %Y} to {period.end:%d %b %Y}" if period else "")
               + (" · click a row to open it" if total else ""))
    unfiltered = replace(filters, active_from=ANY_DATE.active_from, active_to=ANY_DATE.active_to) == ANY_DATE
    if total == 0 and unfiltered and fetch(conversations.conversation_queue_count, user, filters=ANY_DATE) == 0:
        empty_state("No conversations yet", "Conversations appear here as soon as customers write in.")
    elif total == 0 and unfiltered:
        empty_state("No conversation in this period", "Pick a longer period.")
    elif total == 0:
        empty_state("No conversation matches these filters", "Clear a filter or search for other words.")
    limit, offset = paginator(total, PAGE_SIZE, f"{KEY}_queue", reset_on=filters)
    queue = fetch(conversations.conversation_queue, user, filters=filters, limit=limit, offset=offset)
    clicked = None
    if total:
        # support agents may read the queue but not export it (no export_data permission)
        clicked = queue_table(queue, tz=user.timezone, key=f"{KEY}_queue", on_export=partial(
            log_export, user, "conversations", filters=asdict(filters)) if user.can(EXPORT_DATA) else None)
    conversation_id = pick_conversation(queue, KEY, clicked)

# ---------------------------------------------------------------- one conversation
if conversation_id is not None:
    with error_boundary("the conversation"):
        detail = fetch(conversations.conversation_detail, user, conversation_id=conversation_id)
        if detail is None:
            empty_state("Conversation not found", "It may have been deleted. Pick another one in the queue.")
        else:
            messages = fetch(conversations.thread_messages, user, conversation_id=conversation_id)
            responses = fetch(conversations.thread_ai_responses, user, conversation_id=conversation_id)
            orders = fetch(conversations.thread_orders, user, conversation_id=conversation_id)
            has_orders = (responses["kind"] == "order_extraction").any()
            catalog = fetch(assistant.catalog, user) if has_orders else []
            log_view(user, "conversation", len(messages), {"conversation_id": conversation_id})
            st.subheader(f"#{detail['id']} · {escape_markdown(detail['customer'])}")
            st.caption(f"{detail['channel']} · {detail['status']} · assigned to "
                       f"{escape_markdown(detail['assigned_to'] or 'nobody')} · messages: {len(messages)}")
            request = render_thread(messages, responses, orders, tz=user.timezone, key=THREAD,
                                    can_review=user.can(REVIEW_AI), busy=review_busy(THREAD), catalog=catalog,
                                    currency=user.currency, outcome=take_review_outcome(THREAD))
            settle_review(user, request, THREAD)
