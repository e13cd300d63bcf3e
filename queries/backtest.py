"""Queries of the drafting backtest (ai.backtest): the orders people confirmed, with their source message."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from sqlalchemy import Connection

from queries.loader import load_queries

Q = load_queries("backtest")


@dataclass(frozen=True)
class ConfirmedOrder:
    """A confirmed order drafted from a customer message: the message, and the lines people confirmed as
    (sku, quantity), sku None for a line without a product."""

    order_id: int
    message: str
    language: str
    lines: tuple[tuple[str | None, Decimal], ...]


def distributors(conn: Connection) -> list[tuple[str, str]]:
    """Returns (id, name) of every distributor: an owner connection's query, not a tenant's."""
    return [(str(r.id), r.name) for r in conn.execute(Q["distributors"])]


def confirmed_orders(conn: Connection, distributor_id: str) -> list[ConfirmedOrder]:
    """Returns the distributor's confirmed orders drafted from a message, by order id."""
    rows = conn.execute(Q["confirmed_order_lines"], {"distributor_id": distributor_id}).all()
    orders = []
    for order_id, group in groupby(rows, key=lambda r: r.order_id):
        lines = list(group)
        orders.append(ConfirmedOrder(order_id, lines[0].message, lines[0].language,
                                     tuple((r.sku, r.quantity) for r in lines)))
    return orders
