"""Sign-in before a tenant is known: login attempts (lockout) and SECURITY DEFINER auth functions.

Revision ID: 0002_auth
Revises: 0001_schema
"""

from core.migrations.sqlfile import run_sql

revision = "0002_auth"
down_revision = "0001_schema"


def upgrade() -> None:
    run_sql("0002_auth.sql")


def downgrade() -> None:
    run_sql("0002_auth_down.sql")
