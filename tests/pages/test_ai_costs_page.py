"""pages/ai_costs.py in AppTest, per role, on tests/ai_costs_seed.py (1–10 March 2026) plus this month's
spend for the month-to-date section."""

from __future__ import annotations

import calendar
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import text

from core.filters import today_in
from tests import ai_costs_seed
from tests import factories as f
from tests.apptest import page, texts

PERIOD = {"ai_costs_period": "custom", "ai_costs_from": "2026-03-01", "ai_costs_to": "2026-03-10"}
MONTH_SPEND = 6000  # USD cents this month, budget 10000


@pytest.fixture
def data(clean_db):
    with clean_db.begin() as conn:
        d = ai_costs_seed.seed(conn, budget_cents=10_000)
        today = today_in(ai_costs_seed.TZ)
        assert today.replace(day=1) > ai_costs_seed.END  # this month must not overlap the tested period
        f.usage(conn, d, today.replace(day=1), "gpt-4o", "reply", requests=30, input_tokens=1,
                output_tokens=1, cost_cents=MONTH_SPEND)
    return d


def signed_in(engine, d, role):
    with engine.begin() as conn:
        return f.signed_in(conn, d, role)


def metrics(at) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.delta) for m in at.metric}


def frame(at, column: str):
    """The first table showing `column` (a plain st.dataframe has no key in AppTest)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def forecast_label() -> str:
    today = today_in(ai_costs_seed.TZ)
    days = calendar.monthrange(today.year, today.month)[1]
    dollars = Decimal(MONTH_SPEND) * days / today.day / 100
    return f"${dollars.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"


@pytest.mark.parametrize("role", ["finance", "manager", "admin", "operator"])
def test_renders_the_known_numbers(data, clean_db, role):
    at = page("pages/ai_costs.py", signed_in(clean_db, data, role), query_params=PERIOD)
    assert not at.exception, at.exception
    # period vs previous: 1175 vs 200 cents, 210 vs 40 answered requests, 3 vs 1 conversations
    assert metrics(at) == {
        "Spend": ("$11.75", "+487.5%"),
        "Requests": ("210", "+425.0%"),
        "Input tokens": ("140,000", "+13,900.0%"),
        "Output tokens": ("48,000", "+4,700.0%"),
        "Error rate": ("2.8%", "-69.4%"),               # 6 / 216 vs 4 / 44
        "Cost per AI order": ("$5.88", "n/a"),           # 1175 / 2 AI orders; none before
        "Cost per conversation": ("$3.92", "+95.8%"),    # 1175 / 3 vs 200 / 1
        "Avg latency": ("1.05 s", "+109.5%"),            # 220000 / 210 ms vs 500
        "p95 latency": ("895 ms", "+258.0%"),            # 700 + 0.65 * 300 vs 250
        # month to date: 6000 of 10000 cents
        "Spent this month": ("$60.00", ""),
        "Monthly budget": ("$100.00", ""),
        "Budget used": ("60.0%", ""),
        "Forecast month end": (forecast_label(), ""),
    }
    shown = texts(at)
    assert "Cost unknown for 10 requests of model local-llama" in shown
    assert "Cost unknown for 1 request of model mystery-model" in shown
    assert "Warning: 60.0% of the $100.00 monthly budget used." in shown
    table = frame(at, "unpriced_requests")
    assert table[["model", "feature", "requests", "spend_usd", "unpriced_requests"]].values.tolist() == [
        ["gpt-4o", "Order extraction", 50, 10.0, 0], ["gpt-4o-mini", "Reply drafting", 100, 1.5, 0],
        ["gpt-4o-mini", "Classification", 50, 0.25, 0], ["local-llama", "Reply drafting", 10, 0.0, 10]]
    assert len(at.get("plotly_chart")) == 6
    models = frame(at, "p95_latency_ms")
    assert models[["model", "p95_latency_ms"]].values.tolist() == [["gpt-4o", 490.0], ["gpt-4o-mini", 560.0],
                                                                   ["local-llama", 1000.0]]
    with clean_db.connect() as conn:
        views = conn.execute(text("select record_count from data_access_audit where distributor_id = :d "
                                  "and action = 'view' and resource = 'ai_costs'"), {"d": data}).scalars()
        assert views.all() == [210]


def test_support_is_not_allowed(data, clean_db):
    at = page("pages/ai_costs.py", signed_in(clean_db, data, "support"), query_params=PERIOD)
    assert "You are not allowed to see this page." in texts(at)
    assert not at.metric and not at.dataframe


def test_friendly_empty_state_without_usage(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Brand New")
        user = f.signed_in(conn, d, "finance")
    at = page("pages/ai_costs.py", user)
    assert not at.exception, at.exception
    shown = texts(at)
    assert "No AI usage in this period" in shown
    assert "No monthly budget is set" in shown
    assert metrics(at)["Spend"] == ("$0.00", "n/a")
    assert not at.get("plotly_chart")


def test_a_period_without_usage_shows_zeroes(data, clean_db):
    at = page("pages/ai_costs.py", signed_in(clean_db, data, "finance"),
              query_params={"ai_costs_period": "custom", "ai_costs_from": "2025-01-01",
                            "ai_costs_to": "2025-01-31"})
    assert not at.exception, at.exception
    assert metrics(at)["Requests"] == ("0", "n/a") and metrics(at)["p95 latency"] == ("—", "n/a")
    assert "No AI usage in this period" in texts(at)
    assert "Cost unknown" not in texts(at)
