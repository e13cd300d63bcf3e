"""queries.budget: month snapshot, alerts list and its filters, spend history against each month's budget."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from core.db import tenant_scope
from queries import budget as q
from queries.budget import BudgetSettings
from services.budget import evaluate_month
from services.budget_settings import acknowledge_alert, update_settings
from tests import factories as f

MID_MARCH = datetime(2026, 3, 15, 12, tzinfo=UTC)


def usage(conn, d, day, cost, *, requests=1, unpriced=0, model="gpt-4o"):
    uid = f.usage(conn, d, day, model, "reply", requests=requests, input_tokens=1, output_tokens=1,
                  cost_cents=cost)
    conn.execute(text("update ai_usage_metrics set unpriced_requests = :u where id = :i"),
                 {"u": unpriced, "i": uid})


def settings_change(conn, d, at: datetime, old, new):
    """A settings_change audit row as update_settings writes it, at a chosen instant."""
    details = {"old": {"budget_cents": old, "thresholds": [50], "hard_limit": False},
               "new": {"budget_cents": new, "thresholds": [50], "hard_limit": False}}
    conn.execute(text("insert into data_access_audit (distributor_id, action, resource, record_count, "
                      "details, created_at) values (:d, 'settings_change', 'ai_budget_settings', 1, "
                      "cast(:j as jsonb), :t)"),
                 {"d": d, "j": json.dumps(details), "t": at})


def test_month_snapshot_sums_only_that_local_month(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, tz="Europe/Madrid", budget_cents=5000, thresholds=[100, 50, 80],
                          hard_limit=True)
        usage(conn, d, date(2026, 2, 28), 999)
        usage(conn, d, date(2026, 3, 1), 120.5, requests=4, unpriced=1)
        usage(conn, d, date(2026, 3, 31), 30.25, requests=6, unpriced=2, model="local-llama")
        usage(conn, d, date(2026, 4, 1), 999)
    with tenant_scope(d) as conn:
        snap = q.month_snapshot(conn, str(d), date(2026, 3, 17))
    assert snap == q.MonthSnapshot(timezone="Europe/Madrid", month_start=date(2026, 3, 1),
                                   budget_cents=Decimal(5000), thresholds=(50, 80, 100), hard_limit=True,
                                   spend_cents=Decimal("150.75"), requests=10, unpriced_requests=3)


def test_month_snapshot_of_december_ends_at_new_year(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn)
        usage(conn, d, date(2025, 12, 31), 10)
        usage(conn, d, date(2026, 1, 1), 99)
    with tenant_scope(d) as conn:
        snap = q.month_snapshot(conn, str(d), date(2025, 12, 1))
    assert (snap.spend_cents, snap.requests, snap.budget_cents) == (10, 1, None)


@pytest.fixture
def alerts_seeded(clean_db):
    """March: 50 (acknowledged by finance), 80 (re-armed by a raised budget), 80 again (open).
    February: 50 (open). Distributor in São Paulo."""
    with clean_db.begin() as conn:
        d = str(f.distributor(conn, tz="America/Sao_Paulo", budget_cents=10_000))
        usage(conn, d, date(2026, 2, 10), 6000)
        usage(conn, d, date(2026, 3, 2), 8500)
        finance = f.signed_in(conn, d, "finance", full_name="Fiona Finance")
    with tenant_scope(d) as conn:
        evaluate_month(conn, d, datetime(2026, 2, 20, 12, tzinfo=UTC))
        evaluate_month(conn, d, MID_MARCH)
    with tenant_scope(d, finance.id) as conn:
        update_settings(conn, finance, BudgetSettings(Decimal(12_000), (50, 80, 100), False), MID_MARCH)
        alert_id = conn.execute(text("select id from ai_budget_alerts where period_month = '2026-03-01' "
                                     "and threshold_pct = 50")).scalar_one()
        acknowledge_alert(conn, finance, alert_id)
    with clean_db.begin() as conn:
        usage(conn, d, date(2026, 3, 10), 1100)
        conn.execute(text("update ai_budget_alerts set triggered_at = '2026-03-02 02:30+00' "
                          "where threshold_pct = 50 and period_month = '2026-03-01'"))
    with tenant_scope(d) as conn:
        assert evaluate_month(conn, d, MID_MARCH).new_alerts == (80,)
    return d


def rows(df):
    # pandas shows a missing name as NaN: None here keeps the expectations readable
    return [(r.month, r.threshold_pct, r.spend_usd, r.budget_usd, r.state,
             r.acknowledged_by if isinstance(r.acknowledged_by, str) else None) for r in df.itertuples()]


def test_alerts_list_shows_every_alert_with_its_state(alerts_seeded):
    d = alerts_seeded
    with tenant_scope(d) as conn:
        df = q.alerts_list(conn, d)
    assert rows(df) == [
        (date(2026, 3, 1), 80, 96.0, 120.0, "open", None),
        (date(2026, 3, 1), 80, 85.0, 100.0, "re-armed", None),
        (date(2026, 3, 1), 50, 85.0, 100.0, "acknowledged", "Fiona Finance"),
        (date(2026, 2, 1), 50, 60.0, 100.0, "open", None),
    ]
    # times are the distributor's: 02:30 UTC on 2 March is 23:30 on 1 March in São Paulo
    acked = df[df.state == "acknowledged"].iloc[0]
    assert acked.fired_at == datetime(2026, 3, 1, 23, 30)
    assert acked.acknowledged_at is not None and df[df.state == "open"].acknowledged_at.isna().all()


@pytest.mark.parametrize(("month", "state", "expected"), [
    (date(2026, 3, 1), "all", [(80, "open"), (80, "re-armed"), (50, "acknowledged")]),
    (date(2026, 2, 1), "all", [(50, "open")]),
    (None, "open", [(80, "open"), (50, "open")]),
    (None, "acknowledged", [(50, "acknowledged")]),
    (date(2026, 3, 1), "re-armed", [(80, "re-armed")]),
    (date(2026, 2, 1), "acknowledged", []),
    (date(2025, 1, 1), "all", []),
])
def test_alerts_list_filters(alerts_seeded, month, state, expected):
    d = alerts_seeded
    with tenant_scope(d) as conn:
        df = q.alerts_list(conn, d, month=month, state=state)
    assert list(zip(df.threshold_pct, df.state, strict=True)) == expected


def test_alert_months_newest_first(alerts_seeded):
    with tenant_scope(alerts_seeded) as conn:
        assert q.alert_months(conn, alerts_seeded) == [date(2026, 3, 1), date(2026, 2, 1)]


def test_alerts_are_tenant_scoped(alerts_seeded, clean_db):
    with clean_db.begin() as conn:
        other = str(f.distributor(conn, "Other"))
    with tenant_scope(other) as conn:
        assert q.alerts_list(conn, other).empty
        assert q.alert_months(conn, other) == []


def test_spend_history_against_the_budget_of_each_month(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, budget_cents=20_000)
        usage(conn, d, date(2025, 11, 30), 777)         # before the window
        usage(conn, d, date(2025, 12, 24), 500)
        usage(conn, d, date(2026, 1, 3), 3000)
        usage(conn, d, date(2026, 1, 31), 2000, unpriced=2)
        usage(conn, d, date(2026, 2, 14), 7000)
        usage(conn, d, date(2026, 3, 1), 1000)
        usage(conn, d, date(2026, 4, 1), 555)           # after the window
        settings_change(conn, d, datetime(2026, 1, 20, tzinfo=UTC), "10000.0000", "15000")
        settings_change(conn, d, datetime(2026, 3, 5, tzinfo=UTC), "15000", "20000")
    with tenant_scope(d) as conn:
        df = q.spend_history(conn, str(d), date(2026, 3, 9), months=4)
    assert [tuple(r) for r in df.itertuples(index=False)] == [
        # December: before any change, the budget is the first change's old value
        (date(2025, 12, 1), 5.0, 100.0, 0.05, 0),
        (date(2026, 1, 1), 50.0, 150.0, 5000 / 15000, 2),
        (date(2026, 2, 1), 70.0, 150.0, 7000 / 15000, 0),
        (date(2026, 3, 1), 10.0, 200.0, 1000 / 20000, 0),
    ]


def test_spend_history_month_ends_in_the_distributor_time_zone(clean_db):
    # 2026-02-01 02:00 UTC is still 31 January in São Paulo: that change decides January's budget there
    with clean_db.begin() as conn:
        sp = f.distributor(conn, "Sao Paulo", tz="America/Sao_Paulo", budget_cents=None)
        utc = f.distributor(conn, "London", tz="UTC", budget_cents=None)
        for d in (sp, utc):
            usage(conn, d, date(2026, 1, 10), 4500)
            settings_change(conn, d, datetime(2026, 2, 1, 2, tzinfo=UTC), "15000", "18000")
            settings_change(conn, d, datetime(2026, 2, 10, tzinfo=UTC), "18000", None)
    expected_january = {sp: 180.0, utc: 150.0}
    for d, january in expected_january.items():
        with tenant_scope(d) as conn:
            df = q.spend_history(conn, str(d), date(2026, 2, 1), months=2)
        assert df.month.tolist() == [date(2026, 1, 1), date(2026, 2, 1)]
        assert df.budget_usd.iloc[0] == january
        assert df.pct_used.iloc[0] == 4500 / (january * 100)
        # February, without spend, stays (only leading months are left out); it ended without a budget
        assert df.budget_usd.isna().iloc[1] and df.pct_used.isna().iloc[1]


def test_spend_history_starts_with_the_first_month_with_spend(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, budget_cents=5000)
        usage(conn, d, date(2026, 2, 3), 100)
        new = f.distributor(conn, "New", budget_cents=5000)
    with tenant_scope(d) as conn:
        df = q.spend_history(conn, str(d), date(2026, 4, 1), months=12)
    assert df.month.tolist() == [date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
    assert df.spend_usd.tolist() == [1.0, 0.0, 0.0]
    with tenant_scope(new) as conn:
        df = q.spend_history(conn, str(new), date(2026, 4, 1), months=12)
    assert [tuple(r) for r in df.itertuples(index=False)] == [(date(2026, 4, 1), 0.0, 50.0, 0.0, 0)]


def test_spend_history_keeps_quiet_months_when_the_first_spend_is_older_than_the_window(clean_db):
    # a tenant that spent long ago and again lately: the window's quiet months are history too, not left out
    with clean_db.begin() as conn:
        d = f.distributor(conn, budget_cents=5000)
        usage(conn, d, date(2025, 1, 10), 100)
        usage(conn, d, date(2026, 3, 5), 300)
    with tenant_scope(d) as conn:
        df = q.spend_history(conn, str(d), date(2026, 4, 1), months=4)
    assert df.month.tolist() == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)]
    assert df.spend_usd.tolist() == [0.0, 0.0, 3.0, 0.0]
