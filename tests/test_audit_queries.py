"""queries/audit.py on a small hand-built dataset: KPIs, daily counts, pages, every filter, hostile search
text, unusual exports and bursts of failed sign-ins. Expected numbers are counted by hand in the comments."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from core.db import tenant_scope
from queries import audit as qa
from queries.audit import AuditFilters
from tests import audit_seed
from tests import factories as f
from tests.audit_seed import NY, access, security, utc


@pytest.fixture
def dataset(clean_db):
    with clean_db.begin() as conn:
        s = audit_seed.seed(conn)
    return s.a, s.b, s.ana, s.max


def flt(**kw) -> AuditFilters:
    start, end = kw.pop("start", date(2026, 3, 10)), kw.pop("end", date(2026, 3, 12))
    return AuditFilters(start=start, end=end, tz=NY, **kw)


def kpis(a: str, **kw) -> dict:
    with tenant_scope(a) as conn:
        return qa.audit_kpis(conn, a, filters=flt(**kw))


def test_kpis_for_the_period_and_the_one_before(dataset):
    a, *_ = dataset
    k = kpis(a)
    assert k["current"] == {"events": 9, "users": 2, "exports": 2, "exported_rows": 160, "failed_sign_ins": 2}
    # previous period = local 7–9 March: only the view of the 9th
    assert k["previous"] == {"events": 1, "users": 1, "exports": 0, "exported_rows": 0, "failed_sign_ins": 0}


@pytest.mark.parametrize(("filters", "events", "users", "exports", "failed"), [
    ({"user_ids": "max"}, 4, 1, 1, 2),                         # r3 r4 + two failures
    ({"actions": ("export",)}, 2, 2, 2, 0),
    ({"actions": ("login_failed", "view")}, 5, 2, 0, 2),        # r1 r3 r5 + two failures
    ({"resources": ("orders",)}, 2, 1, 1, 0),                   # security events have no resource
    ({"search": "O'Brien"}, 1, 1, 0, 0),
    ({"search": "o'brien"}, 1, 1, 0, 0),                        # ILIKE: any case
    ({"search": "100%"}, 1, 1, 1, 0),                           # '%' is literal: r1's 1000 does not match
    ({"search": "_"}, 4, 2, 0, 2),                              # beer_kegs, bad_password x2, session_id
    ({"search": "🍺"}, 1, 1, 0, 0),
    ({"search": '"'}, 9, 2, 2, 2),                              # every details text has a quote
    ({"search": "\\"}, 0, 0, 0, 0),
    ({"search": "'; drop table x; --"}, 0, 0, 0, 0),
    ({"search": "%' OR '1'='1"}, 0, 0, 0, 0),
    ({"start": date(2026, 3, 12), "end": date(2026, 3, 12)}, 2, 1, 0, 0),   # r5 and the logout
    ({"user_ids": "max", "actions": ("export",), "search": "filters"}, 1, 1, 1, 0),
])
def test_each_filter_gives_the_known_counts(dataset, filters, events, users, exports, failed):
    a, _, ana, max_ = dataset
    if filters.get("user_ids") == "max":
        filters = {**filters, "user_ids": (max_,)}
    k = kpis(a, **filters)["current"]
    assert (k["events"], k["users"], k["exports"], k["failed_sign_ins"]) == (events, users, exports, failed)
    with tenant_scope(a) as conn:
        daily = qa.audit_daily(conn, a, filters=flt(**filters))
        page = qa.audit_events(conn, a, filters=flt(**filters), limit=100, offset=0)
    assert int(daily["events"].sum()) == events
    assert len(page) == events


def test_daily_counts_use_the_distributors_local_days(dataset):
    a, *_ = dataset
    with tenant_scope(a) as conn:
        daily = qa.audit_daily(conn, a, filters=flt())
    got = {(r.day.isoformat(), r.action): r.events for r in daily.itertuples()}
    assert got == {
        ("2026-03-10", "view"): 2, ("2026-03-10", "export"): 1, ("2026-03-10", "login_success"): 1,
        ("2026-03-11", "export"): 1, ("2026-03-11", "login_failed"): 2,
        ("2026-03-12", "view"): 1, ("2026-03-12", "logout"): 1,
    }


def test_events_are_paged_newest_first(dataset):
    a, *_ = dataset
    with tenant_scope(a) as conn:
        first = qa.audit_events(conn, a, filters=flt(), limit=3, offset=0)
        second = qa.audit_events(conn, a, filters=flt(), limit=3, offset=3)
        beyond = qa.audit_events(conn, a, filters=flt(), limit=3, offset=9)
    assert list(first["action"]) == ["logout", "view", "export"]
    assert list(second["action"]) == ["login_failed", "login_failed", "view"]
    assert beyond.empty
    top = first.iloc[0]
    assert (str(top["at"]), top["kind"], top["user_label"]) == (
        "2026-03-12 16:00:00", "security", "Ana Admin (ana@acme.test)")
    assert pd.isna(top["resource"])
    assert json.loads(first.iloc[1]["details"]) == {"filters": {"search": "🍺 beer_kegs"}}
    assert (second.iloc[2]["resource"], second.iloc[2]["record_count"], str(second.iloc[2]["at"])) == (
        "conversations", 40, "2026-03-10 23:30:00")


def test_filter_options_list_what_the_period_holds(dataset):
    a, *_ = dataset
    with tenant_scope(a) as conn:
        opts = qa.audit_filter_options(conn, a, start=date(2026, 3, 10), end=date(2026, 3, 12), tz=NY)
    by_kind = {k: list(g["label"]) for k, g in opts.groupby("kind")}
    assert by_kind == {
        "action": ["export", "login_failed", "login_success", "logout", "view"],
        "resource": ["audit_log", "conversations", "orders"],
        "user": ["Ana Admin (ana@acme.test)", "Max Manager (max@acme.test)"],
    }


def test_another_distributors_scope_sees_nothing(dataset):
    a, b, *_ = dataset
    with tenant_scope(b) as conn:
        assert qa.audit_kpis(conn, a, filters=flt())["current"]["events"] == 0


def test_unusual_exports(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Acme Drinks", tz=NY)
        ana = f.user(conn, d, "admin", email="ana@acme.test", full_name="Ana Admin")
        max_ = f.user(conn, d, "manager", email="max@acme.test", full_name="Max Manager")
        # Ana's export days before the period: 100, 200, 300 rows -> median 200
        for day, rows in (("2026-02-20", 100), ("2026-02-22", 200), ("2026-02-25", 300)):
            access(conn, d, ana, utc(day + " 15:00"), "export", "orders", rows, {})
        # 2 March: 400 + 300 (at 23:30 local, already the 3rd in UTC) = 700 > 3 x 200 -> unusual
        access(conn, d, ana, utc("2026-03-02 15:00"), "export", "orders", 400, {})
        access(conn, d, ana, utc("2026-03-03 04:30"), "export", "orders", 300, {})
        # 3 March: 500; usual is now the median of 100, 200, 300, 700 = 250, and 500 < 750 -> fine
        access(conn, d, ana, utc("2026-03-03 15:00"), "export", "orders", 500, {})
        # Max has no history: 900 is fine (< 1000), then 1,200 is over the absolute limit
        access(conn, d, max_, utc("2026-03-02 15:00"), "export", "customers", 900, {})
        access(conn, d, max_, utc("2026-03-03 15:00"), "export", "customers", 1200, {})
        # views never count as exports
        access(conn, d, max_, utc("2026-03-03 16:00"), "view", "customers", 50_000, {})
    with tenant_scope(d) as conn:
        got = qa.audit_export_anomalies(conn, str(d), start=date(2026, 3, 1), end=date(2026, 3, 5), tz=NY)
    rows = [(r.day.isoformat(), r.user_label, r.exported_rows, r.usual_rows) for r in got.itertuples()]
    assert rows == [("2026-03-03", "Max Manager (max@acme.test)", 1200, 900.0),
                    ("2026-03-02", "Ana Admin (ana@acme.test)", 700, 200.0)]


def test_bursts_of_failed_sign_ins(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Acme Drinks")
        other = f.distributor(conn, "Bolt Foods")
        u = f.user(conn, d, "admin")

        def fail(at, email="a@acme.test", dist=d, event="login_failed"):
            security(conn, dist, u if dist == d else None, utc("2026-03-10 " + at), event, {"email": email})

        # five in 12 minutes, two emails: a burst from 10:00 to 10:12; 10:20 has only 4 in its window
        for at, email in (("10:00", "a@acme.test"), ("10:03", "b@acme.test"), ("10:06", "a@acme.test"),
                          ("10:09", "a@acme.test"), ("10:12", "b@acme.test"), ("10:20", "a@acme.test")):
            fail(at, email)
        for at in ("13:00", "13:01", "13:02", "13:03"):  # four: no burst
            fail(at)
        fail("13:04", event="lockout")                     # not a failed sign-in
        for at in ("13:02", "13:03"):                      # another distributor's
            fail(at, dist=other)
        for minute in range(6):                            # six from 16:00 to 16:05: one burst
            fail(f"16:0{minute}")
    with tenant_scope(d) as conn:
        day, next_day = date(2026, 3, 10), date(2026, 3, 11)
        got = qa.audit_failed_sign_in_bursts(conn, str(d), start=day, end=day, tz="UTC")
        none = qa.audit_failed_sign_in_bursts(conn, str(d), start=next_day, end=next_day, tz="UTC")
    rows = [(r.started_at.strftime("%H:%M"), r.ended_at.strftime("%H:%M"), r.failures, r.emails)
            for r in got.itertuples()]
    assert rows == [("16:00", "16:05", 6, 1), ("10:00", "10:12", 5, 2)]
    assert none.empty
