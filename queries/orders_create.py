"""The statements that turn a confirmed assistant draft into an order (SQL in orders_create.sql).

All run in the caller's transaction (a tenant_scope connection)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection

from queries.loader import load_queries

Q = load_queries("orders_create")


@dataclass(frozen=True)
class ExistingOrder:
    id: int
    order_number: str
    total_cents: int
    lines: int


@dataclass(frozen=True)
class OrderProduct:
    id: int
    sku: str
    name: str
    unit: str
    price_cents: int


def order_by_draft_key(conn: Connection, distributor_id: str, *, draft_key: str) -> ExistingOrder | None:
    """Returns the order the draft key already created, or None."""
    row = (
        conn.execute(Q["order_by_draft_key"], {"distributor_id": distributor_id, "draft_key": draft_key})
        .mappings()
        .first()
    )
    return ExistingOrder(**row) if row else None


def lock_order_numbers(conn: Connection, distributor_id: str) -> None:
    """Takes the distributor's order-numbering lock until the transaction ends."""
    conn.execute(Q["lock_order_numbers"], {"distributor_id": str(distributor_id)})


def order_number_style(conn: Connection, distributor_id: str) -> tuple[str, int] | None:
    """Returns (prefix, digits) of the distributor's own order numbering (AB-000123 -> ("AB-", 6)), or None
    when none of its recent orders is numbered <letters><separator><digits>."""
    row = conn.execute(Q["order_number_style"], {"distributor_id": distributor_id}).first()
    return (row.prefix, row.digits) if row else None


def next_order_number(conn: Connection, distributor_id: str, *, prefix: str) -> int:
    """Returns 1 + the highest number of the distributor's order numbers written <prefix><digits>."""
    return conn.execute(
        Q["next_order_number"], {"distributor_id": distributor_id, "prefix": prefix}
    ).scalar_one()


def products_for_order(
    conn: Connection, distributor_id: str, *, product_ids: list[int]
) -> dict[int, OrderProduct]:
    """Returns product id -> product for the active ones among `product_ids`."""
    rows = conn.execute(
        Q["products_for_order"], {"distributor_id": distributor_id, "product_ids": product_ids}
    )
    return {r.id: OrderProduct(**r._mapping) for r in rows}


def order_currency(conn: Connection, distributor_id: str, *, customer_id: int) -> str | None:
    """Returns the distributor's currency when the customer exists, else None."""
    row = conn.execute(
        Q["order_customer"], {"distributor_id": distributor_id, "customer_id": customer_id}
    ).first()
    return row.currency if row else None


def insert_order(
    conn: Connection,
    distributor_id: str,
    *,
    customer_id: int,
    conversation_id: int | None,
    message_id: int | None,
    order_number: str,
    source: str,
    drafted_by: str | None,
    total_cents: int,
    currency: str,
    notes: str | None,
    requested_delivery_date: date | None,
    draft_key: str,
    user_id: str | None,
) -> tuple[int, datetime] | None:
    """Inserts a confirmed order; returns (id, created_at), or None when the draft key has an order."""
    row = conn.execute(
        Q["insert_order"],
        {
            "distributor_id": distributor_id,
            "customer_id": customer_id,
            "conversation_id": conversation_id,
            "message_id": message_id,
            "order_number": order_number,
            "source": source,
            "drafted_by": drafted_by,
            "total_cents": total_cents,
            "currency": currency,
            "notes": notes,
            "requested_delivery_date": requested_delivery_date,
            "draft_key": draft_key,
            "user_id": user_id or None,
        },
    ).first()
    return (row.id, row.created_at) if row else None


def insert_order_product(
    conn: Connection,
    distributor_id: str,
    *,
    order_id: int,
    product_id: int,
    raw_text: str,
    product_name: str,
    quantity: Decimal,
    unit: str | None,
    unit_price_cents: int,
    line_total_cents: int,
    match_confidence: float,
) -> int:
    """Inserts one order line; returns its id."""
    return conn.execute(
        Q["insert_order_product"],
        {
            "distributor_id": distributor_id,
            "order_id": order_id,
            "product_id": product_id,
            "raw_text": raw_text,
            "product_name": product_name,
            "quantity": quantity,
            "unit": unit,
            "unit_price_cents": unit_price_cents,
            "line_total_cents": line_total_cents,
            "match_confidence": match_confidence,
        },
    ).scalar_one()


def insert_confirmed_match(
    conn: Connection,
    distributor_id: str,
    *,
    raw_text: str,
    normalized_text: str,
    product_id: int,
    order_product_id: int,
    method: str,
    confidence: float,
    user_id: str | None,
) -> None:
    """Records a confirmed wording -> product match."""
    conn.execute(
        Q["insert_confirmed_match"],
        {
            "distributor_id": distributor_id,
            "raw_text": raw_text,
            "normalized_text": normalized_text,
            "product_id": product_id,
            "order_product_id": order_product_id,
            "method": method,
            "confidence": confidence,
            "user_id": user_id or None,
        },
    )


def link_source_message(conn: Connection, distributor_id: str, *, message_id: int, order_id: int) -> None:
    """Sets messages.order_id of the source message when it has none."""
    conn.execute(
        Q["link_source_message"],
        {"distributor_id": distributor_id, "message_id": message_id, "order_id": order_id},
    )


def queue_webhooks(
    conn: Connection, distributor_id: str, *, event_type: str, payload: dict[str, Any]
) -> list[int]:
    """Queues a pending delivery per active endpoint subscribed to `event_type`; returns the endpoint ids."""
    rows = conn.execute(
        Q["queue_webhooks"],
        {
            "distributor_id": distributor_id,
            "event_type": event_type,
            "payload": json.dumps(payload, default=str),
        },
    )
    return [r.endpoint_id for r in rows]
