"""The figures the browser tests expect on screen, computed here from the database as the table owner
(never through the app's queries), and formatted by hand the way people read them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, text

from core import clock

SYMBOLS = {"USD": "$", "BRL": "R$", "MXN": "MX$"}


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    timezone: str
    currency: str

    def today(self) -> date:
        return clock.now().astimezone(ZoneInfo(self.timezone)).date()

    def last_days(self, days: int = 30) -> tuple[date, date]:
        """The default period of the pages: the last `days` local days, today included."""
        return self.today() - timedelta(days=days - 1), self.today()


def tenant(engine: Engine, name: str) -> Tenant:
    with engine.connect() as conn:
        row = conn.execute(text("select id, name, timezone, currency from distributors where name = :n"),
                           {"n": name}).one()
    return Tenant(str(row.id), row.name, row.timezone, row.currency.strip())


def one(engine: Engine, sql: str, **params):
    """The single row of `sql` (owner connection, so RLS does not apply)."""
    with engine.connect() as conn:
        return conn.execute(text(sql), params).one()


def rows(engine: Engine, sql: str, **params) -> list:
    with engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def user_label(engine: Engine, email: str) -> str:
    """How the audit log names a user: "Full Name (email)"."""
    return f"{one(engine, 'select full_name from user_profiles where email = :e', e=email)[0]} ({email})"


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def count(n: int) -> str:
    return f"{n:,}"


def money(cents: int, currency: str) -> str:
    """"$1,234.56" for currencies with a symbol, "1,234.56 COP" for the others; from 100,000 on, shortened
    to one decimal of thousands, millions or billions ("R$141.3K", "94.1M COP") so a KPI card holds it."""
    major = Decimal(cents) / 100
    amount = f"{_half_up(major, 2):,}"
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 3, "K")):
        if major >= max(size, Decimal(10) ** 5):
            amount = f"{_half_up(major / size, 1):,}{suffix}"
            break
    return f"{SYMBOLS[currency]}{amount}" if currency in SYMBOLS else f"{amount} {currency}"


def usd_cents(cents) -> str:
    """AI cost: two decimals from one dollar up, four below (a call costs a fraction of a cent)."""
    dollars = Decimal(str(cents)) / 100
    return f"${_half_up(dollars, 2 if dollars >= 1 or dollars == 0 else 4):,}"


def orders(engine: Engine, t: Tenant) -> tuple[int, int]:
    """(orders, revenue cents without cancelled orders) of the last 30 local days."""
    start, end = t.last_days()
    row = one(engine, "select count(*) as n, coalesce(sum(total_cents) filter (where status <> 'cancelled'), 0)"
                      " as revenue from orders where distributor_id = :d"
                      " and created_at >= cast(:start as timestamp) at time zone :tz"
                      " and created_at < cast(:end as timestamp) at time zone :tz",
              d=t.id, tz=t.timezone, start=start, end=end + timedelta(days=1))
    return row.n, int(row.revenue)


def waiting_suggestions(engine: Engine, t: Tenant) -> int:
    return one(engine, "select count(*) from ai_responses where distributor_id = :d and status = 'pending'",
               d=t.id)[0]


def conversations(engine: Engine, t: Tenant) -> int:
    """Conversations with activity in the last 30 local days (the queue follows the page's period)."""
    start, end = t.last_days()
    return one(engine, "select count(*) from conversations where distributor_id = :d"
                       " and last_message_at >= cast(:start as timestamp) at time zone :tz"
                       " and last_message_at < cast(:end as timestamp) at time zone :tz",
               d=t.id, tz=t.timezone, start=start, end=end + timedelta(days=1))[0]


def conversations_caption(n: int):
    """The queue's count line: "1,234 conversations with activity from 06 Nov 2026 to 05 Dec 2026 · …"."""
    return re.compile(rf"^{count(n)} conversations? with activity from \d\d \w{{3}} \d{{4}} to ")


def ai_spend(engine: Engine, t: Tenant, start: date, end: date) -> tuple[Decimal, int]:
    """(spend in USD cents, requests) from the daily rollup over local days start..end."""
    row = one(engine, "select coalesce(sum(cost_cents), 0) as spend, coalesce(sum(requests), 0) as requests"
                      " from ai_usage_metrics where distributor_id = :d and date between :start and :end",
              d=t.id, start=start, end=end)
    return row.spend, int(row.requests)


def budget(engine: Engine, t: Tenant) -> tuple[Decimal | None, int, int]:
    """(monthly budget in USD cents or None, live alerts, open alerts)."""
    row = one(engine, "select d.ai_monthly_budget_cents as budget,"
                      " (select count(*) from ai_budget_alerts a where a.distributor_id = d.id) as alerts,"
                      " (select count(*) from ai_budget_alerts a where a.distributor_id = d.id"
                      "    and a.superseded_at is null and a.acknowledged_at is null) as open"
                      " from distributors d where d.id = :d", d=t.id)
    return row.budget, row.alerts, row.open


def audit_events(engine: Engine, t: Tenant, *, older_than_s: float = 0, actions: tuple[str, ...] = ()) -> int:
    """Access and security events of the last 30 local days, leaving out the last `older_than_s` seconds;
    with `actions`, only those access actions / security events."""
    start, end = t.last_days()
    where = ("distributor_id = :d and created_at >= cast(:start as timestamp) at time zone :tz"
             " and created_at < cast(:end as timestamp) at time zone :tz"
             " and created_at <= app_now() - make_interval(secs => :ago)")
    if actions:
        where += " and {column} = any(:actions)"
    sql = (f"select (select count(*) from data_access_audit where {where.format(column='action')})"
           f" + (select count(*) from security_audit_log where {where.format(column='event')})")
    return one(engine, sql, d=t.id, tz=t.timezone, start=start, end=end + timedelta(days=1), ago=older_than_s,
               actions=list(actions))[0]
