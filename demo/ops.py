"""The staff side of a tenant: sign-ins, sessions, page views and exports, and the AI budget with the
alerts it raised."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from random import Random

from demo.ai import micro_text
from demo.clock import ts_dt
from demo.model import Ids, Tenant, User

# chance a person signs in, Monday..Sunday
PRESENCE = {
    "admin": (0.5, 0.5, 0.5, 0.5, 0.5, 0.05, 0), "manager": (0.9, 0.85, 0.85, 0.85, 0.8, 0.1, 0),
    "support": (0.95, 0.95, 0.95, 0.95, 0.95, 0.6, 0.1), "finance": (0.5, 0.4, 0.4, 0.4, 0.6, 0, 0),
    "operator": (0.3, 0.3, 0.3, 0.3, 0.3, 0, 0),
}
PAGES = {
    "admin": ("audit_log", "users", "orders", "ai_costs"),
    "manager": ("orders", "customers", "products", "ai_performance", "conversations"),
    "support": ("review_queue", "conversations", "review_queue"), "finance": ("ai_costs", "budget", "orders"),
    "operator": ("tenants", "ai_costs", "audit_log"),
}
BROWSERS = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 Safari/605.1.15",
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148")
# tenant position % 3 -> how its AI spend compares with its budget
POLICIES = ("alerts", "within", "hard_limit")
# policy -> share of the budget spent (this month, earlier months): 86 % is past the 50 and 80 % alerts
SPEND_SHARE = {"alerts": (0.86, 0.92), "within": (0.55, 0.6), "hard_limit": (0.65, 0.72)}
THRESHOLDS = (50, 80, 100)


def staff_activity(t: Tenant, ids: Ids, b: dict) -> dict[str, datetime]:
    """Adds user_sessions, security_audit_log and data_access_audit rows for the staff's working days
    (and one burst of failed sign-ins) to batch b; returns each user's last sign-in."""
    rng, clock = t.rng, t.clock
    b["user_sessions"], b["security_audit_log"], b["data_access_audit"] = [], [], []
    office = _ip(rng, 190)
    last: dict[str, datetime] = {}
    burst_day = rng.randrange(max(1, len(clock.dates) - 1))
    for day, day_date in enumerate(clock.dates):
        if day == burst_day:
            _failed_burst(t, ids, b["security_audit_log"], clock.starts[day] + 3 * 3600 + rng.randrange(1800))
        for role, users in t.users.items():
            for u in users:
                if rng.random() < PRESENCE[role][day_date.weekday()]:
                    login = clock.business_time(rng, day, 7.0, 10.0)
                    if login < clock.end - 300:
                        _session(t, ids, b, u, office if rng.random() < 0.8 else _ip(rng, 181), login)
                        last[u.id] = ts_dt(login)
    return last


def _ip(rng: Random, first: int) -> str:
    return f"{first}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _session(t: Tenant, ids: Ids, b: dict, u: User, ip: str, login: int) -> None:
    """One working session: sign-in (after a typo now and then), page views, sign-out or expiry."""
    rng, d, end = t.rng, t.id, t.clock.end
    security = b["security_audit_log"]
    browser = rng.choice(BROWSERS)
    if rng.random() < 0.05:
        details = json.dumps({"email": u.email, "reason": "invalid_password", "ip": ip})
        security.append((ids("security_audit_log"), d, u.id, "login_failed", details,
                         ts_dt(login - rng.randint(20, 120))))
    security.append((ids("security_audit_log"), d, u.id, "login_success",
                     json.dumps({"ip": ip, "user_agent": browser}), ts_dt(login)))
    if u.role == "operator":
        security.append((ids("security_audit_log"), d, u.id, "tenant_switch", json.dumps({"to": t.slug}),
                         ts_dt(login + 5)))
    stop = login + rng.randint(5 * 3600, 9 * 3600)
    if stop >= end:  # still signed in
        ended, reason, seen = None, None, end - rng.randrange(600)
    else:
        reason = "logout" if rng.random() < 0.65 else "expired"
        ended = seen = stop
        event = "logout" if reason == "logout" else "session_expired"
        security.append((ids("security_audit_log"), d, u.id, event, "{}", ts_dt(stop)))
    b["user_sessions"].append((ids("user_sessions"), d, u.id, f"{rng.getrandbits(256):064x}", ts_dt(login),
                               ts_dt(seen), ended and ts_dt(ended), reason, browser))
    _page_views(t, ids, b["data_access_audit"], u, login, min(seen, end - 1))


def _page_views(t: Tenant, ids: Ids, audit: list, u: User, start: int, stop: int) -> None:
    rng, d = t.rng, t.id

    def during() -> datetime:
        return ts_dt(rng.randint(start + 30, max(start + 31, stop)))

    for _ in range(rng.randint(2, 6)):
        page = rng.choice(PAGES[u.role])
        audit.append((ids("data_access_audit"), d, u.id, "view", page, rng.randint(10, 500),
                      json.dumps({"page": page}), during()))
    if u.role in ("manager", "finance", "admin") and rng.random() < 0.12:
        resource, rows = rng.choice(("orders", "ai_usage_metrics", "customers")), rng.randint(50, 5000)
        audit.append((ids("data_access_audit"), d, u.id, "export", resource, rows,
                      json.dumps({"format": "csv", "rows": rows}), during()))
    if u.role == "support" and rng.random() < 0.3:
        audit.append((ids("data_access_audit"), d, u.id, "ai_call", "assistant", 1,
                      json.dumps({"kind": "reply"}), during()))


def _failed_burst(t: Tenant, ids: Ids, security: list, at: int) -> None:
    """Someone tries passwords on the admin account at night until it locks, plus a made-up email."""
    rng, d = t.rng, t.id
    admin = t.user("admin")
    ip = f"185.220.101.{rng.randrange(1, 255)}"
    for n in range(12):
        email, user = (admin.email, admin.id) if n % 4 else (f"root@{t.domain}", None)
        at += rng.randint(4, 15)
        details = json.dumps({"email": email, "reason": "invalid_password", "ip": ip,
                              "user_agent": "python-requests/2.32"})
        security.append((ids("security_audit_log"), d, user, "login_failed", details, ts_dt(at)))
    security.append((ids("security_audit_log"), d, admin.id, "lockout",
                     json.dumps({"email": admin.email, "ip": ip, "failed_attempts": 9}), ts_dt(at + 1)))


def budget(t: Tenant, ids: Ids) -> tuple[Decimal, bool, dict[str, list]]:
    """Returns (this month's budget in cents, hard limit on, batch of ai_budget_alerts and the finance
    user's acknowledge / settings rows). Each month's budget is set from that month's actual spend so the
    tenant's policy holds on any `end`: past 80 % this month, within budget, or hard limit on."""
    rng, clock, d = t.rng, t.clock, t.id
    policy = POLICIES[t.index % len(POLICIES)]
    month_of_day = [day.replace(day=1) for day in clock.dates]
    spend_ts, spend = t.spend_ts, t.spend_micro
    # indexes in time order: a list of ints, not of tuples, for the bench's million calls per tenant
    in_order = sorted(range(len(spend_ts)), key=spend_ts.__getitem__)
    totals: dict[date, int] = {}
    for i in in_order:
        m = month_of_day[clock.day_index(spend_ts[i])]
        totals[m] = totals.get(m, 0) + spend[i]
    current = month_of_day[-1]
    share_now, share_before = SPEND_SHARE[policy]
    # in ten-thousandths of a cent, the column's scale: a tiny tenant's budget of a fraction of a cent
    # still puts its spend at the policy's share (whole cents rounded up would keep it under 50 %)
    budgets = {m: _budget_units(total / (share_now if m == current else share_before))
               for m, total in totals.items()}
    now_budget = Decimal(_units_text(budgets.get(current, 1_000_000)))
    finance = t.user("finance").id
    alerts, audit = [], []
    # millionths of a cent at which each threshold of each month is crossed
    limits = {m: [(pct, units * pct) for pct in THRESHOLDS] for m, units in budgets.items()}
    spent: dict[date, int] = {}
    for i in in_order:
        ts = spend_ts[i]
        m = month_of_day[clock.day_index(ts)]
        spent[m] = total = spent.get(m, 0) + spend[i]
        while limits[m] and total >= limits[m][0][1]:
            pct = limits[m].pop(0)[0]
            acked = ts + rng.randint(1800, 30 * 3600)
            if (m == current and pct >= 80) or acked > clock.end - 60:
                ack_by = ack_at = None
            else:
                ack_by, ack_at = finance, ts_dt(acked)
                audit.append((ids("data_access_audit"), d, finance, "acknowledge", "ai_budget_alerts", 1,
                              json.dumps({"period_month": m.isoformat(), "threshold_pct": pct}), ack_at))
            alerts.append((ids("ai_budget_alerts"), d, m, pct, micro_text(total), _units_text(budgets[m]),
                           ts_dt(ts), ack_by, ack_at))
    # one settings change per month, in the shape services.budget_settings audits, so the budget history
    # page shows each month against the budget in force then
    hard = policy == "hard_limit"
    previous = None
    for m in sorted(budgets):
        set_at = max(clock.midnight(m) + 9 * 3600, clock.start)
        if set_at >= clock.end:
            continue
        new = {"budget_cents": _units_text(budgets[m]), "thresholds": list(THRESHOLDS), "hard_limit": hard}
        audit.append((ids("data_access_audit"), d, finance, "settings_change", "ai_budget_settings", 1,
                      json.dumps({"old": previous, "new": new}), ts_dt(set_at)))
        previous = new
    return now_budget, policy == "hard_limit", {"ai_budget_alerts": alerts, "data_access_audit": audit}


def _budget_units(micro: float) -> int:
    """Returns millionths of a cent as ten-thousandths of a cent, rounded up (at least one)."""
    return max(1, -(-int(micro) // 100))


def _units_text(units: int) -> str:
    """Ten-thousandths of a cent as the numeric(14, 4) text of cents."""
    return f"{units // 10_000}.{units % 10_000:04d}"

