"""pages/budget.py in AppTest: status, alerts and their filters, acknowledging, settings (validated and
audited), history — per permitted role; no controls without manage_budget."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from core.db import tenant_scope
from core.filters import today_in
from services.auth_model import VIEW_BUDGET
from services.budget import evaluate_month
from tests import factories as f
from tests.apptest import page, texts

TZ = "America/Sao_Paulo"
MARCH = date(2026, 3, 1)


@pytest.fixture
def data(clean_db):
    """Budget $100; this month 6000 cents spent (50 % alert open); March 2026: 8500 (50 and 80 % open)."""
    today = today_in(TZ)
    assert today.replace(day=1) > MARCH  # the two months must differ
    with clean_db.begin() as conn:
        d = str(f.distributor(conn, tz=TZ, budget_cents=10_000))
        for day, cost in ((date(2026, 3, 4), 8500), (today.replace(day=1), 6000)):
            f.usage(conn, d, day, "gpt-4o", "reply", requests=10, input_tokens=1, output_tokens=1,
                    cost_cents=cost)
    with tenant_scope(d) as conn:
        evaluate_month(conn, d, datetime(2026, 3, 20, 12, tzinfo=UTC))
        evaluate_month(conn, d)
        ids = dict(conn.execute(text("select format('%s-%s', period_month, threshold_pct), id "
                                     "from ai_budget_alerts")).all())
    return SimpleNamespace(d=d, today=today, this_month=today.replace(day=1), ids=ids)


def signed_in(engine, d, role, **kw):
    with engine.begin() as conn:
        return f.signed_in(conn, d, role, **kw)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def alerts_table(at):
    return next(df.value for df in at.dataframe if "threshold_pct" in df.value.columns)


def audit(engine, d, action):
    with engine.connect() as conn:
        return conn.execute(text("select user_id, details from data_access_audit where distributor_id = :d "
                                 "and action = :a order by id"), {"d": d, "a": action}).all()


def forecast(spend_cents: int, today: date) -> str:
    days = calendar.monthrange(today.year, today.month)[1]
    dollars = Decimal(spend_cents) * days / today.day / 100
    return f"${dollars.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@pytest.mark.parametrize("role", ["finance", "admin", "operator"])
def test_status_alerts_and_history(data, clean_db, role):
    at = page("pages/budget.py", signed_in(clean_db, data.d, role))
    assert not at.exception, at.exception
    assert metrics(at) == {"Spent this month": "$60.00", "Monthly budget": "$100.00", "Budget used": "60.0%",
                           "Forecast month end": forecast(6000, data.today)}
    assert "Warning: 60.0% of the $100.00 monthly budget used." in texts(at)
    table = alerts_table(at)
    assert table[["month", "threshold_pct", "spend_usd", "budget_usd", "state"]].values.tolist() == [
        [data.this_month, 50, 60.0, 100.0, "open"], [MARCH, 80, 85.0, 100.0, "open"],
        [MARCH, 50, 85.0, 100.0, "open"]]
    # the controls of manage_budget
    assert at.button(key="budget_ack") and at.text_input(key="budget_amount").value == "100.00"
    assert at.text_input(key="budget_thresholds").value == "50, 80, 100"
    history = next(df.value for df in at.dataframe if "pct_used" in df.value.columns)
    # from March 2026 (the first spend) when it is within the last 12 months, to this month
    index = data.this_month.year * 12 + data.this_month.month - 1
    first = max(MARCH, date((index - 11) // 12, (index - 11) % 12 + 1, 1))
    months = index - (first.year * 12 + first.month - 1) + 1
    assert len(history) == months and history["month"].iloc[-1] == data.this_month
    assert history[["spend_usd", "budget_usd", "pct_used"]].iloc[-1].tolist() == [60.0, 100.0, 0.6]
    assert len(at.get("plotly_chart")) == 1


def test_filter_alerts_by_month_and_state(data, clean_db):
    at = page("pages/budget.py", signed_in(clean_db, data.d, "finance"))
    at.selectbox(key="budget_alert_month").set_value(MARCH).run()
    assert alerts_table(at)["threshold_pct"].tolist() == [80, 50]
    at.selectbox(key="budget_alert_state").set_value("acknowledged").run()
    assert "No alert matches these filters." in texts(at)


def test_acknowledge_an_alert(data, clean_db):
    user = signed_in(clean_db, data.d, "finance", full_name="Fiona Finance")
    at = page("pages/budget.py", user)
    alert_id = data.ids["2026-03-01-80"]
    at.selectbox(key="budget_ack_pick").set_value(alert_id)
    at.button(key="budget_ack").click().run()
    assert not at.exception, at.exception
    assert "Alert acknowledged." in texts(at)
    table = alerts_table(at)
    row = table[table["threshold_pct"].eq(80)].iloc[0]
    assert (row["state"], row["acknowledged_by"]) == ("acknowledged", "Fiona Finance")
    # only the open alerts remain to pick
    options = at.selectbox(key="budget_ack_pick").options
    assert [o.split(" (")[0] for o in options] == [f"{data.this_month:%B %Y} — 50%", "March 2026 — 50%"]
    [(who, details)] = audit(clean_db, data.d, "acknowledge")
    assert (str(who), details["id"], details["threshold_pct"]) == (user.id, alert_id, 80)


@pytest.mark.parametrize(("amount", "thresholds", "message"), [
    ("-5", "50, 80, 100", "The monthly budget cannot be negative."),
    ("99999999", "50, 80, 100", "A monthly budget above $1,000,000 looks like a typo: check the amount."),
    ("100", "50, 50", "Each threshold can appear once: 50% is repeated."),
    ("100", "0, 2000", "Thresholds must be between 1% and 1000% of the budget: 0%, 2000% is not."),
])
def test_invalid_settings_are_refused_with_a_message(data, clean_db, amount, thresholds, message):
    at = page("pages/budget.py", signed_in(clean_db, data.d, "finance"))
    at.text_input(key="budget_amount").set_value(amount)
    at.text_input(key="budget_thresholds").set_value(thresholds)
    at.button(key="budget_save").click().run()
    assert not at.exception, at.exception
    assert message in [e.value for e in at.error]
    assert metrics(at)["Monthly budget"] == "$100.00"
    assert audit(clean_db, data.d, "settings_change") == []


def test_settings_change_is_saved_audited_and_rearms(data, clean_db):
    user = signed_in(clean_db, data.d, "admin")
    at = page("pages/budget.py", user)
    at.text_input(key="budget_amount").set_value("150")
    at.text_input(key="budget_thresholds").set_value("90, 50")
    at.checkbox(key="budget_hard_limit").check()
    at.button(key="budget_save").click().run()
    assert not at.exception, at.exception
    assert "Budget settings saved." in texts(at)
    # 6000 of 15000 cents is 40 %: this month's 50 % alert is re-armed
    assert metrics(at)["Monthly budget"] == "$150.00" and metrics(at)["Budget used"] == "40.0%"
    table = alerts_table(at)
    assert table[table["month"].eq(data.this_month)]["state"].tolist() == ["re-armed"]
    [(who, details)] = audit(clean_db, data.d, "settings_change")
    assert str(who) == user.id
    assert details == {
        "old": {"budget_cents": "10000.0000", "thresholds": [50, 80, 100], "hard_limit": False},
        "new": {"budget_cents": "15000", "thresholds": [50, 90], "hard_limit": True}}


def test_without_manage_budget_no_controls(data, clean_db):
    # no role has view_budget without manage_budget today: a custom permission set stands for one
    viewer = replace(signed_in(clean_db, data.d, "finance"), permissions=frozenset({VIEW_BUDGET}))
    at = page("pages/budget.py", viewer)
    assert not at.exception, at.exception
    assert metrics(at)["Monthly budget"] == "$100.00" and len(alerts_table(at)) == 3
    keys = {w.key for w in [*at.button, *at.text_input, *at.checkbox, *at.selectbox]}
    assert not keys & {"budget_ack", "budget_ack_pick", "budget_save", "budget_amount", "budget_thresholds",
                       "budget_hard_limit"}


@pytest.mark.parametrize("role", ["manager", "support"])
def test_roles_without_view_budget_are_refused(data, clean_db, role):
    at = page("pages/budget.py", signed_in(clean_db, data.d, role))
    assert "You are not allowed to see this page." in texts(at)
    assert not at.metric and not at.dataframe and not at.text_input


def test_a_distributor_without_budget_or_alerts(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Brand New", budget_cents=None)
        user = f.signed_in(conn, d, "finance")
    at = page("pages/budget.py", user)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "No monthly budget is set" in shown and "No alerts" in shown
    assert metrics(at)["Monthly budget"] == "—"
    assert at.text_input(key="budget_amount").value == ""


def test_open_alerts_stay_pickable_whatever_the_filters(data, clean_db):
    at = page("pages/budget.py", signed_in(clean_db, data.d, "finance"))
    at.selectbox(key="budget_alert_state").set_value("acknowledged").run()
    assert len(at.selectbox(key="budget_ack_pick").options) == 3
