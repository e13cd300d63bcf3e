"""services.budget_settings: form validation, settings changes and acknowledgements — permission checked on
the server, audited in the same transaction with old and new values."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import text

from core.db import tenant_scope
from queries.budget import BudgetSettings
from services import budget_settings as bs
from services.budget import evaluate_month
from tests import factories as f

MID_MARCH = datetime(2026, 3, 15, 12, tzinfo=UTC)


@pytest.mark.parametrize(("budget", "thresholds", "hard", "expected"), [
    ("250", "50, 80, 100", False, BudgetSettings(Decimal(25_000), (50, 80, 100), False)),
    ("$1,500.50", "100 80% 50", True, BudgetSettings(Decimal("150050.00"), (50, 80, 100), True)),
    ("", "", False, BudgetSettings(None, (), False)),
    ("1000000", "1, 1000", False, BudgetSettings(Decimal(100_000_000), (1, 1000), False)),
])
def test_valid_settings_parse(budget, thresholds, hard, expected):
    assert bs.parse_settings(budget, thresholds, hard) == (expected, [])


@pytest.mark.parametrize(("budget", "thresholds", "hard", "message"), [
    ("-5", "50", False, "The monthly budget cannot be negative."),
    ("0", "50", False, "A monthly budget of $0 would alert on any call: leave it empty for no budget."),
    ("1000000.01", "50", False, "A monthly budget above $1,000,000 looks like a typo: check the amount."),
    ("5e9", "50", False, "A monthly budget above $1,000,000 looks like a typo: check the amount."),
    ("12.345", "50", False, "The monthly budget can have at most two decimals (whole cents)."),
    ("lots", "50", False, "The monthly budget “lots” is not an amount in USD (e.g. 250 or 1,500.00)."),
    ("100", "0, 50", False, "Thresholds must be between 1% and 1000% of the budget: 0% is not."),
    ("100", "50, 1001", False, "Thresholds must be between 1% and 1000% of the budget: 1001% is not."),
    ("100", "50, 80, 50", False, "Each threshold can appear once: 50% is repeated."),
    ("100", "50, -80", False, "The threshold “-80” is not a whole percentage (e.g. 50, 80, 100)."),
    ("100", "50.5", False, "The threshold “50.5” is not a whole percentage (e.g. 50, 80, 100)."),
    ("", "50", True, "The hard limit needs a monthly budget to stop at."),
])
def test_invalid_settings_get_clear_messages(budget, thresholds, hard, message):
    settings, errors = bs.parse_settings(budget, thresholds, hard)
    assert settings is None
    assert errors == [message]


def audit_rows(engine, d, action):
    with engine.connect() as conn:
        return conn.execute(text("select user_id, resource, record_count, details from data_access_audit "
                                 "where distributor_id = :d and action = :a order by id"),
                            {"d": d, "a": action}).all()


@pytest.fixture
def tenant(clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, budget_cents=10_000)
        f.usage(conn, d, date(2026, 3, 2), "gpt-4o", "reply", requests=5, input_tokens=1, output_tokens=1,
                cost_cents=8000)
        users = {role: f.signed_in(conn, d, role) for role in ("finance", "admin", "operator", "manager",
                                                                "support")}
    return str(d), users


def test_settings_change_is_stored_and_audited_with_old_and_new_values(clean_db, tenant):
    d, users = tenant
    finance = users["finance"]
    new = BudgetSettings(Decimal(20_000), (60, 90), True)
    with tenant_scope(d, finance.id) as conn:
        state = bs.update_settings(conn, finance, new, MID_MARCH)
    assert (state.budget_cents, state.pct, state.hard_limit, state.thresholds) == (20_000, 40, True, (60, 90))
    with clean_db.connect() as conn:
        row = conn.execute(text("select ai_monthly_budget_cents, ai_alert_thresholds, ai_hard_limit "
                                "from distributors where id = :d"), {"d": d}).one()
    assert tuple(row) == (20_000, [60, 90], True)
    [audit] = audit_rows(clean_db, d, "settings_change")
    assert (str(audit.user_id), audit.resource, audit.record_count) == (finance.id, "ai_budget_settings", 1)
    assert audit.details == {
        "old": {"budget_cents": "10000.0000", "thresholds": [50, 80, 100], "hard_limit": False},
        "new": {"budget_cents": "20000", "thresholds": [60, 90], "hard_limit": True},
    }

    # the same values again change nothing and write no audit row
    with tenant_scope(d, finance.id) as conn:
        assert bs.update_settings(conn, finance, BudgetSettings(Decimal("20000.00"), (90, 60), True)) is None
    assert len(audit_rows(clean_db, d, "settings_change")) == 1


def test_removing_the_budget_is_audited_as_null(clean_db, tenant):
    d, users = tenant
    with tenant_scope(d, users["admin"].id) as conn:
        state = bs.update_settings(conn, users["admin"], BudgetSettings(None, (50,), False), MID_MARCH)
    assert state.state == "no_budget"
    [audit] = audit_rows(clean_db, d, "settings_change")
    assert audit.details["new"] == {"budget_cents": None, "thresholds": [50], "hard_limit": False}


def test_invalid_settings_are_refused_by_the_core_function(clean_db, tenant):
    d, users = tenant
    with pytest.raises(bs.SettingsInvalid) as err, tenant_scope(d, users["finance"].id) as conn:
        bs.update_settings(conn, users["finance"], BudgetSettings(Decimal(-1), (50, 50), False))
    assert err.value.errors == ["The monthly budget cannot be negative.",
                                "Each threshold can appear once: 50% is repeated."]
    assert audit_rows(clean_db, d, "settings_change") == []


@pytest.mark.parametrize("role", ["manager", "support"])
def test_roles_without_manage_budget_are_refused(clean_db, tenant, role):
    d, users = tenant
    user = users[role]
    with tenant_scope(d, users["finance"].id) as conn:
        evaluate_month(conn, d, MID_MARCH)
        alert_id = conn.execute(text("select min(id) from ai_budget_alerts")).scalar_one()
    with pytest.raises(PermissionError), tenant_scope(d, user.id) as conn:
        bs.update_settings(conn, user, BudgetSettings(Decimal(99_999), (50,), False))
    with pytest.raises(PermissionError), tenant_scope(d, user.id) as conn:
        bs.acknowledge_alert(conn, user, alert_id)
    with clean_db.connect() as conn:
        budget_now = conn.execute(text("select ai_monthly_budget_cents from distributors")).scalar_one()
        acked = conn.execute(text("select count(*) from ai_budget_alerts where acknowledged_at is not null"))
        assert (budget_now, acked.scalar_one()) == (10_000, 0)
    assert audit_rows(clean_db, d, "settings_change") == audit_rows(clean_db, d, "acknowledge") == []


@pytest.mark.parametrize("role", ["finance", "admin", "operator"])
def test_acknowledge_once_and_audited(clean_db, tenant, role):
    d, users = tenant
    user = users[role]
    with tenant_scope(d, user.id) as conn:
        assert evaluate_month(conn, d, MID_MARCH).new_alerts == (50, 80)
        alert_id = conn.execute(text("select id from ai_budget_alerts where threshold_pct = 80")).scalar_one()
    with tenant_scope(d, user.id) as conn:
        assert bs.acknowledge_alert(conn, user, alert_id) is True
    with tenant_scope(d, user.id) as conn:
        assert bs.acknowledge_alert(conn, user, alert_id) is False
    with clean_db.connect() as conn:
        row = conn.execute(text("select acknowledged_by, acknowledged_at is not null as done "
                                "from ai_budget_alerts where id = :i"), {"i": alert_id}).one()
    assert (str(row.acknowledged_by), row.done) == (user.id, True)
    [audit] = audit_rows(clean_db, d, "acknowledge")
    assert (str(audit.user_id), audit.resource, audit.record_count) == (user.id, "ai_budget_alerts", 1)
    assert json.loads(json.dumps(audit.details)) == {
        "id": alert_id, "period_month": "2026-03-01", "threshold_pct": 80, "spend_cents": "8000.000000",
        "budget_cents": "10000.0000",
    }


def test_acknowledge_cannot_reach_another_distributor(clean_db, tenant):
    d, users = tenant
    with clean_db.begin() as conn:
        other = f.distributor(conn, "Other", budget_cents=100)
        f.usage(conn, other, date(2026, 3, 2), "gpt-4o", "reply", requests=1, input_tokens=1, output_tokens=1,
                cost_cents=100)
    with tenant_scope(other) as conn:
        evaluate_month(conn, str(other), MID_MARCH)
    with clean_db.connect() as conn:
        foreign = conn.execute(text("select min(id) from ai_budget_alerts where distributor_id = :o"),
                               {"o": other}).scalar_one()
    with tenant_scope(d, users["finance"].id) as conn:
        assert bs.acknowledge_alert(conn, users["finance"], foreign) is False
    assert audit_rows(clean_db, d, "acknowledge") == []
