"""The conversation queue: filter bar, table (CSV export when allowed) and conversation picker."""

from __future__ import annotations

import pandas as pd
import streamlit as st

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


def queue_filter_bar(options: dict[str, dict[str, str]], key: str) -> QueueFilters:
    """Draws the queue filters (kept in the URL, except the toggle) and returns the choice.
    `options` is queries.conversations.queue_options()."""
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
    return QueueFilters(
        statuses=tuple(statuses), channels=tuple(channels),
        assignees=tuple(agents[a] for a in picked_agents),
        customer_ids=tuple(int(customers[c]) for c in picked_customers),
        label_ids=tuple(int(labels[x]) for x in picked_labels),
        awaiting_review=waiting, search=search,
    )


def pick_conversation(queue: pd.DataFrame, key: str) -> int | None:
    """A picker over the queue page's conversations; a `?conversation=<id>` link preselects one (even if not
    on this page: the thread query decides whether the user may see it). Returns the id or None."""
    labels = {int(r.id): f"#{r.id} · {r.customer} · {r.status} · {r.waiting_review} waiting"
              for r in queue.itertuples()}
    linked = st.query_params.get("conversation", "")
    wanted = int(linked) if linked.isdigit() else None
    if wanted is not None and wanted not in labels:
        labels = {wanted: f"#{wanted}"} | labels
    ids = list(labels)
    return st.selectbox("Open conversation", ids, index=ids.index(wanted) if wanted in labels else None,
                        format_func=labels.__getitem__, placeholder="Pick a conversation from the queue",
                        key=f"{key}_open")


def queue_table(queue: pd.DataFrame, *, tz: str, key: str, on_export=None) -> None:
    """Shows the queue page with local times; with `on_export` (the user may export) a CSV download too."""
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
    if on_export is None:
        st.dataframe(shown, hide_index=True, column_config=config, key=f"{key}__table")
    else:
        data_table(shown, key, export_name="conversations", on_export=on_export, column_config=config)
