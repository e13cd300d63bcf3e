"""Orders: KPIs against the previous period, charts, the orders table with CSV exports, and one order's
lines, attachments and source conversation."""

from dataclasses import asdict

import streamlit as st

from components.data import fetch, log_export, log_view
from components.filters import date_range_filter, multiselect_filter
from components.kpis import Kpi, kpi_row
from components.session import require
from components.states import empty_state, error_boundary
from components.tables import data_table, paginator
from queries import orders
from queries.orders import SORTS, SOURCES, STATUSES, OrderFilters
from sections.order_charts import order_charts
from sections.order_detail import order_detail
from services.auth_model import EXPORT_DATA, VIEW_ORDERS

SORT_LABELS = {"newest": "Newest first", "oldest": "Oldest first", "total_desc": "Highest total",
               "total_asc": "Lowest total", "customer": "Customer", "status": "Status",
               "number": "Order number"}
PAGE_SIZE = 25
# A year of a busy distributor's lines does not fit in one request's time; the newest rows are exported
EXPORT_MAX_ROWS = 100_000

user = require(VIEW_ORDERS)
st.title("Orders")
total = order_id = None


with error_boundary("orders"):
    if not fetch(orders.orders_exist, user):
        empty_state("No orders yet", "Orders show up here as soon as customers order over WhatsApp or "
                                     "your team enters one. Come back once the first order is in.")
        st.stop()
    options = fetch(orders.filter_options, user)

    def pick(column, label: str, kind: str) -> tuple[int, ...]:
        """A multiselect over the names of `kind`; returns the ids of the chosen names (names may repeat)."""
        rows = options[options["kind"] == kind]
        with column:
            chosen = multiselect_filter(label, rows["name"].drop_duplicates().tolist(), f"orders_{kind}")
        return tuple(sorted(int(i) for i in rows.loc[rows["name"].isin(chosen), "id"]))

    cols = st.columns(6)
    with cols[0]:
        period = date_range_filter("orders", user.timezone)
    with cols[1]:
        statuses = tuple(multiselect_filter("Status", STATUSES, "orders_status"))
    with cols[2]:
        sources = tuple(multiselect_filter("Source", SOURCES, "orders_source"))
    customers = pick(cols[3], "Customer", "customer")
    labels = pick(cols[4], "Customer label", "label")
    categories = pick(cols[5], "Product category", "category")
    if period is None:
        st.stop()
    filters = OrderFilters(period.start, period.end, user.timezone, statuses, sources, customers, labels,
                           categories)
    audit_filters = asdict(filters)

    kpis = fetch(orders.orders_kpis, user, filters=filters)
    cur, prev = kpis["current"], kpis["previous"]
    kpi_row([
        Kpi("Orders", cur["orders"], "int", prev["orders"]),
        Kpi("Revenue", cur["revenue_cents"], "money", prev["revenue_cents"], currency=user.currency),
        Kpi("Average order", cur["avg_order_cents"], "money", prev["avg_order_cents"],
            currency=user.currency),
        Kpi("Created by AI", cur["ai_share"], "pct", prev["ai_share"],
            help="Share of orders the AI model drafted, also those a person then confirmed; orders drafted "
                 "with the offline drafter or typed by hand count as manual"),
        Kpi("Message → order", cur["median_response_s"], "duration", prev["median_response_s"], inverse=True,
            help="Median time from the customer's message to the order it became"),
    ])
    before = period.previous()
    st.caption(f"Compared with {before.start:%d %b} – {before.end:%d %b %Y}. Orders counts every order "
               f"({cur['cancelled']} cancelled); revenue and average order leave cancelled orders out. "
               "A product category keeps orders with a product in it; product figures show only its lines.")
    total = fetch(orders.orders_count, user, filters=filters)
    log_view(user, "orders", total, audit_filters)
    if total == 0:
        empty_state("No orders match these filters", "Widen the period or clear some filters.")
        st.stop()

if total is None:  # the block above failed and already said so
    st.stop()

with error_boundary("the charts"):
    order_charts(user, filters)

with error_boundary("the orders table"):
    st.subheader("Orders")
    sort = st.selectbox("Sort by", SORTS, format_func=SORT_LABELS.get, key="orders_sort")
    limit, offset = paginator(total, PAGE_SIZE, "orders_table", reset_on=(filters, sort))
    rows = fetch(orders.orders_page, user, filters=filters, sort=sort, limit=limit, offset=offset)
    selected = data_table(
        rows.assign(total=rows["total_cents"] / 100).drop(columns=["id", "total_cents", "currency"]),
        "orders_table", export_name="orders_page", selectable=True,
        on_export=lambda n: log_export(user, "orders", n, audit_filters),
        column_config={"order_number": "Order", "created_at": "Created", "customer": "Customer",
                       "status": "Status", "source": "Source", "lines": "Lines",
                       "total": st.column_config.NumberColumn(f"Total ({user.currency})", format="localized")},
    )
    # dataframe selection cannot be typed or linked to: the order number picker is the other way in
    numbers = {int(i): number for i, number in zip(rows["id"], rows["order_number"], strict=True)}
    picked = st.selectbox("Order number", list(numbers), index=None, format_func=numbers.get,
                          placeholder="Select a row above or pick an order", key="orders_open")
    if picked is not None:
        order_id = picked
    elif selected is not None:
        order_id = int(rows["id"].iloc[selected])

if order_id is not None:
    with error_boundary("the order"):
        order_detail(user, order_id)

if user.can(EXPORT_DATA):
    with st.expander("Export all filtered orders and their line items"), error_boundary("the export"):
        if st.toggle("Load the export", key="orders_export"):
            everything = fetch(orders.orders_page, user, filters=filters, limit=EXPORT_MAX_ROWS)
            data_table(everything, "orders_export_all", export_name="orders",
                       on_export=lambda n: log_export(user, "orders", n, audit_filters))
            lines = fetch(orders.order_lines_export, user, filters=filters, limit=EXPORT_MAX_ROWS)
            data_table(lines, "orders_export_lines", export_name="order_lines",
                       on_export=lambda n: log_export(user, "order_lines", n, audit_filters))
            if EXPORT_MAX_ROWS in (len(everything), len(lines)):
                st.warning(f"Exports hold the newest {EXPORT_MAX_ROWS:,} rows: shorten the period for the "
                           "rest.")
