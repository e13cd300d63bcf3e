"""The conversation queue: filter bar, table (CSV export when allowed) and conversation picker."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pandas as pd
import streamlit as st

from components._urlstate import UrlState
from components.filters import multiselect_filter, text_search
from components.tables import data_table
from queries.conversations import CHANNELS, STATUSES, QueueFilters


def named_options(names: dict[str, str]) -> dict[str, str]:
    """Returns {label shown: value} for {value: name}; a name shared by several values gets ' (#value)'
    so two customers called the same can both be picked."""
    seen: dict[str, int] = {}
    for name in names.values():
        seen[name] = seen.get(name, 0) + 1
    return {(name if seen[name] == 1 else f"{name} (#{value})"): value for value, name in names.items()}


def queue_filter_bar(options: dict[str, dict[str, str]], key: str,
                     active: tuple[datetime, datetime] | None = None) -> QueueFilters:
    """Draws the queue filters (kept in the URL, except the toggle) and returns the choice, with `active`
    (the page period's bounds) as the latest-activity range. `options` is queries.conversations.queue_options()."""
    agents, customers, labels = (named_options(options[kind]) for kind in ("agent", "customer", "label"))
    status_col, channel_col, agent_col = st.columns(3)
    with status_col:
        statuses = multiselect_filter("Status", STATUSES, f"{key}_status")
    with channel_col:
        channels = multiselect_filter("Channel", CHANNELS, f"{key}_channel")
    with agent_col:
        picked_agents = multiselect_filter("Assigned agent", list(agents), f"{key}_agent")
    customer_col, label_col, search_col = st.columns(3)
    with customer_col:
        picked_customers = multiselect_filter("Customer", list(customers), f"{key}_customer")
    with label_col:
        picked_labels = multiselect_filter("Customer label", list(labels), f"{key}_label")
    with search_col:
        search = text_search("Search messages", f"{key}_q")
    waiting = st.toggle("Only conversations with AI suggestions waiting for review", key=f"{key}_waiting")
    chosen = QueueFilters(
        statuses=tuple(statuses), channels=tuple(channels),
        assignees=tuple(agents[a] for a in picked_agents),
        customer_ids=tuple(int(customers[c]) for c in picked_customers),
        label_ids=tuple(int(labels[x]) for x in picked_labels),
        awaiting_review=waiting, search=search,
    )
    return chosen if active is None else replace(chosen, active_from=active[0], active_to=active[1])


def pick_conversation(queue: pd.DataFrame, key: str, clicked: int | None = None) -> int | None:
    """A picker over the queue page's conversations. The open conversation lives in the URL
    (`?conversation=<id>`), so a link or F5 reopens it, and it stays open whatever a decision changes in
    the queue (its waiting count, its place, leaving the page); `clicked` (a queue row click) opens one.
    Returns the id or None (the thread query decides whether the user may see it)."""
    if clicked is not None:
        # written around UrlState, as a link would be: the picker starts again from the URL
        st.query_params["conversation"] = str(clicked)
    url = UrlState({"id": "conversation"})
    generation = url.generation()
    linked = url.values()["id"] or ""
    # ASCII digits only (isdigit() accepts "²", which int() refuses) and within bigint
    wanted = int(linked) if linked.isascii() and linked.isdigit() and len(linked) <= 18 else None
    # labels carry no counts or status: they change with every decision (the widget is reset from the
    # URL when its label changes anyway, see below)
    labels = {int(r.id): f"#{r.id} · {r.customer}" for r in queue.itertuples()}
    if wanted is not None and wanted not in labels:
        labels = {wanted: f"#{wanted}"} | labels
    ids = list(labels)
    # the browser sends back the label it showed: a label that changed resets the widget to `index`, which
    # comes from the URL, so the same conversation stays open
    picked = st.selectbox("Open conversation", ids, index=ids.index(wanted) if wanted in labels else None,
                          format_func=labels.__getitem__, placeholder="Pick a conversation from the queue",
                          key=f"{key}_open_{generation}")
    url.write(id=None if picked is None else str(picked))
    return picked


def queue_table(queue: pd.DataFrame, *, tz: str, key: str, on_export=None) -> int | None:
    """Shows the queue page with local times; with `on_export` (the user may export) a CSV download too.
    Returns the id of the conversation whose row was clicked in this run, else None."""
    shown = queue.assign(last_message_at=pd.to_datetime(queue["last_message_at"], utc=True).dt.tz_convert(tz),
                         assigned_to=queue["assigned_to"].fillna("Unassigned"))
    config = {
        "id": st.column_config.NumberColumn("#", format="%d"),
        "customer": st.column_config.TextColumn("Customer"),
        "channel": st.column_config.TextColumn("Channel"),
        "status": st.column_config.TextColumn("Status"),
        "assigned_to": st.column_config.TextColumn("Assigned to"),
        "messages": st.column_config.NumberColumn("Messages"),
        "last_message_at": st.column_config.DatetimeColumn("Last activity", format="YYYY-MM-DD HH:mm"),
        "waiting_review": st.column_config.NumberColumn("Waiting review"),
        "last_message": st.column_config.TextColumn("Last message", width="large"),
    }
    # A selection is a row position, which points at another conversation once the queue changes: each
    # click is taken once, then the table starts again under a new key, without a selection.
    clicks = f"{key}__clicks"
    table_key = f"{key}_{st.session_state.get(clicks, 0)}"
    if on_export is None:
        event = st.dataframe(shown, hide_index=True, column_config=config, key=f"{table_key}__table",
                             on_select="rerun", selection_mode="single-row")
        rows = [r for r in event.selection.rows if 0 <= r < len(shown)]
        row = rows[0] if rows else None
    else:
        row = data_table(shown, table_key, export_name="conversations", on_export=on_export,
                         column_config=config, selectable=True)
    if row is None:
        return None
    st.session_state[clicks] = st.session_state.get(clicks, 0) + 1
    return int(shown["id"].iloc[row])
