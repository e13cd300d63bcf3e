"""Performance at scale: full-text search usable under RLS, and the indexes the page queries need
(measured in bench/README.md).

Revision ID: 0005_performance
Revises: 0002_auth
"""

from core.migrations.sqlfile import run_sql

revision = "0005_performance"
down_revision = "0002_auth"


def upgrade() -> None:
    run_sql("0005_performance.sql")


def downgrade() -> None:
    run_sql("0005_performance_down.sql")
