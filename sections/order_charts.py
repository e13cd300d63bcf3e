"""The orders page's charts: trend, status, who creates the orders, revenue by label, top customers and
products. Every series is aggregated in PostgreSQL (queries/orders.sql); here cents only become units."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import charts
from components.data import fetch
from queries import orders
from queries.orders import OrderFilters
from services.auth_model import User

# tab title -> (query, category column, value column, ranking)
TOPS = {
    "Customers by revenue": (orders.top_customers, "customer", "revenue", "revenue"),
    "Customers by orders": (orders.top_customers, "customer", "orders", "orders"),
    "Products by revenue": (orders.top_products, "product", "revenue", "revenue"),
    "Products by quantity": (orders.top_products, "product", "quantity", "quantity"),
}


def _units(df: pd.DataFrame) -> pd.DataFrame:
    """Adds `revenue` in currency units next to revenue_cents, for axes people read."""
    return df.assign(revenue=df["revenue_cents"] / 100)


def _show(container, fig) -> None:
    container.plotly_chart(fig, width="stretch")


def order_charts(user: User, filters: OrderFilters) -> None:
    """Renders the charts for the filtered orders of the user's distributor."""
    money = f"Revenue ({user.currency})"
    per = filters.bucket
    series = _units(fetch(orders.orders_over_time, user, filters=filters))
    left, right = st.columns([2, 1])
    _show(left, charts.dual_axis_chart(series, "bucket", "orders", "revenue", f"Orders and revenue per {per}",
                                       labels={"bucket": per.title(), "orders": "Orders", "revenue": money}))
    by_status = fetch(orders.orders_by_status, user, filters=filters)
    _show(right, charts.donut_chart(by_status, "status", "orders", "Orders by status"))

    origin = series.rename(columns={"ai_orders": "AI", "manual_orders": "Manual",
                                    "integration_orders": "Integration"})
    left, right = st.columns([2, 1])
    _show(left, charts.bar_chart(origin, "bucket", ["AI", "Manual", "Integration"],
                                 title=f"Who created the orders, per {per}",
                                 labels={"bucket": per.title(), "value": "Orders", "variable": "Source"}))
    by_label = _units(fetch(orders.revenue_by_label, user, filters=filters))
    _show(right, charts.bar_chart(by_label, "label", "revenue", horizontal=True,
                                  title="Revenue by customer label",
                                  labels={"label": "Label", "revenue": money}))

    st.subheader("Top customers and products")
    for tab, (query, x, y, by) in zip(st.tabs(list(TOPS)), TOPS.values(), strict=True):
        top = _units(fetch(query, user, filters=filters, by=by))
        _show(tab, charts.bar_chart(top, x, y, horizontal=True, labels={
            "revenue": money, "orders": "Orders", "quantity": "Quantity", x: x.title()}))
