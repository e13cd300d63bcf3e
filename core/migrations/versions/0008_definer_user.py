"""SECURITY DEFINER functions acting for a user read app.current_user_id instead of trusting an argument.

Revision ID: 0008_definer_user
Revises: 0007_throttle
"""

from core.migrations.sqlfile import run_sql

revision = "0008_definer_user"
down_revision = "0007_throttle"


def upgrade() -> None:
    run_sql("0008_definer_user.sql")


def downgrade() -> None:
    run_sql("0008_definer_user_down.sql")
