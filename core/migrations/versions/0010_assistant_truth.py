"""Pasted messages are marked (messages.source) and de-duplicated; orders record who drafted them (drafted_by).

Revision ID: 0010_assistant_truth
Revises: 0009_business_clock
"""

from core.migrations.sqlfile import run_sql

revision = "0010_assistant_truth"
down_revision = "0009_business_clock"


def upgrade() -> None:
    run_sql("0010_assistant_truth.sql")


def downgrade() -> None:
    run_sql("0010_assistant_truth_down.sql")
