"""Every page every demo role may open, in a real browser: signed in through the form, opened from the
sidebar, the key figures on screen equal to what the test computes from the database, no exception, no
error message, and a full-page screenshot per role and page (test-artifacts/screenshots/)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser import expected as x
from tests.browser.ui import (
    assert_clean,
    choose,
    grid_row_count,
    metric,
    nav_titles,
    open_page,
    open_select,
    screenshot,
)

# one xdist worker runs all of these: they share one Streamlit server and its database
pytestmark = pytest.mark.xdist_group("browser")

ANDES, PAULISTA = "Andes Bebidas", "Empório Paulista Alimentos"
ALL_PAGES = ["Orders", "Conversations", "Assistant", "AI costs", "Budget alerts", "Audit log"]
# role -> (demo login, the distributor it looks at, the sidebar it must show); the operator's home is
# Andes and it switches to Paulista first
ROLES = {
    "admin": ("admin@paulista.demo", PAULISTA, ALL_PAGES),
    "manager": ("manager@andes.demo", ANDES, ["Orders", "Conversations", "AI costs"]),
    "support": ("support@paulista.demo", PAULISTA, ["Conversations", "Assistant"]),
    "finance": ("finance@andes.demo", ANDES, ["AI costs", "Budget alerts"]),
    "operator": ("operator@ordersight.demo", PAULISTA, ALL_PAGES),
}
CACHE_TTL_S = 60  # the app's default: a figure may come from a read cached up to this long ago


def check_orders(page: Page, engine, t: x.Tenant) -> None:
    orders, revenue = x.orders(engine, t)
    assert orders > 0  # the demo data covers the default period
    expect(metric(page, "Orders")).to_have_text(x.count(orders))
    expect(metric(page, "Revenue")).to_have_text(x.money(revenue, t.currency))
    expect(page.get_by_text(f"Rows 1–25 of {x.count(orders)}", exact=True)).to_be_visible()
    assert grid_row_count(page) == min(25, orders)


def check_conversations(page: Page, engine, t: x.Tenant) -> None:
    expect(metric(page, "Suggestions waiting")).to_have_text(x.count(x.waiting_suggestions(engine, t)))
    expect(page.get_by_text(x.conversations_caption(x.conversations(engine, t)))).to_be_visible()


def check_assistant(page: Page, engine, t: x.Tenant) -> None:
    latest = x.one(engine, "select m.content from conversations c join messages m on m.distributor_id ="
                           " c.distributor_id and m.conversation_id = c.id and m.direction = 'inbound'"
                           " where c.distributor_id = :d order by c.last_message_at desc, c.id desc,"
                           " m.created_at desc, m.id desc limit 1", d=t.id)[0]
    expect(page.get_by_text("No AI key configured")).to_be_visible()
    shown = page.get_by_test_id("stText").filter(has_text="Customer wrote:").inner_text()
    assert shown.split("\n", 1)[1].strip() == latest.strip()


def check_ai_costs(page: Page, engine, t: x.Tenant) -> None:
    spend, requests = x.ai_spend(engine, t, *t.last_days())
    month, _ = x.ai_spend(engine, t, t.today().replace(day=1), t.today())
    assert requests > 0
    expect(metric(page, "Spend")).to_have_text(x.usd_cents(spend))
    expect(metric(page, "Requests")).to_have_text(x.count(requests))
    expect(metric(page, "Spent this month")).to_have_text(x.usd_cents(month))


def check_budget(page: Page, engine, t: x.Tenant) -> None:
    budget, alerts, open_alerts = x.budget(engine, t)
    month, _ = x.ai_spend(engine, t, t.today().replace(day=1), t.today())
    expect(metric(page, "Spent this month")).to_have_text(x.usd_cents(month))
    expect(metric(page, "Monthly budget")).to_have_text(x.usd_cents(budget) if budget is not None else "—")
    if alerts:
        assert grid_row_count(page, 0) == alerts  # the alerts table, all months and states
    else:
        expect(page.get_by_text("No alerts", exact=True)).to_be_visible()
    if open_alerts:
        open_select(page, "Open alert")
        expect(page.get_by_role("option")).to_have_count(open_alerts)
        page.keyboard.press("Escape")
    else:
        expect(page.get_by_text("No open alert to acknowledge.")).to_be_visible()


def check_audit(page: Page, engine, t: x.Tenant) -> None:
    shown = int(metric(page, "Events").inner_text().replace(",", ""))
    # the figure may come from the cache: it counts the events up to some moment of the last TTL seconds
    assert x.audit_events(engine, t, older_than_s=CACHE_TTL_S + 5) <= shown <= x.audit_events(engine, t)
    expect(page.get_by_text(re.compile(rf"^Rows 1–50 of {x.count(shown)}$"))).to_be_visible()


CHECKS = {"Orders": check_orders, "Conversations": check_conversations, "Assistant": check_assistant,
          "AI costs": check_ai_costs, "Budget alerts": check_budget, "Audit log": check_audit}


def budget_banner(engine, t: x.Tenant) -> tuple[str, ...]:
    """An exceeded budget is shown with st.error on purpose: the only error message allowed."""
    budget, _, _ = x.budget(engine, t)
    month, _ = x.ai_spend(engine, t, t.today().replace(day=1), t.today())
    return ("Exceeded:",) if budget is not None and month >= budget else ()


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_a_role_shows_the_database_figures(role, open_as, browser_db):
    email, distributor, pages = ROLES[role]
    engine = browser_db.engine
    t = x.tenant(engine, distributor)
    page = open_as(email)
    assert nav_titles(page) == pages
    if role == "operator":
        choose(page, "Acting for distributor", PAULISTA)
        expect(page.get_by_test_id("stSidebarUserContent")).to_contain_text(PAULISTA)
    allowed = budget_banner(engine, t)
    for title in pages:
        open_page(page, title)
        assert_clean(page, allowed)
        CHECKS[title](page, engine, t)
        screenshot(page, f"{role}-{title.lower().replace(' ', '-')}")
