"""The platform schema of data-model-seed.md: tables, composite keys, delete rules, RLS, the app role.

Revision ID: 0001_schema
Revises:
"""

from core.migrations.sqlfile import run_sql

revision = "0001_schema"
down_revision = None


def upgrade() -> None:
    run_sql("0001_schema.sql")


def downgrade() -> None:
    run_sql("0001_schema_down.sql")
