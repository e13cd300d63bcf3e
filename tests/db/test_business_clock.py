"""The business clock: Python's core.clock and PostgreSQL's app_now() move together, and only business time moves."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import create_engine, text

from core import clock
from tests import factories as f
from tests.conftest import ROOT

DAY_S = 86_400
# timers that measure real elapsed time: sessions, sign-in throttling, API rate limits
REAL_TIME_TABLES = {"user_sessions", "auth_login_attempts", "api_rate_limits"}


def test_app_now_is_now_moved_by_the_session_offset(engine):
    moved = create_engine(engine.url, connect_args={"options": f"-c ordersight.clock_offset={DAY_S}"})
    with moved.connect() as conn:
        gap = conn.execute(text("select app_now() - now()")).scalar_one()
    moved.dispose()
    with engine.connect() as conn:
        unmoved = conn.execute(text("select app_now() - now()")).scalar_one()
    assert gap == timedelta(days=1)  # an explicit options string replaces PGOPTIONS
    assert unmoved == clock.OFFSET  # this run's own offset (zero outside make test-calendar)


def test_business_columns_default_to_app_now_and_timers_to_now(engine):
    with engine.connect() as conn:
        defaults = conn.execute(text(
            "select table_name, column_name, column_default from information_schema.columns "
            "where table_schema in ('public', 'auth') and column_default in ('now()', 'app_now()')")).all()
    real = {(t, c) for t, c, d in defaults if d == "now()"}
    business = {t for t, _, d in defaults if d == "app_now()"}
    assert {t for t, _ in real} == REAL_TIME_TABLES
    assert {"orders", "messages", "ai_responses", "security_audit_log", "ai_budget_alerts"} <= business
    assert not business & REAL_TIME_TABLES


def test_rows_written_under_a_moved_clock_carry_the_moved_date(engine, clean_db):
    with clean_db.begin() as conn:
        d = f.distributor(conn, "Clock")
    moved = create_engine(engine.url, connect_args={"options": f"-c ordersight.clock_offset={400 * DAY_S}"})
    with moved.begin() as conn:
        c = f.customer(conn, d, "Tienda")
        created = conn.execute(text("select created_at - now() from customers where id = :c"), {"c": c}).scalar_one()
    moved.dispose()
    assert created == timedelta(days=400)


def test_the_offset_reaches_python_and_every_connection_of_the_process():
    env = {**os.environ, "ORDERSIGHT_CLOCK_OFFSET": str(3 * DAY_S), "PGOPTIONS": "-c work_mem=8MB"}
    out = subprocess.run(
        [sys.executable, "-c", "import os\nfrom datetime import UTC, datetime\nfrom core import clock\n"
         "print(round((clock.now() - datetime.now(UTC)).total_seconds()))\nprint(os.environ['PGOPTIONS'])"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == str(3 * DAY_S)
    assert out[1] == f"-c work_mem=8MB -c ordersight.clock_offset={3 * DAY_S}"
