"""Queries of the drafting backtest (core.ai.backtest): the orders people confirmed, as evaluation cases."""

from __future__ import annotations

from itertools import groupby

from sqlalchemy import Connection

from core.ai.evaluation import Case, Expected
from queries.loader import load_queries

Q = load_queries("backtest")


def distributors(conn: Connection) -> list[tuple[str, str]]:
    """Returns (id, name) of every distributor: an owner connection's query, not a tenant's."""
    return [(str(r.id), r.name) for r in conn.execute(Q["distributors"])]


def confirmed_order_cases(conn: Connection, distributor_id: str, catalog_name: str) -> list[Case]:
    """Returns one Case per confirmed order drafted from a message: the message, and the lines people
    confirmed (sku and quantity) as the expected lines."""
    rows = conn.execute(Q["confirmed_order_lines"], {"distributor_id": distributor_id}).all()
    return [
        Case(str(order_id), lines[0].language, catalog_name, lines[0].message,
             tuple(Expected(r.sku, r.quantity) for r in lines))
        for order_id, group in groupby(rows, key=lambda r: r.order_id)
        if (lines := list(group))
    ]
