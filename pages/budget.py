"""Budget alerts: this month's AI spend against the budget, the alerts raised (acknowledge them), the budget
settings and the spend history. Acknowledging and settings need manage_budget."""

import streamlit as st

from components.charts import bar_chart
from components.data import fetch, log_export, log_view
from components.session import require
from components.states import empty_state, error_boundary
from components.tables import data_table
from core.filters import today_in
from queries import budget
from sections.budget_panels import acknowledge_control, budget_status, settings_form, show_flash
from services.auth_model import MANAGE_BUDGET, VIEW_BUDGET
from services.budget import assess

WHEN = "D MMM YYYY, HH:mm"
STATES = {"all": "All states", "open": "Open", "acknowledged": "Acknowledged", "re-armed": "Re-armed"}

user = require(VIEW_BUDGET)
can_manage = user.can(MANAGE_BUDGET)
st.title("Budget alerts")
show_flash()
today = today_in(user.timezone)
snap = None

with error_boundary("the budget status"):
    snap = fetch(budget.month_snapshot, user, month_start=today.replace(day=1))
    st.subheader(f"{today:%B %Y}")
    budget_status(assess(snap, today))

with error_boundary("the alerts"):
    st.subheader("Alerts")
    months = fetch(budget.alert_months, user)
    left, right = st.columns(2)
    # a dict's .get, not a lambda: widget options must pickle (enforceSerializableSessionState)
    month_labels = {None: "All months"} | {m: f"{m:%B %Y}" for m in months}
    month = left.selectbox("Month", list(month_labels), format_func=month_labels.get,
                           key="budget_alert_month")
    state = right.selectbox("State", list(STATES), format_func=STATES.get, key="budget_alert_state")
    alerts = fetch(budget.alerts_list, user, month=month, state=state)
    filters = {"month": month, "state": state}
    log_view(user, "ai_budget_alerts", len(alerts), filters)
    if alerts.empty:
        empty_state("No alerts", "Alerts appear when the month's spend crosses a threshold of the budget."
                    if not months else "No alert matches these filters.")
    else:
        data_table(
            alerts.drop(columns=["id"]), "budget_alerts", export_name="ai_budget_alerts",
            on_export=lambda n: log_export(user, "ai_budget_alerts", n, filters),
            column_config={
                "month": st.column_config.DateColumn("Month", format="MMMM YYYY"),
                "threshold_pct": st.column_config.NumberColumn("Threshold", format="%d%%"),
                "spend_usd": st.column_config.NumberColumn("Spend then (USD)", format="%.2f"),
                "budget_usd": st.column_config.NumberColumn("Budget then (USD)", format="%.2f"),
                "fired_at": st.column_config.DatetimeColumn("Fired", format=WHEN),
                "acknowledged_by": "Acknowledged by",
                "acknowledged_at": st.column_config.DatetimeColumn("Acknowledged", format=WHEN),
                "state": "State",
            },
        )
    if can_manage:
        acknowledge_control(user, fetch(budget.alerts_list, user, month=None, state="open"))

if can_manage and snap is not None:
    st.subheader("Settings")
    settings_form(user, snap)

with error_boundary("the history"):
    st.subheader("History")
    history = fetch(budget.spend_history, user, through_month=today.replace(day=1), months=12)
    chart = history.rename(columns={"spend_usd": "Spend", "budget_usd": "Budget"})
    fig = bar_chart(chart, x="month", y=["Spend", "Budget"], stacked=False,
                    title="Spend per month against that month's budget (USD)",
                    labels={"value": "USD", "month": "Month", "variable": ""})
    fig.update_xaxes(dtick="M1", tickformat="%b %Y")  # one tick per month, never plotly's "Oct 31"
    st.plotly_chart(fig, width="stretch")
    st.caption("A month's budget is the one in force at its end, from the settings history.")
    data_table(history, "budget_history", export_name="ai_budget_history",
               on_export=lambda n: log_export(user, "ai_budget_history", n, {}),
               column_config={"month": st.column_config.DateColumn("Month", format="MMMM YYYY"),
                              "spend_usd": st.column_config.NumberColumn("Spend (USD)", format="%.2f"),
                              "budget_usd": st.column_config.NumberColumn("Budget (USD)", format="%.2f"),
                              "pct_used": st.column_config.NumberColumn("Used", format="percent"),
                              "unpriced_requests": "Requests of unknown cost"})
