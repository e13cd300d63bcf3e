"""The charts of the AI costs page, each from one query of queries/ai_costs.sql (series tested there)."""

from __future__ import annotations

import streamlit as st

from components.charts import bar_chart, donut_chart, dual_axis_chart, line_chart, scatter_chart
from components.data import fetch
from queries import ai_costs
from services.auth_model import User

FEATURES = {"reply": "Reply drafting", "order_extraction": "Order extraction",
            "classification": "Classification"}


def _show(fig) -> None:
    st.plotly_chart(fig, width="stretch")


def ai_cost_charts(user: User, start, end) -> None:
    """Spend per day by model, spend by feature, tokens per day, latency and errors per model, acceptance
    against cost per model, and prompt versions compared."""
    period = {"start": start, "end": end, "tz": user.timezone}
    left, right = st.columns(2)
    with left:
        daily = fetch(ai_costs.spend_daily_by_model, user, **period)
        _show(bar_chart(daily, x="day", y="spend_usd", color="model", title="Spend per day by model (USD)",
                        labels={"day": "Day", "spend_usd": "USD", "model": ""}))
    with right:
        features = fetch(ai_costs.spend_by_feature, user, **period)
        named = features.assign(feature=features["feature"].map(lambda f: FEATURES.get(f, f)))
        _show(donut_chart(named, names="feature", values="spend_usd", title="Spend by feature (USD)"))

    left, right = st.columns(2)
    with left:
        tokens = fetch(ai_costs.tokens_daily, user, **period)
        _show(line_chart(tokens, x="day", y="tokens", color="kind", title="Tokens per day",
                         labels={"day": "Day", "tokens": "Tokens", "kind": ""}))
    with right:
        models = fetch(ai_costs.model_latency_errors, user, **period)
        fig = dual_axis_chart(models, x="model", y_bar="avg_latency_ms", y_line="error_rate",
                              title="Latency and error rate per model",
                              labels={"model": "Model", "avg_latency_ms": "Average latency (ms)",
                                      "error_rate": "Error rate"})
        if not models.empty:  # an empty figure has no secondary axis to format
            fig.update_yaxes(tickformat=".1%", rangemode="tozero", secondary_y=True)
        _show(fig)

    left, right = st.columns(2)
    with left:
        worth = fetch(ai_costs.model_acceptance, user, **period)
        # a model with no review or no priced request has no point to place
        worth = worth.dropna(subset=["acceptance_rate", "cost_per_request_cents"])
        _show(scatter_chart(
            worth, x="cost_per_request_cents", y="acceptance_rate", size="reviewed", text="model",
            title="Acceptance vs cost per request",
            labels={"cost_per_request_cents": "USD cents per request",
                    "acceptance_rate": "Accepted (approved or edited)", "reviewed": "Reviews"},
        ).update_yaxes(tickformat=".0%"))
    with right:
        prompts = fetch(ai_costs.prompt_versions, user, **period)
        _show(bar_chart(prompts, x="prompt_version", y="acceptance_rate", color="model", stacked=False,
                        title="Prompt versions: acceptance",
                        labels={"prompt_version": "Prompt version", "acceptance_rate": "Accepted",
                                "model": ""}).update_yaxes(tickformat=".0%"))
    st.dataframe(
        models, hide_index=True,
        column_config={"model": "Model", "requests": "Requests", "errors": "Errors",
                       "avg_latency_ms": st.column_config.NumberColumn("Avg latency (ms)", format="%.0f"),
                       "p95_latency_ms": st.column_config.NumberColumn("p95 latency (ms)", format="%.0f"),
                       "error_rate": st.column_config.NumberColumn("Error rate", format="percent")})
    st.dataframe(
        prompts, hide_index=True,
        column_config={"prompt_version": "Prompt version", "feature": "Feature", "model": "Model",
                       "requests": "Requests", "approved": "Approved", "edited": "Edited",
                       "rejected": "Rejected",
                       "acceptance_rate": st.column_config.NumberColumn("Accepted", format="percent"),
                       "avg_confidence": st.column_config.NumberColumn("Avg confidence", format="%.2f"),
                       "avg_latency_ms": st.column_config.NumberColumn("Avg latency (ms)", format="%.0f"),
                       "spend_usd": st.column_config.NumberColumn("Spend (USD)", format="%.2f"),
                       "cost_per_request_cents": st.column_config.NumberColumn("¢ / request", format="%.4f")})
