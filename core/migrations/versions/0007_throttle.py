"""Sign-in throttling by client and by account with backoff, instead of an email lock anyone could trigger.

Revision ID: 0007_throttle
Revises: 0006_sessions
"""

from core.migrations.sqlfile import run_sql

revision = "0007_throttle"
down_revision = "0006_sessions"


def upgrade() -> None:
    run_sql("0007_throttle.sql")


def downgrade() -> None:
    run_sql("0007_throttle_down.sql")
