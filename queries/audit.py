"""Audit log page reads (SQL in queries/audit.sql): data access and security events on one timeline, their
KPIs and daily counts, one page of rows, and the unusual activity to highlight. Every function takes a
tenant-scoped connection first (core.db.tenant_scope)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from core.filters import Period, like_pattern
from queries.loader import load_queries, to_frame

Q = load_queries("audit")

# Unusual exports: more rows in a day than this, or than EXPORT_MULTIPLE times the user's median export
# day over the BASELINE_DAYS before it.
EXPORT_ROWS_LIMIT = 1000
EXPORT_MULTIPLE = 3
BASELINE_DAYS = 30
# A burst of failed sign-ins: at least BURST_FAILURES within BURST_WINDOW_MIN minutes.
BURST_FAILURES = 5
BURST_WINDOW_MIN = 15


def _span(distributor_id: str, start: date, end: date, tz: str) -> dict[str, Any]:
    """The bound parameters of a period: t0 / t1 bound it, p0 starts the previous one (which ends at t0)."""
    period = Period(start, end)
    t0, t1 = period.bounds(tz)
    return {"distributor_id": distributor_id, "tz": tz, "t0": t0, "t1": t1, "p0": period.previous().bounds(tz)[0]}


@dataclass(frozen=True)
class AuditFilters:
    """The filter bar's choices: local dates start..end (both included) in time zone tz; an empty tuple means
    no filter; search is the cleaned search text ("" = none). Frozen tuples, so it can be a cache key."""

    start: date
    end: date
    tz: str
    user_ids: tuple[str, ...] = ()
    actions: tuple[str, ...] = ()
    resources: tuple[str, ...] = ()
    search: str = ""

    def params(self, distributor_id: str) -> dict[str, Any]:
        """Returns the bound parameters every filtered query of audit.sql takes."""
        # psycopg adapts lists (not tuples) to arrays; audit.sql casts them, so an empty one binds too
        return _span(distributor_id, self.start, self.end, self.tz) | {
            "user_ids": list(self.user_ids), "actions": list(self.actions), "resources": list(self.resources),
            "pattern": like_pattern(self.search) if self.search else None}

    def describe(self) -> dict[str, Any]:
        """Returns the filters as the audit trail records them (JSON-friendly, empty ones left out)."""
        described = {"start": self.start.isoformat(), "end": self.end.isoformat(),
                     "user_ids": list(self.user_ids), "actions": list(self.actions),
                     "resources": list(self.resources), "search": self.search}
        return {k: v for k, v in described.items() if v}


def _frame(conn: Connection, name: str, params: dict[str, Any]) -> pd.DataFrame:
    return to_frame(conn.execute(Q[name], params))


def audit_filter_options(conn: Connection, distributor_id: str, *, start: date, end: date,
                         tz: str) -> pd.DataFrame:
    """Returns the users, actions and resources seen in the period: columns kind ('user' / 'action' /
    'resource'), value (user id, action, resource) and label (what the filter shows)."""
    return _frame(conn, "audit_filter_options", _span(distributor_id, start, end, tz))


def audit_kpis(conn: Connection, distributor_id: str, *, filters: AuditFilters) -> dict[str, dict[str, int]]:
    """Returns {'current': kpis, 'previous': kpis} (the previous period has as many days, just before).
    kpis: events, users (distinct), exports, exported_rows, failed_sign_ins."""
    rows = conn.execute(Q["audit_kpis"], filters.params(distributor_id)).mappings()
    return {row["period"]: {k: int(v) for k, v in row.items() if k != "period"} for row in rows}


def audit_daily(conn: Connection, distributor_id: str, *, filters: AuditFilters) -> pd.DataFrame:
    """Returns columns day (local date), action, events: one row per day and action with events."""
    return _frame(conn, "audit_daily", filters.params(distributor_id))


def audit_events(conn: Connection, distributor_id: str, *, filters: AuditFilters, limit: int,
                 offset: int) -> pd.DataFrame:
    """Returns one page of the timeline, newest first: columns at (local time), kind ('access' /
    'security'), user_id, user_label, action, resource, record_count, details (JSON text)."""
    return _frame(conn, "audit_events", filters.params(distributor_id) | {"limit": limit, "offset": offset})


def audit_export_anomalies(conn: Connection, distributor_id: str, *, start: date, end: date,
                           tz: str) -> pd.DataFrame:
    """Returns the unusual export days of the period, newest first: columns day, user_id, user_label,
    exported_rows, usual_rows (median of the user's export days in the BASELINE_DAYS before; None if none)."""
    baseline = Period(start - timedelta(days=BASELINE_DAYS), end)
    return _frame(conn, "audit_export_anomalies", _span(distributor_id, start, end, tz) | {
        "start": start, "b0": baseline.bounds(tz)[0], "baseline_days": BASELINE_DAYS, "abs_limit": EXPORT_ROWS_LIMIT,
        "multiple": EXPORT_MULTIPLE})


def audit_failed_sign_in_bursts(conn: Connection, distributor_id: str, *, start: date, end: date,
                                tz: str) -> pd.DataFrame:
    """Returns the bursts of failed sign-ins ending in the period, newest first: columns started_at,
    ended_at (local times), failures, emails (distinct emails tried). Failures for unknown emails have no
    distributor and are not in this log."""
    return _frame(conn, "audit_failed_sign_in_bursts", _span(distributor_id, start, end, tz) | {
        "window_min": BURST_WINDOW_MIN, "min_failures": BURST_FAILURES})
