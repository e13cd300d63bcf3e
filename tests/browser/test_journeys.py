"""A working day at Andes Bebidas in a real browser: support approves an AI suggestion and the queue
shrinks; support drafts an order with the offline drafter from a customer's message, corrects a line and
confirms it, and the manager, whose orders page was already open, finds it; finance acknowledges a budget
alert; the admin finds every one of those actions in the audit log.

The tests run in this order and the last one reads what the others did (`DONE`)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from queries import assistant as assistant_queries
from sections.assistant_context import conversation_label
from tests.browser import expected as x
from tests.browser.ui import (
    assert_clean,
    choose,
    click_row,
    grid_rows,
    metric,
    open_page,
    screenshot,
    wait_for_app_run,
)

# one xdist worker runs all of these: they share one Streamlit server and its database
pytestmark = pytest.mark.xdist_group("browser")

ANDES = "Andes Bebidas"
WAITING_TOGGLE = "Only conversations with AI suggestions waiting for review"
DONE: dict[str, dict] = {}  # journey -> what it did, for the audit journey


def user_id(engine, email: str) -> str:
    return str(x.one(engine, "select id from user_profiles where email = :e", e=email)[0])


def waiting_conversations(engine, t: x.Tenant) -> list[tuple[int, int]]:
    """(conversation id, pending suggestions) of the conversations with some and activity in the default
    period, in queue order."""
    t0, _ = t.last_days()
    return [tuple(r) for r in x.rows(
        engine, "select c.id, count(*) from conversations c"
                " join messages m on m.distributor_id = c.distributor_id and m.conversation_id = c.id"
                " join ai_responses r on r.distributor_id = m.distributor_id and r.message_id = m.id"
                " where c.distributor_id = :d and r.status = 'pending'"
                " and c.last_message_at >= cast(:t0 as timestamp) at time zone :tz"
                " group by c.id, c.last_message_at order by c.last_message_at desc, c.id desc",
        d=t.id, t0=t0, tz=t.timezone)]


def test_support_approves_a_suggestion_and_sees_the_queue_shrink(open_as, browser_db):
    engine, t = browser_db.engine, x.tenant(browser_db.engine, ANDES)
    waiting, queue = x.waiting_suggestions(engine, t), waiting_conversations(engine, t)
    # one of the first rows of the filtered queue (drawn without scrolling the table), preferring one with
    # a single suggestion waiting (it then leaves the filtered queue)
    conversation, pending = min(queue[:6], key=lambda c: c[1] != 1)
    # the first Approve button on the page: the thread lists messages by (time, id), each followed by its
    # suggestions by (time, id), so the lowest response id is not necessarily the first one shown
    response_id = x.one(engine, "select r.id from ai_responses r join messages m on m.distributor_id ="
                                " r.distributor_id and m.id = r.message_id where m.conversation_id = :c"
                                " and r.status = 'pending' order by m.created_at, m.id, r.created_at, r.id"
                                " limit 1", c=conversation)[0]
    page = open_as("support@andes.demo")
    open_page(page, "Conversations")
    expect(metric(page, "Suggestions waiting")).to_have_text(x.count(waiting))
    page.get_by_text(WAITING_TOGGLE).click()
    wait_for_app_run(page)
    expect(page.get_by_text(x.conversations_caption(len(queue)))).to_be_visible()

    click_row(page, "Last message", queue.index((conversation, pending)))  # a row click opens the conversation
    expect(page.get_by_role("heading", name=re.compile(rf"^#{conversation} · "))).to_be_visible()
    approve = page.get_by_role("button", name=re.compile(r"^Approve\b"))  # the first one shows its shortcut
    expect(approve).to_have_count(pending)
    approve.first.click()

    expect(metric(page, "Suggestions waiting")).to_have_text(x.count(waiting - 1))
    left = len(queue) - (pending == 1)
    expect(page.get_by_text(x.conversations_caption(left))).to_be_visible()
    wait_for_app_run(page)
    assert_clean(page)
    row = x.one(engine, "select status, reviewed_by from ai_responses where id = :r", r=response_id)
    assert (row.status, str(row.reviewed_by)) == ("approved", user_id(engine, "support@andes.demo"))
    DONE["approve"] = {"response_id": response_id}


def draft_editor(page: Page):
    """The order draft's data editor (the dataframe whose first column is "Customer wrote")."""
    return page.get_by_test_id("stDataFrame").filter(has=page.locator("th", has_text="Customer wrote"))


def editor_rows(page: Page) -> list[list[str]]:
    """The order draft's lines as the data editor shows them (Customer wrote, Quantity, Product, ...)."""
    rows = draft_editor(page).locator("table[role=grid] tbody tr")
    expect(rows.first).to_be_attached()  # the grid fills its accessible table just after drawing
    return [r.locator("td").all_inner_texts() for r in rows.all()]


def visible_columns(page: Page) -> list[str]:
    """The order draft's column headers in view without scrolling sideways (the grid's accessible table
    holds only the columns it draws)."""
    return draft_editor(page).locator("table[role=grid] thead th").all_inner_texts()


def set_first_quantity(page: Page, quantity: int) -> None:
    """Types `quantity` into the first line's Quantity cell, as a person does: a click selects the first
    cell of the canvas, a step right reaches Quantity, Enter opens the cell editor, Enter commits it."""
    cell = draft_editor(page).locator("table[role=grid] tbody tr").first.locator("td").nth(1)
    canvas = draft_editor(page).locator("canvas").first
    for _ in range(10):  # the layout may still be settling (the customer's context loads beside it, a rerun)
        wait_for_app_run(page)
        canvas.scroll_into_view_if_needed()  # mouse clicks only land inside the viewport
        page.wait_for_timeout(200)
        box = canvas.bounding_box()
        page.mouse.click(box["x"] + 20, box["y"] + 35 + 17)  # header row and first data row are 35 px high
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(150)
        if cell.get_attribute("aria-selected") == "true":
            break
    expect(cell).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    entry = page.locator("#portal input.gdg-input")  # the grid's cell editor overlay
    expect(entry).to_be_focused()
    entry.fill(str(quantity))
    entry.press("Enter")
    expect(cell).to_have_text(str(quantity))
    wait_for_app_run(page)


def order_message(engine, t: x.Tenant) -> tuple[int, str, str]:
    """(conversation id, picker label, message) of the first conversation the Assistant's picker offers whose
    last customer message an AI order with at least two lines came from. The choices come from the page's
    own query and label, so what the test looks for is what the page was given, on any date."""
    with engine.connect() as conn:
        choices = assistant_queries.conversation_choices(conn, t.id)
        sources = set(conn.execute(text(
            "select o.ai_source_message_id from orders o where o.distributor_id = :d"
            " and (select count(*) from order_products p where p.order_id = o.id) >= 2"), {"d": t.id}).scalars())
    row = next(r for r in choices.itertuples() if r.message_id in sources)
    return int(row.id), conversation_label(row, t.timezone), row.last_inbound


def test_support_drafts_corrects_and_confirms_an_order_the_manager_then_finds(open_as, browser_db):
    engine, t = browser_db.engine, x.tenant(browser_db.engine, ANDES)
    # the manager's dashboard is open before the order exists (its reads are cached for a minute)
    manager = open_as("manager@andes.demo")
    before, _ = x.orders(engine, t)
    expect(metric(manager, "Orders")).to_have_text(x.count(before))

    conversation, label, message = order_message(engine, t)
    page = open_as("support@andes.demo")
    open_page(page, "Assistant")
    # one customer can have dozens of conversations whose labels read alike: the id narrows the list to one
    choose(page, "Conversation", label, typed=f"#{conversation} ")
    expect(page.get_by_test_id("stText").filter(has_text="Customer wrote:")).to_contain_text(message.split("\n")[0])
    page.get_by_role("tab", name="Order").click()
    page.get_by_role("button", name="Draft order").click()
    wait_for_app_run(page)
    expect(page.get_by_text("Drafted by the offline drafter.", exact=False)).to_be_visible()
    drafted = editor_rows(page)
    assert len(drafted) >= 2
    screenshot(page, "assistant-order-draft")
    # issue 14: unit price and line total sat off-screen to the right of the line editor at 1440 px
    assert {"Quantity", "Product", "Unit price", "Line total"} <= set(visible_columns(page))
    corrected = int(Decimal(drafted[0][1])) + 3
    set_first_quantity(page, corrected)

    page.get_by_role("button", name="Confirm order").click()
    created = page.get_by_test_id("stAlertContentSuccess").filter(has_text=re.compile(r"^Order \S+ created\.$"))
    expect(created).to_be_visible()
    number = re.match(r"Order (\S+) created\.", created.inner_text()).group(1)
    assert_clean(page)
    order = x.one(engine, "select id, source, drafted_by, total_cents, created_by from orders where distributor_id = :d"
                          " and order_number = :n", d=t.id, n=number)
    lines = x.rows(engine, "select p.quantity, p.unit_price_cents, p.line_total_cents, pr.price_cents"
                           " from order_products p left join products pr on pr.id = p.product_id"
                           " where p.order_id = :o order by p.id", o=order.id)
    # the offline drafter's order is the agent's (issue 14: it was counted as the AI's)
    assert (order.source, order.drafted_by, str(order.created_by)) == (
        "manual", "offline_drafter", user_id(engine, "support@andes.demo"))
    assert lines[0].quantity == corrected
    assert all(ln.unit_price_cents == ln.price_cents for ln in lines)  # catalog prices
    assert all(ln.line_total_cents == round(ln.quantity * ln.unit_price_cents) for ln in lines)
    assert order.total_cents == sum(ln.line_total_cents for ln in lines)
    expect(metric(page, "Order total")).to_have_text(f"{t.currency} {Decimal(order.total_cents) / 100:,.2f}")
    DONE["create"] = {"order_number": number}

    # the manager's next interaction shows it: counted, and first in the newest-first table
    open_page(manager, "Conversations")
    open_page(manager, "Orders")
    expect(metric(manager, "Orders")).to_have_text(x.count(before + 1))
    assert grid_rows(manager)[0][0] == number
    choose(manager, "Order number", number, typed=number)
    expect(manager.get_by_role("heading", name=f"Order {number}")).to_be_visible()
    assert_clean(manager)


def test_finance_acknowledges_an_alert(open_as, browser_db):
    engine, t = browser_db.engine, x.tenant(browser_db.engine, ANDES)
    _, alerts, open_alerts = x.budget(engine, t)
    assert open_alerts >= 1
    page = open_as("finance@andes.demo")
    open_page(page, "Budget alerts")
    box = page.get_by_test_id("stSelectbox").filter(has_text="Open alert")
    picked = box.get_by_role("combobox").input_value()  # the alert picked by default
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_test_id("stAlertContentSuccess")).to_have_text("Alert acknowledged.")
    wait_for_app_run(page)
    assert_clean(page, ("Exceeded:",))
    assert x.budget(engine, t)[1:] == (alerts, open_alerts - 1)
    row = x.one(engine, "select id, threshold_pct from ai_budget_alerts where distributor_id = :d"
                        " and acknowledged_by = :u and acknowledged_at > app_now() - interval '2 minutes'",
                  d=t.id, u=user_id(engine, "finance@andes.demo"))
    assert f"— {row.threshold_pct}%" in picked
    if open_alerts == 1:
        expect(page.get_by_text("No open alert to acknowledge.")).to_be_visible()
    DONE["acknowledge"] = {"alert_id": row.id}


def test_admin_finds_those_actions_in_the_audit_log(open_as, browser_db):
    missing = {"approve", "create", "acknowledge"} - set(DONE)
    if missing:
        pytest.fail(f"the journeys before this one did not complete: {sorted(missing)}")
    engine, t = browser_db.engine, x.tenant(browser_db.engine, ANDES)
    page = open_as("admin@andes.demo")
    open_page(page, "Audit log")
    picker = page.get_by_test_id("stMultiSelect").filter(has_text="Action / event")
    for action in ("approve", "create", "acknowledge"):
        picker.click()
        page.get_by_role("option", name=action, exact=True).click()
        wait_for_app_run(page)
    page.keyboard.press("Escape")
    expected_events = x.audit_events(engine, t, actions=("approve", "create", "acknowledge"))
    expect(metric(page, "Events")).to_have_text(x.count(expected_events))
    wanted = {
        (x.user_label(engine, "support@andes.demo"), "approve", "ai_responses"),
        (x.user_label(engine, "support@andes.demo"), "create", "orders"),
        (x.user_label(engine, "finance@andes.demo"), "acknowledge", "ai_budget_alerts"),
    }
    # the grid redraws a moment after the run that filtered it: read it until it shows the last filter
    for _ in range(20):
        rows = grid_rows(page)
        if wanted <= {(r[2], r[3], r[4]) for r in rows}:
            break
        page.wait_for_timeout(250)
    assert wanted <= {(r[2], r[3], r[4]) for r in rows}
    details = " ".join(r[6] for r in rows)
    assert DONE["create"]["order_number"] in details
    assert str(DONE["approve"]["response_id"]) in details
    assert_clean(page)
