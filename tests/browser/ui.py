"""Driving the app in Chromium: launch flags, waiting for a Streamlit run to finish, signing in, opening a
page from the sidebar, the "nothing broke" checks and screenshots. Shared by the browser tests and
bench/load.py."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no network: without the background-networking flags Chromium keeps retrying refused
# connections (updates, sync, QUIC probes) and slows everything down.
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PASSWORD = "demo1234"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORT = {"width": 1440, "height": 1000}
# A busy machine (CI next to other jobs) can take many seconds per rerun: the tests wait for the app at its
# pace (actions and navigation up to ACTION_TIMEOUT_MS, assertions up to 30 s), they never sleep.
ACTION_TIMEOUT_MS = 60_000
expect.set_options(timeout=30_000)

# Attributes Streamlit's frontend sets on the app root (checked on 1.67's bundle): the websocket state
# goes to CONNECTED, the script state goes initial -> running -> notRunning for every run.
_CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
_NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_for_app_run(page: Page, *, timeout_ms: int = 30_000, settle_ms: int = 150) -> None:
    """Waits the way Streamlit's own e2e suite does: connected, script not running, no skeletons left.

    The short first pause lets a click reach the server, so a run that has not started yet is not
    mistaken for one that finished."""
    page.wait_for_timeout(settle_ms)
    page.locator(_CONNECTED).wait_for(state="attached", timeout=timeout_ms)
    page.locator(_NOT_RUNNING).wait_for(state="attached", timeout=timeout_ms)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)
    expect(page.get_by_test_id("stSpinner")).to_have_count(0, timeout=timeout_ms)


def sign_in(page: Page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Opens the app, fills the sign-in form and waits until the sidebar navigation is there."""
    page.goto(base_url + "/")
    wait_for_app_run(page)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    wait_for_app_run(page)


def nav_titles(page: Page) -> list[str]:
    """The page titles of the sidebar navigation, in order."""
    links = page.get_by_test_id("stSidebarNavLink")
    return [re.sub(r"^\w+\n", "", t).strip() for t in links.all_inner_texts()]


def open_page(page: Page, title: str) -> None:
    """Clicks the sidebar link `title` and waits for the page's run to finish."""
    page.get_by_test_id("stSidebarNavLink").filter(has_text=re.compile(rf"^\W*\w*\s*{re.escape(title)}$")).click()
    expect(page.get_by_role("heading", name=title, exact=True).first).to_be_visible(timeout=30_000)
    wait_for_app_run(page)


def open_select(page: Page, label: str, testid: str = "stSelectbox") -> None:
    """Opens the option list of the select widget labelled `label`.

    The widget is scrolled into view first: the list closes when the page scrolls, and Playwright's own
    scroll-before-click would close it right after it opened."""
    box = page.get_by_test_id(testid).filter(has_text=label)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(200)
    box.get_by_role("combobox").click()
    expect(page.get_by_role("option").first).to_be_visible()


def choose(page: Page, label: str, option: str, *, typed: str | None = None) -> None:
    """Picks `option` in the st.selectbox labelled `label` (typing `typed` first to filter a long list)
    and waits for the rerun."""
    open_select(page, label)
    if typed:
        page.keyboard.type(typed)
    page.get_by_role("option", name=option, exact=True).click()
    wait_for_app_run(page)


def grid_row_count(page: Page, index: int = 0) -> int:
    """Data rows of the index-th st.dataframe (its accessible grid counts the header row too)."""
    grid = page.get_by_test_id("stDataFrame").nth(index).locator("table[role=grid]")
    return int(grid.get_attribute("aria-rowcount")) - 1


def grid_rows(page: Page, index: int = 0) -> list[list[str]]:
    """The cell texts of the index-th dataframe's rows, from the accessible grid Streamlit's dataframe
    keeps beside its canvas: only the rows drawn, so the first screenful of a long table."""
    grid = page.get_by_test_id("stDataFrame").nth(index).locator("table[role=grid] tbody tr")
    # the grid is drawn a moment after the script finishes; callers expect a non-empty table
    grid.first.wait_for(state="attached", timeout=15_000)
    return [row.locator("td").all_inner_texts() for row in grid.all()]


def metric(page: Page, label: str) -> Locator:
    """The value of the st.metric labelled `label`."""
    box = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(rf"^{re.escape(label)}$")))
    return box.get_by_test_id("stMetricValue")


def error_texts(page: Page) -> list[str]:
    """Texts of every st.error shown."""
    return page.locator("[data-testid='stAlertContentError']").all_inner_texts()


def assert_clean(page: Page, allowed_errors: tuple[str, ...] = ()) -> None:
    """No exception element, and no st.error except those containing one of `allowed_errors`."""
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").all_inner_texts()
    unexpected = [t for t in error_texts(page) if not any(a in t for a in allowed_errors)]
    assert unexpected == []


def screenshot(page: Page, name: str) -> Path:
    """Saves a full-page screenshot as test-artifacts/screenshots/<name>.png and returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    # Streamlit scrolls inside its main element, so a "full page" shot would stop at the viewport: the
    # viewport grows to the content's height for the shot instead
    size = page.viewport_size or VIEWPORT
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height)})
    try:
        page.wait_for_timeout(300)  # charts re-fit to the new layout
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(size)
    return path
