"""Cookie sessions: absolute expiry, a unique token-hash index and the resolver every script run calls.

Revision ID: 0006_sessions
Revises: 0005_performance
"""

from core.migrations.sqlfile import run_sql

revision = "0006_sessions"
down_revision = "0005_performance"


def upgrade() -> None:
    run_sql("0006_sessions.sql")


def downgrade() -> None:
    run_sql("0006_sessions_down.sql")
