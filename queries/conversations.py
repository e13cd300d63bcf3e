"""Conversation queue, filter choices and the thread of one conversation (queries/conversations.sql)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from queries.loader import load_queries, to_frame

Q = load_queries("conversations")


STATUSES = ("open", "pending", "resolved")
CHANNELS = ("whatsapp", "sms", "email", "web", "phone")


@dataclass(frozen=True)
class QueueFilters:
    """The queue's filter choices; an empty tuple, False or "" means no filter. `search` uses web-search
    syntax ("exact phrase", or, -word) over message text. Frozen tuples, so it can be part of a cache key."""

    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    customer_ids: tuple[int, ...] = ()
    label_ids: tuple[int, ...] = ()
    awaiting_review: bool = False
    search: str = ""
    # latest activity in [active_from, active_to): the page's period; the defaults take every date
    active_from: datetime = datetime(1970, 1, 1, tzinfo=UTC)
    active_to: datetime = datetime(9999, 12, 31, tzinfo=UTC)

    def params(self, distributor_id: str) -> dict[str, Any]:
        """Returns the bound parameters both queue queries take."""
        # psycopg adapts lists (not tuples) to arrays; the SQL casts each, so an empty one binds too
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self).items()} | {"distributor_id": distributor_id,
                                                             "search": self.search.strip()}


def conversation_queue(conn: Connection, distributor_id: str, *, filters: QueueFilters = QueueFilters(),
                       limit: int = 50, offset: int = 0) -> pd.DataFrame:
    """Returns one page of the queue (id, customer, channel, status, assigned_to, last_message_at, messages,
    waiting_review, last_message), latest activity first. Odd search text never raises: it matches what
    its words match, or nothing."""
    params = filters.params(distributor_id) | {"limit": limit, "offset": offset}
    return to_frame(conn.execute(Q["conversation_queue"], params))


def conversation_queue_count(conn: Connection, distributor_id: str, *,
                             filters: QueueFilters = QueueFilters()) -> int:
    """Returns how many conversations match the queue filters."""
    return int(conn.execute(Q["conversation_queue_count"], filters.params(distributor_id)).scalar_one())


def queue_options(conn: Connection, distributor_id: str) -> dict[str, dict[str, str]]:
    """Returns {'agent' | 'customer' | 'label': {value: name}} for the queue filters, sorted by name
    (only customers that have conversations)."""
    options: dict[str, dict[str, str]] = {"agent": {}, "customer": {}, "label": {}}
    for kind, value, label in conn.execute(Q["queue_options"], {"distributor_id": distributor_id}):
        options[kind][value] = label
    return options


def conversation_detail(conn: Connection, distributor_id: str, *,
                        conversation_id: int) -> dict[str, Any] | None:
    """Returns the conversation's header (id, customer, customer_phone, channel, status, assigned_to,
    started_at, last_message_at), or None when it is not this distributor's."""
    row = conn.execute(Q["conversation_detail"], {"distributor_id": distributor_id,
                                                  "conversation_id": conversation_id}).mappings().first()
    return dict(row) if row else None


def thread_messages(conn: Connection, distributor_id: str, *, conversation_id: int) -> pd.DataFrame:
    """Returns the messages in order (id, direction, sender_type, content, created_at, order_id, pii,
    pii_findings); pii reads like 'email x1, phone x2'."""
    return to_frame(conn.execute(Q["thread_messages"], {"distributor_id": distributor_id,
                                                        "conversation_id": conversation_id}))


def thread_ai_responses(conn: Connection, distributor_id: str, *, conversation_id: int) -> pd.DataFrame:
    """Returns the AI responses to the conversation's messages (id, message_id, kind, content, model,
    prompt_version, confidence, latency_ms, cost_cents, status, final_content, feedback, reviewed_by,
    reviewed_at, created_at, structured (an order extraction's lines), automatic (decided by no person))."""
    return to_frame(conn.execute(Q["thread_ai_responses"], {"distributor_id": distributor_id,
                                                            "conversation_id": conversation_id}))


def thread_orders(conn: Connection, distributor_id: str, *, conversation_id: int) -> pd.DataFrame:
    """Returns the orders linked to the conversation (id, order_number, status, source, total_cents,
    currency, created_at, ai_source_message_id)."""
    return to_frame(conn.execute(Q["thread_orders"], {"distributor_id": distributor_id,
                                                      "conversation_id": conversation_id}))
