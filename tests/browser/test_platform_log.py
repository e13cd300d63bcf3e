"""Issue 12, finding 8 in a real browser: a failed sign-in for an email that is no user's reaches the platform
log the operator reads on the audit page; a tenant's admin has no such section."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_sessions import submit_sign_in, visitor
from tests.browser.ui import assert_clean, grid_rows, open_page, screenshot

pytestmark = pytest.mark.xdist_group("browser")

SECTION = "Platform: failed sign-ins for unknown emails"


def test_the_operator_reads_failed_sign_ins_for_unknown_emails(browser, app, open_as):
    stranger = visitor(browser)
    stranger.goto(app.url)
    submit_sign_in(stranger, "intruder@nowhere.example", "guess")
    expect(stranger.get_by_text("Wrong email or password.")).to_be_visible()
    stranger.context.close()

    operator = open_as("operator@ordersight.demo")
    open_page(operator, "Audit log")
    operator.get_by_text(SECTION).click()
    expect(operator.get_by_text("Newest first", exact=False)).to_be_visible()
    [row] = [r for r in grid_rows(operator, 0) if "intruder@nowhere.example" in r]
    assert row[1:] == ["Failed sign-in", "intruder@nowhere.example", "127.0.0.1"]
    assert_clean(operator)
    screenshot(operator, "audit-platform-log-operator")

    admin = open_as("admin@andes.demo")
    open_page(admin, "Audit log")
    expect(admin.get_by_text(SECTION)).to_have_count(0)
