"""services.budget: month state, forecast and run-out date, threshold alerts (once, even concurrently),
the hard limit, months in the distributor's time zone, re-arming after a raised budget, the CLI."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from core import clock
from core.db import tenant_scope
from queries.budget import BudgetSettings, MonthSnapshot
from services import budget
from services import budget as budget_mod
from services.budget_settings import update_settings
from tests import factories as f

MID_MARCH = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)


def seed(engine, *, budget_cents=10_000, spend_by_day: dict[date, float] | None = None, tz="UTC",
         thresholds=None, hard_limit=False, name="Acme Drinks"):
    """A distributor with a budget and one usage row per day (cost in USD cents); returns its id."""
    with engine.begin() as conn:
        d = f.distributor(conn, name, tz=tz, budget_cents=budget_cents, thresholds=thresholds,
                          hard_limit=hard_limit)
        for day, cost in (spend_by_day or {}).items():
            f.usage(conn, d, day, "gpt-4o-mini", "reply", requests=10, input_tokens=1000, output_tokens=500,
                    cost_cents=cost)
    return str(d)


def add_spend(engine, d, day: date, cost: float, model="gpt-4o"):
    with engine.begin() as conn:
        f.usage(conn, d, day, model, "order_extraction", requests=1, input_tokens=10, output_tokens=5,
                cost_cents=cost)


def evaluate(d, now=MID_MARCH):
    with tenant_scope(d) as conn:
        return budget.evaluate_month(conn, d, now)


def alerts(engine, d):
    """(period_month, threshold_pct, live) of every alert row, sorted."""
    with engine.connect() as conn:
        rows = conn.execute(text("select period_month, threshold_pct, superseded_at is null as live from "
                                 "ai_budget_alerts where distributor_id = :d order by 1, 2, 3"), {"d": d})
        return [tuple(r) for r in rows]


# ---------------------------------------------------------------- forecast and run-out date

@pytest.mark.parametrize(("now", "spend", "budget_cents", "forecast", "runout", "state"), [
    # 1 March (31-day month): 1 day elapsed, 100/day -> 3100 at month end; 3000 reached at the end of day 30
    (datetime(2026, 3, 1, 9, tzinfo=UTC), 100, 3000, Decimal(3100), date(2026, 3, 30), "warning"),
    # 31 March, last day: forecast = spend; 3000 * 31 / 2790 = 33.3 days -> not this month
    (datetime(2026, 3, 31, 22, tzinfo=UTC), 2790, 3000, Decimal(2790), None, "warning"),
    # 14 of 28 February days: 1000 -> 2000, under budget; 2500 * 14 / 1000 = 35 days -> not this month
    (datetime(2026, 2, 14, 12, tzinfo=UTC), 1000, 2500, Decimal(2000), None, "ok"),
    # 10 March, over budget: 400/day reached 3000 during day 8 (3000 / 400 = 7.5)
    (datetime(2026, 3, 10, 12, tzinfo=UTC), 4000, 3000, Decimal(12400), date(2026, 3, 8), "exceeded"),
    # 28 February (last day of a 28-day month), spend 2800 = budget exactly: exceeded on the last day
    (datetime(2026, 2, 28, 23, 59, tzinfo=UTC), 2800, 2800, Decimal(2800), date(2026, 2, 28), "exceeded"),
])
def test_forecast_and_runout_date(clean_db, now, spend, budget_cents, forecast, runout, state):
    d = seed(clean_db, budget_cents=budget_cents, spend_by_day={now.date().replace(day=1): spend})
    result = evaluate(d, now)
    assert result.period_month == now.date().replace(day=1)
    assert result.spend_cents == spend
    assert result.forecast_cents == forecast
    assert result.runout_date == runout
    assert result.state == state
    assert result.pct == Decimal(spend) * 100 / budget_cents


def test_no_spend_has_no_runout_and_is_ok(clean_db):
    d = seed(clean_db, budget_cents=3000)
    result = evaluate(d)
    assert (result.state, result.spend_cents, result.forecast_cents, result.runout_date) == ("ok", 0, 0, None)
    assert result.pct == 0


# ---------------------------------------------------------------- thresholds

@pytest.mark.parametrize(("spend", "fired"), [
    (4900, []), (4999.99, []), (5000, [50]), (7999, [50]), (8000, [50, 80]), (9999.99, [50, 80]),
    (10_000, [50, 80, 100]), (25_000, [50, 80, 100]),
])
def test_thresholds_fire_once(clean_db, spend, fired):
    d = seed(clean_db, budget_cents=10_000, spend_by_day={date(2026, 3, 2): spend})
    first = evaluate(d)
    second = evaluate(d)
    assert list(first.new_alerts) == fired
    assert second.new_alerts == ()
    assert alerts(clean_db, d) == [(date(2026, 3, 1), t, True) for t in fired]


def test_crossing_one_threshold_then_the_next(clean_db):
    d = seed(clean_db, budget_cents=10_000, spend_by_day={date(2026, 3, 2): 4900})
    assert evaluate(d).new_alerts == ()
    add_spend(clean_db, d, date(2026, 3, 3), 100)      # 50 %
    assert evaluate(d).new_alerts == (50,)
    add_spend(clean_db, d, date(2026, 3, 4), 2900)     # 79 %
    assert evaluate(d).new_alerts == ()
    add_spend(clean_db, d, date(2026, 3, 5), 100)      # 80 %
    assert evaluate(d).new_alerts == (80,)
    add_spend(clean_db, d, date(2026, 3, 6), 2000)     # 100 %
    assert evaluate(d).new_alerts == (100,)
    assert [t for _, t, _ in alerts(clean_db, d)] == [50, 80, 100]
    with clean_db.connect() as conn:
        row = conn.execute(text("select spend_cents, budget_cents from ai_budget_alerts "
                                "where distributor_id = :d and threshold_pct = 80"), {"d": d}).one()
    assert (row.spend_cents, row.budget_cents) == (8000, 10_000)


@pytest.mark.parametrize(("spend", "fired"), [(5000, [50]), (8000, [50, 80]), (10_000, [50, 80, 100])])
def test_concurrent_evaluations_create_one_alert_per_threshold(clean_db, spend, fired):
    d = seed(clean_db, budget_cents=10_000, spend_by_day={date(2026, 3, 2): spend})
    workers = 6
    barrier = threading.Barrier(workers)
    results, errors = [], []

    def run():
        try:
            with tenant_scope(d, engine=clean_db) as conn:
                conn.execute(text("select 1"))  # the connection is checked out before the race starts
                barrier.wait(timeout=10)
                results.append(budget.evaluate_month(conn, d, MID_MARCH))
        except Exception as exc:  # collected: an assertion in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(t for r in results for t in r.new_alerts) == fired
    assert alerts(clean_db, d) == [(date(2026, 3, 1), t, True) for t in fired]


def test_custom_thresholds_above_100(clean_db):
    d = seed(clean_db, budget_cents=10_000, thresholds=[90, 120], spend_by_day={date(2026, 3, 2): 11_000})
    result = evaluate(d)
    assert result.new_alerts == (90,)
    assert result.state == "exceeded"
    add_spend(clean_db, d, date(2026, 3, 3), 1000)
    assert evaluate(d).new_alerts == (120,)


def test_no_budget_never_alerts(clean_db):
    d = seed(clean_db, budget_cents=None, spend_by_day={date(2026, 3, 2): 1_000_000}, hard_limit=False)
    result = evaluate(d)
    assert (result.state, result.pct, result.budget_cents, result.new_alerts) == ("no_budget", None, None, ())
    assert result.spend_cents == 1_000_000
    assert alerts(clean_db, d) == []
    with tenant_scope(d) as conn:
        assert budget.allow_call(conn, d, MID_MARCH).allowed is True


def test_previous_month_spend_does_not_count(clean_db):
    d = seed(clean_db, budget_cents=10_000, spend_by_day={date(2026, 2, 28): 9000, date(2026, 3, 1): 1000})
    result = evaluate(d)
    assert result.spend_cents == 1000
    assert result.new_alerts == ()


# ---------------------------------------------------------------- hard limit

@pytest.mark.parametrize(("spend", "hard_limit", "allowed"), [
    (9999.99, True, True), (10_000, True, False), (12_000, True, False), (12_000, False, True),
    (0, True, True),
])
def test_hard_limit_blocks_at_100_percent_only(clean_db, spend, hard_limit, allowed):
    d = seed(clean_db, budget_cents=10_000, hard_limit=hard_limit, spend_by_day={date(2026, 3, 2): spend})
    with tenant_scope(d) as conn:
        result = budget.allow_call(conn, d, MID_MARCH)
    assert result.allowed is allowed
    if not allowed:
        assert "$100.00" in result.reason and "01 April 2026" in result.reason
    # allow_call is read-only: alerts come from evaluate_month
    assert alerts(clean_db, d) == []


# ---------------------------------------------------------------- time zones

def test_month_follows_the_distributor_time_zone(clean_db):
    # 2026-04-01 02:30 UTC is 2026-03-31 23:30 in São Paulo (UTC-3): still March there
    now = datetime(2026, 4, 1, 2, 30, tzinfo=UTC)
    spend = {date(2026, 3, 31): 6000}
    sao_paulo = seed(clean_db, tz="America/Sao_Paulo", spend_by_day=spend, name="Sao Paulo")
    utc = seed(clean_db, tz="UTC", spend_by_day=spend, name="London")

    sp = evaluate(sao_paulo, now)
    assert (sp.period_month, sp.today, sp.spend_cents, sp.new_alerts) == (date(2026, 3, 1), date(2026, 3, 31),
                                                                         6000, (50,))
    assert sp.forecast_cents == 6000  # last day of March: forecast is the spend
    assert alerts(clean_db, sao_paulo) == [(date(2026, 3, 1), 50, True)]

    u = evaluate(utc, now)
    assert (u.period_month, u.spend_cents, u.new_alerts) == (date(2026, 4, 1), 0, ())
    assert alerts(clean_db, utc) == []

    # an hour later it is April in São Paulo too, and April has no spend yet
    later = evaluate(sao_paulo, datetime(2026, 4, 1, 3, 30, tzinfo=UTC))
    assert (later.period_month, later.spend_cents, later.new_alerts) == (date(2026, 4, 1), 0, ())


# ---------------------------------------------------------------- re-arming after a raised budget

def test_raised_budget_rearms_thresholds_above_the_new_percentage(clean_db):
    d = seed(clean_db, budget_cents=10_000, spend_by_day={date(2026, 3, 2): 8500})
    assert evaluate(d).new_alerts == (50, 80)
    with clean_db.begin() as conn:
        finance = f.signed_in(conn, d, "finance")
    # 8500 of 12000 is 70.8 %: the 80 % alert re-arms, the 50 % one stays
    with tenant_scope(d, finance.id) as conn:
        state = update_settings(conn, finance, BudgetSettings(Decimal(12_000), (50, 80, 100), False),
                                MID_MARCH)
    assert state.new_alerts == ()
    assert alerts(clean_db, d) == [(date(2026, 3, 1), 50, True), (date(2026, 3, 1), 80, False)]

    add_spend(clean_db, d, date(2026, 3, 10), 1100)    # 9600 = 80 % of 12000
    assert evaluate(d).new_alerts == (80,)
    assert alerts(clean_db, d) == [(date(2026, 3, 1), 50, True), (date(2026, 3, 1), 80, False),
                                   (date(2026, 3, 1), 80, True)]
    assert evaluate(d).new_alerts == ()


def test_lowered_budget_fires_at_once_and_rearms_nothing(clean_db):
    d = seed(clean_db, budget_cents=10_000, spend_by_day={date(2026, 3, 2): 5000})
    assert evaluate(d).new_alerts == (50,)
    with clean_db.begin() as conn:
        admin = f.signed_in(conn, d, "admin")
    with tenant_scope(d, admin.id) as conn:
        state = update_settings(conn, admin, BudgetSettings(Decimal(6000), (50, 80, 100), False), MID_MARCH)
    assert state.new_alerts == (80,)      # 5000 / 6000 = 83.3 %
    assert alerts(clean_db, d) == [(date(2026, 3, 1), 50, True), (date(2026, 3, 1), 80, True)]


# ---------------------------------------------------------------- all distributors (CLI)

def test_evaluate_all_covers_every_active_distributor(clean_db, capsys):
    today = clock.now().date()
    over = seed(clean_db, budget_cents=10_000, spend_by_day={today.replace(day=1): 8000}, name="Over")
    under = seed(clean_db, budget_cents=10_000, spend_by_day={today.replace(day=1): 100}, name="Under")
    none = seed(clean_db, budget_cents=None, spend_by_day={today.replace(day=1): 100}, name="Nobudget")
    with clean_db.begin() as conn:
        conn.execute(text("update distributors set status = 'closed' where id = :d"), {"d": none})
    # UTC distributors and "now" in UTC: the usage rows are in the current month
    results = budget.evaluate_all(clean_db, clock.now())
    assert set(results) == {over, under}
    assert results[over].new_alerts == (50, 80)
    assert results[under].new_alerts == ()

    assert budget.main(["--all"]) == 0
    out = capsys.readouterr().out
    assert f"{over}: warning 80.0% new alerts none" in out
    assert f"{under}: ok 1.0% new alerts none" in out


# ---------------------------------------------------------------- words for people

def snapshot(spend, budget, *, month=date(2026, 3, 1), thresholds=(50, 80, 100)):
    budget = None if budget is None else Decimal(budget)
    return MonthSnapshot(timezone="UTC", month_start=month, budget_cents=budget, thresholds=thresholds,
                         hard_limit=True, spend_cents=Decimal(spend), requests=1,
                         unpriced_requests=0)


@pytest.mark.parametrize(("spend", "budget", "today", "headline", "sentence"), [
    (1000, 31_000, date(2026, 3, 10), "OK: 3.2% of the $310.00 monthly budget used.",
     "At this month's rate ($1.00 a day over 10 days) the month ends near $31.00, within the budget."),
    # the forecast lands exactly on the budget: it runs out on the last day, a warning
    (10_000, 31_000, date(2026, 3, 10), "Warning: 32.3% of the $310.00 monthly budget used.",
     "At this month's rate ($10.00 a day over 10 days) the budget runs out on 31 March 2026; "
     "the month ends near $310.00."),
    (20_000, 30_000, date(2026, 3, 20), "Warning: 66.7% of the $300.00 monthly budget used.",
     "At this month's rate ($10.00 a day over 20 days) the budget runs out on 30 March 2026; "
     "the month ends near $310.00."),
    (40_000, 30_000, date(2026, 3, 20), "Exceeded: 133.3% of the $300.00 monthly budget used.",
     "The budget is used up; at this month's rate ($20.00 a day over 20 days) the month ends near $620.00."),
    (500, None, date(2026, 3, 5), "No monthly budget is set: spend is tracked but never alerts or blocks.",
     "At this month's rate ($1.00 a day over 5 days) the month ends near $31.00."),
    (0, 30_000, date(2026, 3, 1), "OK: 0.0% of the $300.00 monthly budget used.",
     "At this month's rate ($0.00 a day over 1 day) the month ends near $0.00."),
])
def test_headline_and_forecast_sentence(spend, budget, today, headline, sentence):
    state = budget_mod.assess(snapshot(spend, budget), today)
    assert budget_mod.headline(state) == headline
    assert budget_mod.forecast_sentence(state) == sentence


def test_blocked_reason_names_the_budget_and_the_reopening_day():
    state = budget_mod.assess(snapshot(31_000, 31_000, month=date(2026, 12, 1)), date(2026, 12, 31))
    assert budget_mod.blocked_reason(state) == (
        "This month's AI budget of $310.00 is used up ($310.00 spent). The hard limit pauses AI calls until "
        "01 January 2027 or until finance raises the budget.")
