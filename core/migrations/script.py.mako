"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""

from core.migrations.sqlfile import run_sql

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}


def upgrade() -> None:
    run_sql("${up_revision}.sql")


def downgrade() -> None:
    run_sql("${up_revision}_down.sql")
