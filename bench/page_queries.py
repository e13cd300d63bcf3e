"""Which queries each page issues, with the parameters the page passes by default and with a one-year range.

One PageQuery per call a page makes through components.data.fetch (or a component it draws, or a button's
first read), with a function building its keyword arguments from the tenant and the period. Queries without a
period (the conversation queue, the budget page) run only once, under the default filters. Keep this in step
with pages/ and components/: a query missing here is a query nobody measures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core.filters import Period, preset_range
from queries import ai_costs, assistant, audit, budget, conversations, orders, review
from queries.audit import AuditFilters
from queries.conversations import QueueFilters
from queries.orders import OrderFilters

DEFAULT_PRESET = "30d"  # every date_range_filter on the pages starts at "Last 30 days"
PAGE_SIZES = {"orders": 25, "conversations": 25, "audit_log": 50}


@dataclass(frozen=True)
class Tenant:
    """A benchmarked distributor and the rows its pages open by default (bench.measure.tenant() finds them):
    the newest order and conversation, the assistant's first conversation (its customer and last inbound
    message), and three search texts: an order number (one conversation), the name of the most ordered
    product (what an agent looks for; a fifth of the conversations) and the most frequent long word of the
    customers' messages (a stress case: most conversations)."""

    distributor_id: str
    name: str
    timezone: str
    currency: str
    today: date
    orders: int
    order_id: int
    conversation_id: int
    customer_id: int
    message_id: int
    rare_search: str
    product_search: str
    frequent_search: str


@dataclass(frozen=True)
class PageQuery:
    """One read a page makes: `query` is the function of queries/ fetch() calls, `params` builds its keyword
    arguments for a tenant and a period; `ranged` is False when the period does not change them; `searched`
    marks a search the user types (not a default filter: reported apart from the default-filter targets)."""

    page: str
    label: str
    query: Callable[..., Any]
    params: Callable[[Tenant, Period], dict[str, Any]]
    ranged: bool = True
    searched: bool = False


def default_period(t: Tenant) -> Period:
    return preset_range(DEFAULT_PRESET, t.today)


def year_period(t: Tenant) -> Period:
    return Period(t.today - timedelta(days=364), t.today)


def _orders(t: Tenant, p: Period) -> OrderFilters:
    return OrderFilters(p.start, p.end, t.timezone)


def _audit(t: Tenant, p: Period, search: str = "") -> AuditFilters:
    return AuditFilters(p.start, p.end, t.timezone, search=search)


def _span(t: Tenant, p: Period) -> dict[str, Any]:
    return {"start": p.start, "end": p.end, "tz": t.timezone}


def _costs(t: Tenant, p: Period) -> dict[str, Any]:
    return {"start": p.start, "end": p.end, "tz": t.timezone}


def _month(t: Tenant, _p: Period) -> dict[str, Any]:
    return {"month_start": t.today.replace(day=1)}


def _none(_t: Tenant, _p: Period) -> dict[str, Any]:
    return {}


ORDERS = [
    PageQuery("orders", "orders_exist", orders.orders_exist, _none, ranged=False),
    PageQuery("orders", "filter_options", orders.filter_options, _none, ranged=False),
    PageQuery("orders", "orders_kpis", orders.orders_kpis, lambda t, p: {"filters": _orders(t, p)}),
    PageQuery("orders", "orders_count", orders.orders_count, lambda t, p: {"filters": _orders(t, p)}),
    PageQuery("orders", "orders_over_time", orders.orders_over_time, lambda t, p: {"filters": _orders(t, p)}),
    PageQuery("orders", "orders_by_status", orders.orders_by_status, lambda t, p: {"filters": _orders(t, p)}),
    PageQuery("orders", "revenue_by_label", orders.revenue_by_label, lambda t, p: {"filters": _orders(t, p)}),
    PageQuery("orders", "top_customers(revenue)", orders.top_customers,
              lambda t, p: {"filters": _orders(t, p), "by": "revenue"}),
    PageQuery("orders", "top_customers(orders)", orders.top_customers,
              lambda t, p: {"filters": _orders(t, p), "by": "orders"}),
    PageQuery("orders", "top_products(revenue)", orders.top_products,
              lambda t, p: {"filters": _orders(t, p), "by": "revenue"}),
    PageQuery("orders", "top_products(quantity)", orders.top_products,
              lambda t, p: {"filters": _orders(t, p), "by": "quantity"}),
    PageQuery("orders", "orders_page", orders.orders_page,
              lambda t, p: {"filters": _orders(t, p), "sort": "newest", "limit": PAGE_SIZES["orders"], "offset": 0}),
    PageQuery("orders", "order_header", orders.order_header,
              lambda t, p: {"order_id": t.order_id, "tz": t.timezone}, ranged=False),
    PageQuery("orders", "order_lines", orders.order_lines, lambda t, p: {"order_id": t.order_id}, ranged=False),
    PageQuery("orders", "order_attachments", orders.order_attachments,
              lambda t, p: {"order_id": t.order_id, "tz": t.timezone}, ranged=False),
    PageQuery("orders", "order_source_messages", orders.order_source_messages,
              lambda t, p: {"order_id": t.order_id, "tz": t.timezone}, ranged=False),
]

CONVERSATIONS = [
    PageQuery("conversations", "review_metrics", review.review_metrics,
              lambda t, p: {"period": p, "tz": t.timezone}),
    PageQuery("conversations", "review_metrics(previous)", review.review_metrics,
              lambda t, p: {"period": p.previous(), "tz": t.timezone}),
    PageQuery("conversations", "review_by_model", review.review_by_model,
              lambda t, p: {"period": p, "tz": t.timezone}),
    PageQuery("conversations", "queue_options", conversations.queue_options, _none, ranged=False),
    PageQuery("conversations", "conversation_queue_count", conversations.conversation_queue_count,
              lambda t, p: {"filters": QueueFilters()}, ranged=False),
    PageQuery("conversations", "conversation_queue", conversations.conversation_queue,
              lambda t, p: {"filters": QueueFilters(), "limit": PAGE_SIZES["conversations"], "offset": 0},
              ranged=False),
] + [
    query
    for kind in ("rare", "product", "frequent")
    for query in (
        PageQuery("conversations", f"queue_count(search {kind})", conversations.conversation_queue_count,
                  lambda t, p, kind=kind: {"filters": QueueFilters(search=getattr(t, f"{kind}_search"))},
                  ranged=False, searched=True),
        PageQuery("conversations", f"queue(search {kind})", conversations.conversation_queue,
                  lambda t, p, kind=kind: {"filters": QueueFilters(search=getattr(t, f"{kind}_search")),
                                           "limit": PAGE_SIZES["conversations"], "offset": 0},
                  ranged=False, searched=True),
    )
] + [
    PageQuery("conversations", "conversation_detail", conversations.conversation_detail,
              lambda t, p: {"conversation_id": t.conversation_id}, ranged=False),
    PageQuery("conversations", "thread_messages", conversations.thread_messages,
              lambda t, p: {"conversation_id": t.conversation_id}, ranged=False),
    PageQuery("conversations", "thread_ai_responses", conversations.thread_ai_responses,
              lambda t, p: {"conversation_id": t.conversation_id}, ranged=False),
    PageQuery("conversations", "thread_orders", conversations.thread_orders,
              lambda t, p: {"conversation_id": t.conversation_id}, ranged=False),
]

AI_COSTS = [
    PageQuery("ai_costs", "cost_kpis", ai_costs.cost_kpis, _costs),
    PageQuery("ai_costs", "cost_kpis(previous)", ai_costs.cost_kpis, lambda t, p: _costs(t, p.previous())),
    PageQuery("ai_costs", "unpriced_by_model", ai_costs.unpriced_by_model, _costs),
    PageQuery("ai_costs", "month_snapshot", budget.month_snapshot, _month, ranged=False),
] + [PageQuery("ai_costs", name, getattr(ai_costs, name), _costs)
     for name in ("spend_daily_by_model", "spend_by_feature", "tokens_daily", "model_latency_errors",
                  "model_acceptance", "prompt_versions", "model_feature_table")]

BUDGET = [
    PageQuery("budget", "month_snapshot", budget.month_snapshot, _month, ranged=False),
    PageQuery("budget", "alert_months", budget.alert_months, _none, ranged=False),
    PageQuery("budget", "alerts_list", budget.alerts_list, lambda t, p: {"month": None, "state": "all"},
              ranged=False),
    PageQuery("budget", "alerts_list(open)", budget.alerts_list, lambda t, p: {"month": None, "state": "open"},
              ranged=False),
    PageQuery("budget", "spend_history", budget.spend_history,
              lambda t, p: {"through_month": t.today.replace(day=1), "months": 12}, ranged=False),
]

AUDIT = [
    PageQuery("audit_log", "audit_filter_options", audit.audit_filter_options, _span),
    PageQuery("audit_log", "audit_kpis", audit.audit_kpis, lambda t, p: {"filters": _audit(t, p)}),
    PageQuery("audit_log", "audit_export_anomalies", audit.audit_export_anomalies, _span),
    PageQuery("audit_log", "audit_failed_sign_in_bursts", audit.audit_failed_sign_in_bursts, _span),
    PageQuery("audit_log", "audit_daily", audit.audit_daily, lambda t, p: {"filters": _audit(t, p)}),
    PageQuery("audit_log", "audit_events", audit.audit_events,
              lambda t, p: {"filters": _audit(t, p), "limit": PAGE_SIZES["audit_log"], "offset": 0}),
    PageQuery("audit_log", "audit_kpis(search)", audit.audit_kpis,
              lambda t, p: {"filters": _audit(t, p, "export")}, searched=True),
    PageQuery("audit_log", "audit_events(search)", audit.audit_events,
              lambda t, p: {"filters": _audit(t, p, "export"), "limit": PAGE_SIZES["audit_log"], "offset": 0},
              searched=True),
]

ASSISTANT = [
    PageQuery("assistant", "conversation_choices", assistant.conversation_choices, _none, ranged=False),
    PageQuery("assistant", "customer_choices", assistant.customer_choices, _none, ranged=False),
    PageQuery("assistant", "customer_labels", assistant.customer_labels,
              lambda t, p: {"customer_id": t.customer_id}, ranged=False),
    PageQuery("assistant", "customer_orders", assistant.customer_orders,
              lambda t, p: {"customer_id": t.customer_id, "tz": t.timezone}, ranged=False),
    PageQuery("assistant", "customer_messages", assistant.customer_messages,
              lambda t, p: {"customer_id": t.customer_id, "tz": t.timezone}, ranged=False),
    # what "Draft reply" / "Draft order" read before drafting
    PageQuery("assistant", "message_target", assistant.message_target,
              lambda t, p: {"message_id": t.message_id}, ranged=False),
    PageQuery("assistant", "conversation_thread", assistant.conversation_thread,
              lambda t, p: {"conversation_id": t.conversation_id, "message_id": t.message_id}, ranged=False),
    PageQuery("assistant", "catalog", assistant.catalog, _none, ranged=False),
    PageQuery("assistant", "matching_history", assistant.matching_history, _none, ranged=False),
    PageQuery("assistant", "pii_rules", assistant.pii_rules, _none, ranged=False),
]

PAGES: dict[str, list[PageQuery]] = {
    "orders": ORDERS, "conversations": CONVERSATIONS, "ai_costs": AI_COSTS, "budget": BUDGET,
    "audit_log": AUDIT, "assistant": ASSISTANT,
}
