"""CSV exports in a real browser: the file the browser downloads holds the rows of the table on screen, and
the full export holds every order (and line) the database has for the period; each export is audited."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser import expected as x
from tests.browser.ui import assert_clean, grid_row_count, grid_rows, open_page, wait_for_app_run

# one xdist worker runs all of these: they share one Streamlit server and its database
pytestmark = pytest.mark.xdist_group("browser")

PAULISTA = "Empório Paulista Alimentos"
EMAIL = "manager@paulista.demo"


def download(page: Page, index: int) -> list[dict[str, str]]:
    """Clicks the index-th "Download CSV" button and returns the downloaded file's rows."""
    button = page.get_by_role("button", name="Download CSV").nth(index)
    expect(button).to_be_enabled()
    # the CSV is built on the server when clicked: a busy machine takes a while
    with page.expect_download(timeout=60_000) as info:
        button.click()
    assert info.value.suggested_filename.endswith(".csv")
    with open(info.value.path(), encoding="utf-8") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read())))
    wait_for_app_run(page)
    return rows


def period_orders(engine, t: x.Tenant) -> list:
    """(order_number, total_cents) of the default period's orders, newest first."""
    start, end = t.last_days()
    return x.rows(engine, "select order_number, total_cents from orders where distributor_id = :d"
                          " and created_at >= cast(:start as timestamp) at time zone :tz"
                          " and created_at < cast(:end as timestamp) at time zone :tz"
                          " order by created_at desc, id desc",
                  d=t.id, tz=t.timezone, start=start, end=end + timedelta(days=1))


def exports(engine, t: x.Tenant) -> list[tuple[str, int]]:
    """(resource, record_count) of the manager's export audit rows, oldest first."""
    return [tuple(r) for r in x.rows(
        engine, "select a.resource, a.record_count from data_access_audit a join user_profiles p"
                " on p.id = a.user_id where a.distributor_id = :d and p.email = :e and a.action = 'export'"
                " order by a.id", d=t.id, e=EMAIL)]


def test_csv_exports_download_the_rows_on_screen_and_every_row_of_the_period(open_as, browser_db):
    engine, t = browser_db.engine, x.tenant(browser_db.engine, PAULISTA)
    orders = period_orders(engine, t)
    lines = x.one(engine, "select count(*) from order_products where distributor_id = :d and order_id in"
                          " (select id from orders where distributor_id = :d and order_number = any(:n))",
                  d=t.id, n=[o.order_number for o in orders])[0]
    assert len(orders) > 25 and lines > len(orders)  # a first page, and more lines than orders
    exported_before = exports(engine, t)
    page = open_as(EMAIL)
    open_page(page, "Orders")
    # nothing downloadable is published before the click: a /media URL sent with the page could be fetched
    # without any audit row (what the server sends over a fresh websocket, after F5)
    frames: list[bytes] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(
        f if isinstance(f, bytes) else f.encode())))
    page.reload()
    wait_for_app_run(page)
    assert frames and not [f for f in frames if re.search(rb"/media/[^\s\"']*\.csv", f)]

    # the table's own button: the page on screen, as shown
    on_screen = grid_rows(page)  # the rows drawn: the first screenful
    assert grid_row_count(page) == 25 and len(on_screen) >= 5
    rows = download(page, 0)
    assert len(rows) == 25
    assert [r["order_number"] for r in rows[:len(on_screen)]] == [r[0] for r in on_screen]
    assert {r["order_number"] for r in rows} == {o.order_number for o in orders[:25]}
    assert sum(round(float(r["total"]) * 100) for r in rows) == sum(o.total_cents for o in orders[:25])

    # the full export: every order of the period, and every line of those orders
    page.get_by_text("Export all filtered orders and their line items").click()
    page.get_by_text("Load the export").click()
    expect(page.get_by_role("button", name="Download CSV")).to_have_count(3)
    wait_for_app_run(page)
    everything = download(page, 1)
    assert sorted(r["order_number"] for r in everything) == sorted(o.order_number for o in orders)
    assert sum(int(r["total_cents"]) for r in everything) == sum(o.total_cents for o in orders)
    assert len(download(page, 2)) == lines
    assert_clean(page)

    assert exports(engine, t)[len(exported_before):] == [
        ("orders", 25), ("orders", len(orders)), ("order_lines", lines)]
