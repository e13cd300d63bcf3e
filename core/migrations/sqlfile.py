"""Migrations keep their SQL in core/migrations/sql/, written out in full."""

from pathlib import Path

from alembic import op

SQL_DIR = Path(__file__).parent / "sql"


def run_sql(name: str) -> None:
    """Executes one SQL file as a single statement batch (DO blocks and functions included)."""
    # straight to psycopg without parameters, so '%' in format() calls is not taken for a placeholder
    op.get_bind().connection.driver_connection.execute((SQL_DIR / name).read_text())
