"""Orders dashboard reads: KPIs against the previous period, the charts' series, the paginated orders table
and one order's details. Every function takes a tenant-scoped connection first (core.db.tenant_scope)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from core.filters import Period
from queries.loader import load_queries, to_frame

Q = load_queries("orders")

STATUSES = ("draft", "pending", "confirmed", "shipped", "delivered", "cancelled")
SOURCES = ("ai", "manual", "integration")
# Keys the orders table can be sorted by; orders.sql has one fixed ORDER BY branch per key.
SORTS = ("newest", "oldest", "total_desc", "total_asc", "customer", "status", "number")
# Ranges up to about two months read best per day, longer ones per week.
DAILY_MAX_DAYS = 62


@dataclass(frozen=True)
class OrderFilters:
    """The filter bar's choices: local dates start..end (both included) in time zone tz; an empty tuple
    means no filter. Frozen and made of tuples, so it can be part of a cache key."""

    start: date
    end: date
    tz: str
    statuses: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    customer_ids: tuple[int, ...] = ()
    label_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()

    @property
    def bucket(self) -> str:
        """'day' for a range of at most DAILY_MAX_DAYS days, else 'week'."""
        return "day" if (self.end - self.start).days + 1 <= DAILY_MAX_DAYS else "week"

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    def params(self, distributor_id: str) -> dict[str, Any]:
        """Returns the bound parameters every filtered query of orders.sql takes: t0 / t1 bound the period,
        p0 starts the previous one (which ends at t0)."""
        t0, t1 = self.period.bounds(self.tz)
        # psycopg adapts lists (not tuples) to arrays; orders.sql casts them, so an empty one binds too
        return {key: list(value) if isinstance(value, tuple) else value
                for key, value in asdict(self).items()} | {
            "distributor_id": distributor_id, "t0": t0, "t1": t1, "p0": self.period.previous().bounds(self.tz)[0]}


def _frame(conn: Connection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    return to_frame(conn.execute(Q[name], params))


def _check(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}")


def orders_exist(conn: Connection, distributor_id: str) -> bool:
    """Returns True when the distributor has at least one order, whatever its date."""
    return bool(conn.execute(Q["orders_exist"], {"distributor_id": distributor_id}).scalar_one())


def filter_options(conn: Connection, distributor_id: str) -> pd.DataFrame:
    """Returns the filter bar's choices: columns kind ('customer' / 'label' / 'category'), id, name."""
    return _frame(conn, "filter_options", {"distributor_id": distributor_id})


def orders_kpis(conn: Connection, distributor_id: str, *, filters: OrderFilters) -> dict[str, dict[str, Any]]:
    """Returns {'current': kpis, 'previous': kpis}; the previous period has as many days and ends the day
    before filters.start. kpis: orders (cancelled included), cancelled, revenue_cents and avg_order_cents
    (cancelled left out; avg None without orders), ai_orders, ai_share (None without orders),
    median_response_s (customer's message to order; None without a source message)."""
    rows = conn.execute(Q["orders_kpis"], filters.params(distributor_id)).mappings()
    return {row["period"]: {k: v for k, v in row.items() if k != "period"} for row in rows}


def orders_over_time(conn: Connection, distributor_id: str, *, filters: OrderFilters) -> pd.DataFrame:
    """Returns one row per local day or week (filters.bucket), empty ones with zeros: bucket (date),
    orders, revenue_cents, ai_orders, manual_orders, integration_orders."""
    return _frame(conn, "orders_over_time", filters.params(distributor_id) | {"bucket": filters.bucket})


def orders_by_status(conn: Connection, distributor_id: str, *, filters: OrderFilters) -> pd.DataFrame:
    """Returns status, orders, total_cents per status present in the period, most orders first."""
    return _frame(conn, "orders_by_status", filters.params(distributor_id))


def top_customers(conn: Connection, distributor_id: str, *, filters: OrderFilters, by: str = "revenue",
                  limit: int = 10) -> pd.DataFrame:
    """Returns up to `limit` customers ranked by 'revenue' or 'orders' (cancelled orders left out):
    customer_id, customer, orders, revenue_cents."""
    _check(by, ("revenue", "orders"), "ranking")
    return _frame(conn, "top_customers", filters.params(distributor_id) | {"by": by, "limit": limit})


def top_products(conn: Connection, distributor_id: str, *, filters: OrderFilters, by: str = "revenue",
                 limit: int = 10) -> pd.DataFrame:
    """Returns up to `limit` products ranked by 'revenue' or 'quantity' (cancelled orders left out):
    product_id (missing for unmatched lines, grouped by their name), product, sku, quantity, revenue_cents,
    lines (order lines counted: cheaper than distinct orders, which would force a sort)."""
    _check(by, ("revenue", "quantity"), "ranking")
    return _frame(conn, "top_products", filters.params(distributor_id) | {"by": by, "limit": limit})


def revenue_by_label(conn: Connection, distributor_id: str, *, filters: OrderFilters) -> pd.DataFrame:
    """Returns label, orders, revenue_cents per customer label ('(no label)' for the rest), highest revenue
    first; cancelled orders left out, a customer with two labels counts under both."""
    return _frame(conn, "revenue_by_label", filters.params(distributor_id))


def orders_count(conn: Connection, distributor_id: str, *, filters: OrderFilters) -> int:
    """Returns how many orders match the filters (the orders table's total rows)."""
    return conn.execute(Q["orders_count"], filters.params(distributor_id)).scalar_one()


def orders_page(conn: Connection, distributor_id: str, *, filters: OrderFilters, sort: str = "newest",
                limit: int | None = 50, offset: int = 0) -> pd.DataFrame:
    """Returns up to `limit` orders (all of them when None) from `offset`, sorted by one of SORTS:
    id, order_number, created_at (local), customer, status, source, lines, total_cents, currency."""
    _check(sort, SORTS, "sort")
    return _frame(conn, "orders_page", filters.params(distributor_id) | {"sort": sort, "limit": limit,
                                                                          "offset": offset})


def order_lines_export(conn: Connection, distributor_id: str, *, filters: OrderFilters,
                       limit: int | None = None) -> pd.DataFrame:
    """Returns up to `limit` lines (all when None) of the filtered orders, newest order first (only the
    chosen categories' lines when filtering by category): order_number, created_at, customer, status,
    product, sku, raw_text, quantity, unit, unit_price_cents, line_total_cents, match_confidence."""
    return _frame(conn, "order_lines_export", filters.params(distributor_id) | {"limit": limit})


def order_header(conn: Connection, distributor_id: str, *, order_id: int, tz: str) -> dict[str, Any] | None:
    """Returns the order's header (number, dates, status, source, drafted_by, created_by_name, total, customer,
    conversation_id, channel,
    trigger_message_id / _content / _at, response_s) or None when the distributor has no such order."""
    row = conn.execute(Q["order_header"], {"distributor_id": distributor_id, "order_id": order_id,
                                           "tz": tz}).mappings().first()
    return dict(row) if row else None


def order_lines(conn: Connection, distributor_id: str, *, order_id: int) -> pd.DataFrame:
    """Returns the order's lines: product, matched_product, sku, raw_text, quantity, unit, unit_price_cents,
    line_total_cents, match_confidence."""
    return _frame(conn, "order_lines", {"distributor_id": distributor_id, "order_id": order_id})


def order_attachments(conn: Connection, distributor_id: str, *, order_id: int, tz: str) -> pd.DataFrame:
    """Returns the order's files: file_name, content_type, size_bytes, storage_path, created_at (local)."""
    return _frame(conn, "order_attachments",
                  {"distributor_id": distributor_id, "order_id": order_id, "tz": tz})


def order_source_messages(conn: Connection, distributor_id: str, *, order_id: int, tz: str,
                          limit: int = 20) -> pd.DataFrame:
    """Returns the last `limit` messages of the order's source conversation up to the order, oldest first:
    id, direction, sender_type, source (channel / pasted), content, created_at (local), is_trigger (the message
    the order came from)."""
    return _frame(conn, "order_source_messages", {"distributor_id": distributor_id, "order_id": order_id,
                                                  "tz": tz, "limit": limit})
