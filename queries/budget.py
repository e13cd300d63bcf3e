"""Budget reads and writes: month snapshot, alerts, settings, spend history (SQL in budget.sql).

Amounts: *_cents are Decimal USD cents as stored; *_usd columns of DataFrames are floats for display."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import Connection

from queries.loader import load_queries, to_frame

Q = load_queries("budget")


@dataclass(frozen=True)
class MonthSnapshot:
    """A distributor's budget settings and one month's spend so far (from the daily rollup)."""

    timezone: str
    month_start: date
    budget_cents: Decimal | None
    thresholds: tuple[int, ...]
    hard_limit: bool
    spend_cents: Decimal
    requests: int
    unpriced_requests: int


@dataclass(frozen=True)
class BudgetSettings:
    """Monthly budget (USD cents, None = no budget), alert thresholds (% of budget) and the hard limit."""

    budget_cents: Decimal | None
    thresholds: tuple[int, ...]
    hard_limit: bool


def next_month(month_start: date) -> date:
    """The first day of the month after `month_start`'s month."""
    return date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)


def distributor_timezone(conn: Connection, distributor_id: str) -> str:
    """Returns the distributor's time zone name; raises LookupError when the distributor is not visible."""
    tz = conn.execute(Q["distributor_timezone"], {"distributor_id": distributor_id}).scalar()
    if tz is None:
        raise LookupError(f"distributor {distributor_id} not found")
    return tz


def month_snapshot(conn: Connection, distributor_id: str, month_start: date) -> MonthSnapshot:
    """Returns the budget settings and the spend of the month starting `month_start` (a local date)."""
    month_start = month_start.replace(day=1)
    row = conn.execute(Q["month_snapshot"], {
        "distributor_id": distributor_id, "month_start": month_start, "next_month": next_month(month_start),
    }).one()
    return MonthSnapshot(
        timezone=row.timezone, month_start=month_start, budget_cents=row.budget_cents,
        thresholds=tuple(sorted(set(row.thresholds))), hard_limit=row.hard_limit,
        spend_cents=Decimal(row.spend_cents), requests=int(row.requests),
        unpriced_requests=int(row.unpriced_requests),
    )


def insert_alerts(conn: Connection, distributor_id: str, period_month: date, thresholds: list[int],
                  spend_cents: Decimal, budget_cents: Decimal) -> list[int]:
    """Creates the live alert of each threshold that has none yet; returns the thresholds created."""
    if not thresholds:
        return []
    rows = conn.execute(Q["insert_alerts"], {
        "distributor_id": distributor_id, "period_month": period_month, "thresholds": thresholds,
        "spend_cents": spend_cents, "budget_cents": budget_cents,
    }).scalars()
    return sorted(rows)


def supersede_alerts(conn: Connection, distributor_id: str, period_month: date, spend_cents: Decimal,
                     budget_cents: Decimal) -> list[int]:
    """Supersedes live alerts fired under a smaller budget whose threshold the spend is now below;
    returns their thresholds."""
    rows = conn.execute(Q["supersede_alerts"], {
        "distributor_id": distributor_id, "period_month": period_month, "spend_cents": spend_cents,
        "budget_cents": budget_cents,
    }).scalars()
    return sorted(rows)


def active_distributor_ids(conn: Connection) -> list[tuple[str, str]]:
    """Returns (id, name) of every active distributor. Needs a connection that sees all tenants."""
    return [(str(r.id), r.name) for r in conn.execute(Q["active_distributor_ids"])]


def settings_for_update(conn: Connection, distributor_id: str) -> BudgetSettings:
    """Returns the current budget settings and locks the distributor row for the transaction."""
    row = conn.execute(Q["settings_for_update"], {"distributor_id": distributor_id}).one()
    return BudgetSettings(row.budget_cents, tuple(row.thresholds), row.hard_limit)


def update_settings(conn: Connection, distributor_id: str, settings: BudgetSettings) -> None:
    """Stores `settings` as the distributor's budget settings."""
    conn.execute(Q["update_settings"], {
        "distributor_id": distributor_id, "budget_cents": settings.budget_cents,
        "thresholds": list(settings.thresholds), "hard_limit": settings.hard_limit,
    })


def acknowledge_alert(conn: Connection, distributor_id: str, alert_id: int, user_id: str) -> dict | None:
    """Acknowledges an open alert; returns its id, month, threshold, spend and budget, or None when it
    does not exist or was already acknowledged."""
    row = conn.execute(Q["acknowledge_alert"], {
        "distributor_id": distributor_id, "alert_id": alert_id, "user_id": user_id,
    }).first()
    return row._asdict() if row else None


def alerts_list(conn: Connection, distributor_id: str, month: date | None = None,
                state: str = "all") -> pd.DataFrame:
    """Returns alerts (id, month, threshold_pct, spend_usd, budget_usd, fired_at, acknowledged_by,
    acknowledged_at, state) filtered by month and state ('all', 'open', 'acknowledged', 're-armed');
    times are local to the distributor."""
    params = {"distributor_id": distributor_id, "month": month, "state": state}
    return to_frame(conn.execute(Q["alerts_list"], params))


def alert_months(conn: Connection, distributor_id: str) -> list[date]:
    """Returns the months (first days) that have alerts, newest first."""
    return list(conn.execute(Q["alert_months"], {"distributor_id": distributor_id}).scalars())


def spend_history(conn: Connection, distributor_id: str, through_month: date,
                  months: int = 12) -> pd.DataFrame:
    """Returns one row per month (month, spend_usd, budget_usd, pct_used, unpriced_requests) for the
    `months` months ending with through_month, none before the first month with any spend; budget_usd is None
    for a month without a budget."""
    return to_frame(conn.execute(Q["spend_history"], {
        "distributor_id": distributor_id, "through_month": through_month.replace(day=1), "months": months,
    }))
