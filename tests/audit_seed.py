"""The audit log's hand-built dataset, shared by the query and page tests, and helpers to add audit rows
with a chosen time. Times are UTC; distributor A is in New York (UTC-4 on these March 2026 days)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from tests import factories as f

NY = "America/New_York"


def access(conn: Connection, d, user, at: datetime, action: str, resource: str, count: int,
           details: dict) -> None:
    conn.execute(text("insert into data_access_audit (distributor_id, user_id, action, resource, "
                      "record_count, details, created_at) "
                      "values (:d, :u, :a, :r, :n, cast(:j as jsonb), :t)"),
                 {"d": d, "u": user, "a": action, "r": resource, "n": count, "j": json.dumps(details),
                  "t": at})


def security(conn: Connection, d, user, at: datetime, event: str, details: dict) -> None:
    conn.execute(text("insert into security_audit_log (distributor_id, user_id, event, details, created_at) "
                      "values (:d, :u, :e, cast(:j as jsonb), :t)"),
                 {"d": d, "u": user, "e": event, "j": json.dumps(details), "t": at})


def utc(text_: str) -> datetime:
    """'2026-03-10 13:00' as an aware UTC datetime."""
    return datetime.fromisoformat(text_ + "+00:00")


@dataclass(frozen=True)
class AuditSeed:
    a: str
    b: str
    ana: str
    max: str


def seed(conn: Connection) -> AuditSeed:
    """Distributor A (New York) with 9 events on local 10–12 March 2026, one on the 9th and one on the 13th;
    distributor B with the same kind of rows, which A must never see. A's 9 events: 5 data accesses (views
    r1 r3 r5, exports r2 of 120 rows and r4 of 40) by Ana (admin) and Max (manager), and 4 security events
    (Ana's login_success and logout, two login_failed for Max)."""
    a = f.distributor(conn, "Acme Drinks", tz=NY)
    b = f.distributor(conn, "Bolt Foods")
    ana = f.user(conn, a, "admin", email="ana@acme.test", full_name="Ana Admin")
    max_ = f.user(conn, a, "manager", email="max@acme.test", full_name="Max Manager")
    bob = f.user(conn, b, "admin", email="bob@bolt.test")
    # r1 r2: local 10 Mar 09:00 and 11:00
    access(conn, a, ana, utc("2026-03-10 13:00"), "view", "orders", 120,
           {"filters": {"status": "confirmed", "limit": 1000}})
    access(conn, a, ana, utc("2026-03-10 15:00"), "export", "orders", 120,
           {"filters": {"q": "100% juice"}})
    # r3: local 10 Mar 23:30 (already the 11th in UTC)
    access(conn, a, max_, utc("2026-03-11 03:30"), "view", "conversations", 40,
           {"filters": {"q": "O'Brien"}})
    access(conn, a, max_, utc("2026-03-11 14:00"), "export", "conversations", 40, {"filters": {}})
    # r5: local 12 Mar 00:30
    access(conn, a, ana, utc("2026-03-12 04:30"), "view", "audit_log", 10,
           {"filters": {"search": "🍺 beer_kegs"}})
    # outside the range: local 9 Mar 08:00 (the previous period) and local 13 Mar 00:30
    access(conn, a, ana, utc("2026-03-09 12:00"), "view", "orders", 5, {"filters": {}})
    access(conn, a, ana, utc("2026-03-13 04:30"), "view", "orders", 7, {"filters": {}})
    security(conn, a, ana, utc("2026-03-10 12:00"), "login_success",
             {"email": "ana@acme.test", "method": "password"})
    for at in ("2026-03-11 13:00", "2026-03-11 13:05"):
        security(conn, a, max_, utc(at), "login_failed",
                 {"email": "max@acme.test", "reason": "bad_password"})
    security(conn, a, ana, utc("2026-03-12 20:00"), "logout", {"session_id": 1})
    for at in ("2026-03-10 13:00", "2026-03-11 14:00"):
        access(conn, b, bob, utc(at), "export", "orders", 999, {"filters": {"q": "O'Brien"}})
        security(conn, b, bob, utc(at), "login_failed", {"email": "bob@bolt.test"})
    return AuditSeed(str(a), str(b), str(ana), str(max_))
