"""Business timestamps default to app_now(), the clock the calendar test runs move (core/clock.py).

Revision ID: 0009_business_clock
Revises: 0008_definer_user
"""

from core.migrations.sqlfile import run_sql

revision = "0009_business_clock"
down_revision = "0008_definer_user"


def upgrade() -> None:
    run_sql("0009_business_clock.sql")


def downgrade() -> None:
    run_sql("0009_business_clock_down.sql")
