"""Budget pieces shared by the AI costs and budget pages: the month's status, the acknowledge control and
the settings form. The writes run in button callbacks, before the page reruns, so what the page then
shows already includes them; services.budget_settings checks the permission again on the server."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pandas as pd
import streamlit as st

from components.data import invalidate
from components.kpis import Kpi, kpi_row
from core.db import tenant_scope
from queries.budget import MonthSnapshot
from services.auth_model import User
from services.budget import EXCEEDED, NO_BUDGET, OK, WARNING, BudgetState, forecast_sentence, headline
from services.budget_settings import SettingsInvalid, acknowledge_alert, parse_settings, update_settings

log = logging.getLogger("ordersight")
FLASH = "_budget_flash"
_BANNER = {EXCEEDED: st.error, WARNING: st.warning, OK: st.success, NO_BUDGET: st.info}


def budget_status(state: BudgetState) -> None:
    """The month's spend, budget, share used and forecast, the state banner and the run-out sentence."""
    pct = None if state.pct is None else state.pct / 100
    kpi_row([
        Kpi("Spent this month", state.spend_cents, "usd_cents", compare=False),
        Kpi("Monthly budget", state.budget_cents, "usd_cents", compare=False),
        Kpi("Budget used", pct, "pct", compare=False),
        Kpi("Forecast month end", state.forecast_cents, "usd_cents", compare=False, inverse=True,
            help="Spend so far divided by the days elapsed (today included), times the days in the month"),
    ])
    _BANNER[state.state](headline(state))
    st.caption(forecast_sentence(state))
    if state.unpriced_requests:
        st.warning(f"Cost unknown for {state.unpriced_requests:,} requests this month: not counted in the "
                   "spend above.")


def show_flash() -> None:
    """Shows (once) the messages the last write left for the user."""
    for kind, message in st.session_state.pop(FLASH, []):
        getattr(st, kind)(message)


def _write(action: Callable[[], list[tuple[str, str]]]) -> None:
    try:
        messages = action()
    except PermissionError:
        messages = [("error", "You are not allowed to change the AI budget.")]
    except Exception:
        log.exception("budget write failed")
        messages = [("error", "The change could not be saved. Nothing was changed: try again in a moment.")]
    # the cached reads of every page must show the change at once
    invalidate()
    st.session_state[FLASH] = messages


def _acknowledge(user: User) -> None:
    def action():
        alert_id = st.session_state.get("budget_ack_pick")
        if alert_id is None:
            return [("warning", "Pick an alert to acknowledge.")]
        with tenant_scope(user.distributor_id, user.id) as conn:
            done = acknowledge_alert(conn, user, int(alert_id))
        if not done:
            return [("info", "That alert was already acknowledged.")]
        return [("success", "Alert acknowledged.")]
    _write(action)


def acknowledge_control(user: User, open_alerts: pd.DataFrame) -> None:
    """A picker of the open alerts and an "Acknowledge" button (show it to manage_budget users only)."""
    if open_alerts.empty:
        st.caption("No open alert to acknowledge.")
        return
    labels = {int(r.id): f"{r.month:%B %Y} — {r.threshold_pct}% (fired {r.fired_at:%d %b %H:%M})"
              for r in open_alerts.itertuples()}
    st.selectbox("Open alert", list(labels), format_func=labels.get, key="budget_ack_pick")
    st.button("Acknowledge", key="budget_ack", on_click=_acknowledge, args=(user,), icon=":material/done:")


def _save_settings(user: User) -> None:
    def action():
        state = st.session_state
        settings, errors = parse_settings(state["budget_amount"], state["budget_thresholds"],
                                          state["budget_hard_limit"])
        if errors:
            return [("error", e) for e in errors]
        try:
            with tenant_scope(user.distributor_id, user.id) as conn:
                result = update_settings(conn, user, settings)
        except SettingsInvalid as exc:
            return [("error", e) for e in exc.errors]
        if result is None:
            return [("info", "Nothing changed.")]
        crossed = [("warning", f"Threshold {t}% is already crossed: its alert was raised.")
                   for t in result.new_alerts]
        return [("success", "Budget settings saved."), *crossed]
    _write(action)


def settings_form(user: User, snap: MonthSnapshot) -> None:
    """The budget settings form (show it to manage_budget users only), filled with the current values."""
    amount = "" if snap.budget_cents is None else f"{snap.budget_cents / 100:.2f}"
    with st.form("budget_settings"):
        st.text_input("Monthly budget (USD)", value=amount, key="budget_amount",
                      help="Leave empty for no budget (spend is tracked, never alerts or blocks).")
        st.text_input("Alert thresholds (% of the budget)", value=", ".join(map(str, snap.thresholds)),
                      key="budget_thresholds", help="Whole percentages between 1 and 1000, e.g. 50, 80, 100.")
        st.checkbox("Hard limit: pause AI calls once the budget is used up", value=snap.hard_limit,
                    key="budget_hard_limit")
        st.form_submit_button("Save settings", key="budget_save", on_click=_save_settings, args=(user,))
