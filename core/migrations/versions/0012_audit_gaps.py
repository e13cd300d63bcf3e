"""Audit gaps: a platform log for failed sign-ins of unknown emails, hashed emails in the attempts table,
operators named in tenant logs.

Revision ID: 0012_audit_gaps
Revises: 0010_assistant_truth
"""

from core.migrations.sqlfile import run_sql

revision = "0012_audit_gaps"
down_revision = "0010_assistant_truth"


def upgrade() -> None:
    run_sql("0012_audit_gaps.sql")


def downgrade() -> None:
    run_sql("0012_audit_gaps_down.sql")
