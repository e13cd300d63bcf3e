"""Browser tests: one `streamlit run app.py` on a free localhost port against its own small demo database,
one headless Chromium (Debian's /usr/bin/chromium), a fresh browser context per signed-in user.

Skipped when Chromium is missing, unless REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.
The database is `ordersight_browser` on the test server (tests/conftest.py picked it: the embedded one
under ORDERSIGHT_TEST_DATA_DIR, or ORDERSIGHT_TEST_DATABASE_URL), never the demo database."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url

from core import db
from core.config import get_settings
from tests.browser.server import AppServer, start_app, stop_app
from tests.browser.ui import ACTION_TIMEOUT_MS, CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, VIEWPORT, sign_in

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
ARTIFACTS = ROOT / "test-artifacts"
BROWSER_DB = "ordersight_browser"
# Small on purpose: the suite's budget is a few minutes on two cores
DEMO_SIZE = {"tenants": 2, "orders_per_tenant": 300, "days": 60, "seed": 20261125}


def pytest_collection_modifyitems(config, items):
    """Skips the browser tests when Chromium is missing and REQUIRE_BROWSER is not set."""
    if CHROMIUM.exists() or os.environ.get("REQUIRE_BROWSER") == "1":
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} missing (apt-get install chromium); REQUIRE_BROWSER=1 fails")
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@dataclass(frozen=True)
class BrowserDb:
    engine: Engine  # owner connection: the tests read expected figures with it, bypassing RLS
    env: dict[str, str]  # what the app server needs to reach this database


def _recreate(admin_url: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{BROWSER_DB}" WITH (FORCE)')
            conn.exec_driver_sql(f'CREATE DATABASE "{BROWSER_DB}"')
    finally:
        admin.dispose()


@pytest.fixture(scope="package")
def browser_db() -> Iterator[BrowserDb]:
    """A fresh `ordersight_browser` database, migrated and loaded with a small demo dataset."""
    import demo

    get_settings.cache_clear()
    settings = get_settings()
    if settings.database_url:
        test_url = db.database_url()
        _recreate(test_url)
        url = make_url(test_url).set(database=BROWSER_DB).render_as_string(hide_password=False)
        env = {"DATABASE_URL": url}
    else:
        _recreate(db.embedded_url(Path(settings.data_dir), "postgres"))
        url = db.embedded_url(Path(settings.data_dir), BROWSER_DB)
        env = {"ORDERSIGHT_DATA_DIR": str(settings.data_dir), "ORDERSIGHT_DATABASE_NAME": BROWSER_DB}
    engine = create_engine(url)
    db.migrate(engine)
    demo.generate_and_load(engine, **DEMO_SIZE)
    yield BrowserDb(engine, env)
    engine.dispose()


@pytest.fixture(scope="package")
def app(browser_db: BrowserDb) -> Iterator[AppServer]:
    """The app server for the whole browser package; its log is kept in test-artifacts/."""
    server = start_app(browser_db.env, ARTIFACTS / "streamlit-browser.log")
    yield server
    stop_app(server)


@pytest.fixture(scope="package")
def browser():
    """One headless Chromium for the package (closed before other packages run, so no Playwright event
    loop lingers under the AppTest-based tests)."""
    if not CHROMIUM.exists():
        pytest.fail(f"REQUIRE_BROWSER=1 but {CHROMIUM} is missing: install Debian's package "
                    "(apt-get install chromium); .ci/run does it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_as(browser, app: AppServer, request) -> Iterator[Callable]:
    """open_as(email) -> a Page signed in as `email` in its own browser context (own cookies and session).
    When the test fails, each page's screen is kept as test-artifacts/screenshots/FAILED-<test>-<n>.png."""
    contexts = []

    def open_session(email: str):
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, app.url, email)
        return page

    yield open_session
    report = getattr(request.node, "report_call", None)
    for n, context in enumerate(contexts):
        if report is not None and report.failed:
            name = re.sub(r"\W+", "_", request.node.name)
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            for page in context.pages:
                page.screenshot(path=str(SCREENSHOTS / f"FAILED-{name}-{n}.png"), full_page=True)
        context.close()


@pytest.fixture(autouse=True)
def _no_server_traceback(request):
    """Fails a browser test whose run left a traceback in the server log: an error the page caught and
    showed politely is still a bug when the database is up."""
    if "app" not in request.fixturenames:
        yield
        return
    server: AppServer = request.getfixturevalue("app")
    before = len(server.log_text())
    yield
    new = server.log_text()[before:]
    assert "Traceback" not in new, new[-4000:]

