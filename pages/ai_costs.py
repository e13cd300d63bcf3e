"""AI costs: what the AI cost in the period and where the money went, the month against the budget, and a
table per model and feature with CSV export. Costs come from the daily rollup (ai_usage_metrics)."""

import streamlit as st

from components.data import fetch, log_export, log_view
from components.filters import date_range_filter
from components.kpis import Kpi, kpi_row
from components.session import require
from components.states import empty_state, error_boundary
from components.tables import data_table
from core.filters import today_in
from queries import ai_costs, budget
from sections.ai_cost_charts import FEATURES, ai_cost_charts
from sections.budget_panels import budget_status
from services.auth_model import VIEW_AI_COSTS
from services.budget import assess

user = require(VIEW_AI_COSTS)
st.title("AI costs")
period = date_range_filter("ai_costs", user.timezone)
if period is None:
    st.stop()
audit_filters = {"start": period.start, "end": period.end}
cur = None

with error_boundary("AI costs"):
    before = period.previous()
    cur = fetch(ai_costs.cost_kpis, user, start=period.start, end=period.end, tz=user.timezone)
    prev = fetch(ai_costs.cost_kpis, user, start=before.start, end=before.end, tz=user.timezone)
    log_view(user, "ai_costs", cur["requests"], audit_filters)
    kpi_row([
        Kpi("Spend", cur["spend_cents"], "usd_cents", prev["spend_cents"], inverse=True,
            help="Known costs only: requests of unknown cost are flagged below, never counted as free"),
        Kpi("Requests", cur["requests"], "int", prev["requests"], help="Calls the AI answered"),
        Kpi("Input tokens", cur["input_tokens"], "int", prev["input_tokens"]),
        Kpi("Output tokens", cur["output_tokens"], "int", prev["output_tokens"]),
        Kpi("Error rate", cur["error_rate"], "pct", prev["error_rate"], inverse=True,
            help="Failed calls / all calls (answered + failed)"),
    ])
    kpi_row([
        Kpi("Cost per AI order", cur["cost_per_ai_order_cents"], "usd_cents", prev["cost_per_ai_order_cents"],
            inverse=True, help="Spend / orders created by the AI in the period"),
        Kpi("Cost per conversation", cur["cost_per_conversation_cents"], "usd_cents",
            prev["cost_per_conversation_cents"], inverse=True,
            help="Spend / conversations the AI answered in the period"),
        Kpi("Avg latency", cur["avg_latency_ms"], "ms", prev["avg_latency_ms"], inverse=True),
        Kpi("p95 latency", cur["p95_latency_ms"], "ms", prev["p95_latency_ms"], inverse=True,
            help="Exact 95th percentile over the period's stored AI responses"),
    ])
    st.caption(f"Compared with {before.start:%d %b} – {before.end:%d %b %Y}.")
    unpriced = fetch(ai_costs.unpriced_by_model, user, start=period.start, end=period.end, tz=user.timezone)
    for row in unpriced.itertuples():
        plural = "s" if row.requests != 1 else ""
        st.warning(f"Cost unknown for {row.requests:,} request{plural} of model {row.model}: not counted in "
                   "the spend. Add a price for it (ai_price_overrides in the settings).",
                   icon=":material/help:")

with error_boundary("the month to date"):
    today = today_in(user.timezone)
    st.subheader(f"Month to date — {today:%B %Y}")
    budget_status(assess(fetch(budget.month_snapshot, user, month_start=today.replace(day=1)), today))

if cur is not None and cur["requests"] == 0 and cur["conversations"] == 0:
    empty_state("No AI usage in this period", "Charts appear once the AI drafts replies or orders. "
                                              "Widen the period to see earlier usage.")
    st.stop()

with error_boundary("the charts"):
    ai_cost_charts(user, period.start, period.end)

with error_boundary("the table"):
    st.subheader("Per model and feature")
    table = fetch(ai_costs.model_feature_table, user, start=period.start, end=period.end, tz=user.timezone)
    data_table(
        table.assign(feature=table["feature"].map(lambda f: FEATURES.get(f, f))), "ai_costs_table",
        export_name="ai_costs_by_model_feature",
        on_export=lambda n: log_export(user, "ai_costs", n, audit_filters),
        column_config={
            "model": "Model", "feature": "Feature", "requests": "Requests", "input_tokens": "Input tokens",
            "output_tokens": "Output tokens", "errors": "Errors", "unpriced_requests": "Unknown cost",
            "spend_usd": st.column_config.NumberColumn("Spend (USD)", format="%.2f"),
            "avg_cost_per_request_cents": st.column_config.NumberColumn(
                "Avg ¢ / request", format="%.4f", help="Over requests whose cost is known"),
        },
    )
