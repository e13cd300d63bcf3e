"""What the assistant reads and writes: conversation and customer choices, customer context, the catalog
and its confirmed matches, PII rules and findings, pasted messages, reply suggestions (assistant.sql)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from queries.loader import load_queries, to_frame

Q = load_queries("assistant")


@dataclass(frozen=True)
class CatalogProduct:
    """One sellable product: price in integer cents per `unit` (bottle, case, kg...); `pack_size` is how
    many items one `unit` holds when known (a paca of 12), for converting "2 cajas x24"."""

    id: int
    sku: str
    name: str
    aliases: tuple[str, ...]
    unit: str
    price_cents: int
    category: str | None = None
    pack_size: int | None = None


@dataclass(frozen=True)
class PIIRule:
    """A redaction rule as stored in pii_detection_rules (ai.pii applies it)."""

    name: str
    pii_type: str  # phone, email, card, iban, tax_id, address, other (as pii_detection_rules.pii_type)
    pattern: str
    replacement: str


def _frame(conn: Connection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    return to_frame(conn.execute(Q[name], params))


def conversation_choices(conn: Connection, distributor_id: str, *, limit: int = 100) -> pd.DataFrame:
    """Returns the most recently active conversations with a customer's message: id, customer_id, customer,
    channel, status, last_message_at, message_id and last_inbound (the customer's latest message; a text an
    agent pasted is not one)."""
    return _frame(conn, "conversation_choices", {"distributor_id": distributor_id, "limit": limit})


def customer_choices(conn: Connection, distributor_id: str, *, limit: int = 2000) -> pd.DataFrame:
    """Returns active customers: id, name, city, by name."""
    return _frame(conn, "customer_choices", {"distributor_id": distributor_id, "limit": limit})


def customer_messages(
    conn: Connection, distributor_id: str, *, customer_id: int, tz: str, limit: int = 8
) -> pd.DataFrame:
    """Returns the customer's last messages, newest first: id, conversation_id, direction, sender_type,
    source (channel / pasted), content, created_at (local time in `tz`)."""
    return _frame(
        conn,
        "customer_messages",
        {"distributor_id": distributor_id, "customer_id": customer_id, "tz": tz, "limit": limit},
    )


def customer_orders(
    conn: Connection, distributor_id: str, *, customer_id: int, tz: str, limit: int = 5
) -> pd.DataFrame:
    """Returns the customer's last orders, newest first: id, order_number, created_at (local time in `tz`),
    status, total_cents, currency, lines."""
    return _frame(
        conn,
        "customer_orders",
        {"distributor_id": distributor_id, "customer_id": customer_id, "tz": tz, "limit": limit},
    )


def customer_labels(conn: Connection, distributor_id: str, *, customer_id: int) -> tuple[str, ...]:
    """Returns the names of the customer's labels, by name."""
    params = {"distributor_id": distributor_id, "customer_id": customer_id}
    return tuple(conn.execute(Q["customer_labels"], params).scalars())


@dataclass(frozen=True)
class MessageTarget:
    """The message the assistant drafts for, with its conversation and customer."""

    message_id: int
    content: str
    direction: str
    conversation_id: int
    customer_id: int
    customer_name: str
    customer_language: str


def message_target(conn: Connection, distributor_id: str, *, message_id: int) -> MessageTarget | None:
    """Returns the message with its conversation and customer, or None when the tenant has no such message."""
    row = (
        conn.execute(Q["message_target"], {"distributor_id": distributor_id, "message_id": message_id})
        .mappings()
        .first()
    )
    return MessageTarget(**row) if row else None


def conversation_thread(
    conn: Connection, distributor_id: str, *, conversation_id: int, message_id: int, limit: int = 12
) -> list[tuple[int, str, str]]:
    """Returns (id, role, content) of the conversation's last `limit` messages up to `message_id`, oldest
    first; role is the direction (inbound: the customer's words, also when an agent pasted them)."""
    rows = conn.execute(
        Q["conversation_thread"],
        {
            "distributor_id": distributor_id,
            "conversation_id": conversation_id,
            "message_id": message_id,
            "limit": limit,
        },
    )
    return [(r.id, r.role, r.content) for r in rows]


@dataclass(frozen=True)
class DistributorProfile:
    name: str
    language: str
    reply_tone: str
    currency: str
    timezone: str


def distributor_profile(conn: Connection, distributor_id: str) -> DistributorProfile:
    """Returns the distributor's name, language, reply tone, currency and time zone."""
    row = conn.execute(Q["distributor_profile"], {"distributor_id": distributor_id}).mappings().one()
    return DistributorProfile(**row)


def catalog(conn: Connection, distributor_id: str) -> list[CatalogProduct]:
    """Returns the active products as CatalogProduct, by name."""
    rows = conn.execute(Q["catalog"], {"distributor_id": distributor_id})
    return [
        CatalogProduct(
            id=r.id,
            sku=r.sku,
            name=r.name,
            aliases=tuple(r.aliases or ()),
            unit=r.unit,
            price_cents=r.price_cents,
            category=r.category,
        )
        for r in rows
    ]


def matching_history(conn: Connection, distributor_id: str) -> dict[str, int]:
    """Returns normalized wording -> product id of its latest confirmed match."""
    rows = conn.execute(Q["matching_history"], {"distributor_id": distributor_id})
    return {r.normalized_text: r.product_id for r in rows}


@dataclass(frozen=True)
class StoredRule:
    """A distributor's PII rule as stored (enabled or not)."""

    id: int
    rule: PIIRule
    enabled: bool


def pii_rules(conn: Connection, distributor_id: str) -> list[StoredRule]:
    """Returns the distributor's PII rules, by name."""
    rows = conn.execute(Q["pii_rules"], {"distributor_id": distributor_id})
    return [StoredRule(r.id, PIIRule(r.name, r.pii_type, r.pattern, r.replacement), r.enabled) for r in rows]


def insert_pii_result(
    conn: Connection,
    distributor_id: str,
    *,
    message_id: int,
    rule_id: int | None,
    pii_type: str,
    match_count: int,
) -> None:
    """Records a finding of the assistant's redaction of a message (once per message, rule and type)."""
    conn.execute(
        Q["insert_pii_result"],
        {
            "distributor_id": distributor_id,
            "message_id": message_id,
            "rule_id": rule_id,
            "pii_type": pii_type,
            "match_count": match_count,
        },
    )


def open_conversation(conn: Connection, distributor_id: str, *, customer_id: int) -> int | None:
    """Returns the id of the customer's latest unresolved conversation, or None."""
    return conn.execute(
        Q["open_conversation"], {"distributor_id": distributor_id, "customer_id": customer_id}
    ).scalar()


def insert_conversation(conn: Connection, distributor_id: str, *, customer_id: int, channel: str) -> int:
    """Opens a conversation with the customer; returns its id."""
    return conn.execute(
        Q["insert_conversation"],
        {"distributor_id": distributor_id, "customer_id": customer_id, "channel": channel},
    ).scalar_one()


def insert_pasted_message(
    conn: Connection, distributor_id: str, *, conversation_id: int, content: str
) -> tuple[int, bool]:
    """Stores a pasted text in the conversation unless the same text is there already; returns (message id,
    whether this call stored it)."""
    params = {"distributor_id": distributor_id, "conversation_id": conversation_id, "content": content}
    row = conn.execute(Q["insert_pasted_message"], params).first()
    if row is None:  # the same paste, committed by another session while this statement ran: read it now
        row = conn.execute(Q["insert_pasted_message"], params).one()
    return row.id, row.created


def save_reply_text(conn: Connection, distributor_id: str, *, response_id: int, content: str) -> bool:
    """Stores `content` in a pending reply suggestion; returns False when it is no longer pending."""
    return (
        conn.execute(
            Q["save_reply_text"],
            {"distributor_id": distributor_id, "response_id": response_id, "content": content},
        ).first()
        is not None
    )


def insert_offline_reply(
    conn: Connection,
    distributor_id: str,
    *,
    message_id: int,
    content: str,
    model: str,
    prompt_version: str,
    structured: dict[str, Any] | None = None,
) -> int:
    """Adds a pending reply suggestion that no AI call produced; returns its id."""
    return conn.execute(
        Q["insert_offline_reply"],
        {
            "distributor_id": distributor_id,
            "message_id": message_id,
            "content": content,
            "model": model,
            "prompt_version": prompt_version,
            "structured": json.dumps(structured or {}, default=str),
        },
    ).scalar_one()
