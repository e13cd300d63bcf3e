"""The AI budget gate: a distributor's month against its budget, threshold alerts, and whether a call may go.

Months and days are the distributor's (its time zone); spend is the daily rollup (ai_usage_metrics) of the
month, in USD cents. Calls whose price is unknown add nothing to spend: pages flag them, never count them
as free.

CLI for a scheduler: `python -m services.budget --all` evaluates every active distributor.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import Connection, Engine

from core.db import tenant_scope
from core.filters import today_in
from queries import budget as q
from queries.budget import MonthSnapshot, next_month

log = logging.getLogger("ordersight.budget")

OK, WARNING, EXCEEDED, NO_BUDGET = "ok", "warning", "exceeded", "no_budget"


@dataclass(frozen=True)
class BudgetState:
    """A month's spend against the budget.

    state: 'ok', 'warning' (an alert threshold below 100 % is crossed, or the forecast reaches the budget),
    'exceeded' (spend >= budget) or 'no_budget'. pct is spend / budget * 100 (None without a budget).
    forecast_cents is the month-end spend at the month's run rate (spend / days elapsed, today included);
    runout_date the day spend reaches the budget at that rate (None: not within this month, or no budget).
    new_alerts: thresholds whose alert this evaluation created."""

    state: str
    period_month: date
    today: date
    spend_cents: Decimal
    budget_cents: Decimal | None
    pct: Decimal | None
    forecast_cents: Decimal
    runout_date: date | None
    thresholds: tuple[int, ...] = ()
    crossed: tuple[int, ...] = ()
    hard_limit: bool = False
    unpriced_requests: int = 0
    new_alerts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Allowance:
    """Whether a new AI call may be made now, and the reason to show when it may not."""

    allowed: bool
    reason: str


def _has_budget(budget_cents: Decimal | None) -> bool:
    # A zero budget cannot give percentages; the settings form refuses it, so it only comes from raw SQL
    return budget_cents is not None and budget_cents > 0


def assess(snap: MonthSnapshot, today: date) -> BudgetState:
    """Returns the state of snap's month on the local date `today` (a day of that month). Pure: no I/O."""
    days_in_month = (next_month(snap.month_start) - snap.month_start).days
    elapsed = today.day
    spend, budget = snap.spend_cents, snap.budget_cents
    forecast = spend * days_in_month / elapsed
    common = dict(period_month=snap.month_start, today=today, spend_cents=spend, forecast_cents=forecast,
                  thresholds=snap.thresholds, hard_limit=snap.hard_limit,
                  unpriced_requests=snap.unpriced_requests)
    if not _has_budget(budget):
        return BudgetState(state=NO_BUDGET, budget_cents=budget, pct=None, runout_date=None, **common)
    # compare spend * 100 with t * budget: exact, so 49.99 % never rounds up to a 50 % alert
    crossed = tuple(t for t in snap.thresholds if spend * 100 >= t * budget)
    runout = None
    if spend > 0:
        # day d ends with d * rate = d * spend / elapsed spent: the first d reaching the budget
        day = int((budget * elapsed / spend).to_integral_value(rounding=ROUND_CEILING))
        candidate = snap.month_start + timedelta(days=max(day, 1) - 1)
        runout = candidate if candidate < next_month(snap.month_start) else None
    if spend >= budget:
        state = EXCEEDED
    elif forecast >= budget or any(t < 100 for t in crossed):
        state = WARNING
    else:
        state = OK
    return BudgetState(state=state, budget_cents=budget, pct=spend * 100 / budget, runout_date=runout,
                       crossed=crossed, **common)


def _usd(cents: Decimal) -> str:
    return f"${cents / 100:,.2f}"


def headline(state: BudgetState) -> str:
    """One line naming the state for people: "Exceeded: 104.0% of the $500.00 budget used." etc."""
    if state.state == NO_BUDGET:
        return "No monthly budget is set: spend is tracked but never alerts or blocks."
    used = f"{state.pct:.1f}% of the {_usd(state.budget_cents)} monthly budget used"
    return {EXCEEDED: f"Exceeded: {used}.", WARNING: f"Warning: {used}.", OK: f"OK: {used}."}[state.state]


def forecast_sentence(state: BudgetState) -> str:
    """The forecast in words: run rate, month-end spend and, with a budget, when it runs out."""
    days = state.today.day
    rate = f"at this month's rate ({_usd(state.spend_cents / days)} a day over {days} day{'s' * (days > 1)})"
    month_end = f"the month ends near {_usd(state.forecast_cents)}"
    if state.state == NO_BUDGET or state.spend_cents == 0:
        return f"{rate.capitalize()} {month_end}."
    if state.spend_cents >= state.budget_cents:
        return f"The budget is used up; {rate} {month_end}."
    if state.runout_date:
        return f"{rate.capitalize()} the budget runs out on {state.runout_date:%d %B %Y}; {month_end}."
    return f"{rate.capitalize()} {month_end}, within the budget."


def _local_today(conn: Connection, distributor_id: str, now: datetime | None) -> date:
    return today_in(q.distributor_timezone(conn, distributor_id), now)


def month_status(conn: Connection, distributor_id: str, now: datetime | None = None) -> BudgetState:
    """Returns the state of the distributor's current month at `now` (default: this instant). Read-only."""
    today = _local_today(conn, distributor_id, now)
    return assess(q.month_snapshot(conn, distributor_id, today.replace(day=1)), today)


def evaluate_month(conn: Connection, distributor_id: str, now: datetime | None = None) -> BudgetState:
    """Returns the month's state after creating the alert of every crossed threshold that has none
    (exactly once, even with concurrent evaluators: the partial unique index decides) and re-arming the
    thresholds above the spend when the budget was raised since they fired. Runs in the caller's
    transaction (a tenant_scope connection); never alerts without a budget."""
    state = month_status(conn, distributor_id, now)
    if state.state == NO_BUDGET:
        return state
    q.supersede_alerts(conn, distributor_id, state.period_month, state.spend_cents, state.budget_cents)
    created = q.insert_alerts(conn, distributor_id, state.period_month, list(state.crossed),
                              state.spend_cents, state.budget_cents)
    if created:
        log.info("budget alerts %s for distributor %s, %s", created, distributor_id, state.period_month)
    return replace(state, new_alerts=tuple(created))


def blocked_reason(state: BudgetState) -> str | None:
    """The message for a refused call when the hard limit applies to `state`, else None."""
    if not (state.hard_limit and _has_budget(state.budget_cents) and state.spend_cents >= state.budget_cents):
        return None
    return (f"This month's AI budget of ${state.budget_cents / 100:,.2f} is used up "
            f"(${state.spend_cents / 100:,.2f} spent). The hard limit pauses AI calls until "
            f"{next_month(state.period_month):%d %B %Y} or until finance raises the budget.")


def allow_call(conn: Connection, distributor_id: str, now: datetime | None = None) -> Allowance:
    """Returns whether a new AI call is allowed: refused only when the hard limit is on and the month's
    spend has reached 100 % of the budget. Read-only."""
    state = month_status(conn, distributor_id, now)
    reason = blocked_reason(state)
    if reason:
        return Allowance(False, reason)
    if state.state == NO_BUDGET:
        return Allowance(True, "No monthly AI budget is set.")
    if not state.hard_limit:
        return Allowance(True, f"{state.pct:.1f}% of the monthly budget used; no hard limit.")
    return Allowance(True, f"{state.pct:.1f}% of the monthly budget used.")


def evaluate_all(engine: Engine, now: datetime | None = None) -> dict[str, BudgetState | Exception]:
    """Evaluates every active distributor, each in its own tenant_scope transaction; returns distributor id
    -> its state, or the exception that stopped it (one failing tenant does not stop the others)."""
    with engine.connect() as conn:
        distributors = q.active_distributor_ids(conn)
    results: dict[str, BudgetState | Exception] = {}
    for distributor_id, name in distributors:
        try:
            with tenant_scope(distributor_id, engine=engine) as conn:
                results[distributor_id] = evaluate_month(conn, distributor_id, now)
        except Exception as exc:  # reported per tenant: the run goes on
            log.exception("budget evaluation failed for %s (%s)", name, distributor_id)
            results[distributor_id] = exc
    return results


def main(argv: list[str] | None = None) -> int:
    """CLI entry point; returns the exit status (1 when any distributor failed)."""
    parser = argparse.ArgumentParser(description="Evaluate AI budgets and raise threshold alerts.")
    parser.add_argument("--all", action="store_true", required=True, help="every active distributor")
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from core.db import get_engine

    results = evaluate_all(get_engine())
    for distributor_id, result in results.items():
        if isinstance(result, Exception):
            print(f"{distributor_id}: FAILED {result}")
        else:
            pct = "-" if result.pct is None else f"{result.pct:.1f}%"
            print(f"{distributor_id}: {result.state} {pct} new alerts {list(result.new_alerts) or 'none'}")
    return 1 if any(isinstance(r, Exception) for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
