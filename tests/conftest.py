"""Test database: a real PostgreSQL, never the demo one.

By default an embedded server under .ordersight/test (its own data directory); set
ORDERSIGHT_TEST_DATABASE_URL to use another server. The database is dropped, recreated and migrated
once per test run; `clean_db` empties it between tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# one database per pytest-xdist worker, so workers never drop each other's data
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_DB = f"ordersight_test_{_WORKER}" if _WORKER else "ordersight_test"

# Must happen before core.config is read anywhere: tests never touch the demo database.
os.environ.pop("DATABASE_URL", None)
os.environ.pop("OPENAI_API_KEY", None)
os.environ["ORDERSIGHT_DATA_DIR"] = os.environ.get("ORDERSIGHT_TEST_DATA_DIR", str(ROOT / ".ordersight" / "test"))
os.environ["ORDERSIGHT_DATABASE_NAME"] = TEST_DB
if os.environ.get("ORDERSIGHT_TEST_DATABASE_URL"):
    os.environ["DATABASE_URL"] = os.environ["ORDERSIGHT_TEST_DATABASE_URL"]

from sqlalchemy import text  # noqa: E402

from core import db  # noqa: E402
from core.config import get_settings  # noqa: E402


def _recreate_embedded_database() -> None:
    admin_url = db.embedded_url(Path(get_settings().data_dir), "postgres")
    from sqlalchemy import create_engine

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{TEST_DB}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{TEST_DB}"')
        # a throw-away database needs no durable commits; this roughly halves the suite's time
        conn.exec_driver_sql(f'ALTER DATABASE "{TEST_DB}" SET synchronous_commit = off')
    admin.dispose()


@pytest.fixture(scope="session")
def engine():
    """A freshly migrated, empty test database (owner connection: seeding bypasses RLS)."""
    get_settings.cache_clear()
    if not get_settings().database_url:
        _recreate_embedded_database()
    eng = db.get_engine()
    if get_settings().database_url:
        with eng.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            conn.exec_driver_sql("DROP TABLE IF EXISTS auth.users CASCADE")
    db.migrate(eng)
    yield eng
    db.dispose_engines()


def tenant_tables(conn) -> list[str]:
    """Every public table with a distributor_id column, read from the catalog."""
    return list(conn.execute(text(
        "select c.table_name from information_schema.columns c "
        "join information_schema.tables t using (table_schema, table_name) "
        "where c.table_schema = 'public' and c.column_name = 'distributor_id' and t.table_type = 'BASE TABLE' "
        "order by 1"
    )).scalars())


@pytest.fixture
def clean_db(engine):
    """The migrated test database, emptied of all tenant data and users before the test."""
    with engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE distributors, auth.users, auth_login_attempts, platform_security_log CASCADE")
    yield engine


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches():
    """Cached query results must not leak between tests (AppTest shares the process-wide cache)."""
    yield
    import streamlit as st

    st.cache_data.clear()



@pytest.fixture
def downloads(monkeypatch) -> dict:
    """Button key -> the file its click would download (AppTest cannot run Streamlit's deferred downloads):
    calling it does what the click does, audit row included."""
    from components import tables

    files: dict = {}
    real = tables.export_file

    def record(button_key, df, on_export):
        files[button_key] = real(button_key, df, on_export)
        return files[button_key]

    monkeypatch.setattr(tables, "export_file", record)
    return files
