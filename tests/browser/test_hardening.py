"""Security settings as the browser sees them: no table offers Streamlit's own "Download as CSV" (the app's
audited export is the only way out) and an error never shows its details."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.ui import open_page

# one xdist worker runs all of these: they share one Streamlit server and its database
pytestmark = pytest.mark.xdist_group("browser")


def test_tables_offer_no_toolbar_download(open_as):
    page = open_as("support@paulista.demo")  # may not export: the hole the review found
    open_page(page, "Conversations")
    table = page.locator("[data-testid=stDataFrame]:visible").first
    table.scroll_into_view_if_needed()
    table.hover()
    buttons = page.locator("[data-testid=stElementToolbarButton]:visible")
    expect(buttons.first).to_be_visible()  # the hovered table's toolbar is there...
    labels = [b.get_by_role("button").first.get_attribute("aria-label") for b in buttons.all()]
    assert "Search" in labels and "Download as CSV" not in labels  # ...without the download
