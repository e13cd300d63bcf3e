"""A support agent reviews the suggestions of one conversation in a real browser: a decision keeps the
conversation open and what was typed in it (the picker's label changing with the waiting count once reset
it, in the browser only), a keyboard shortcut decides, and F5 keeps the conversation open (it lives in
the URL)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser import expected as x
from tests.browser.ui import assert_clean, choose, open_page, screenshot, wait_for_app_run

pytestmark = pytest.mark.xdist_group("browser")

ANDES = "Andes Bebidas"
APPROVE = re.compile(r"^Approve\b")  # the first suggestion's button shows its shortcut too
WAITING_TOGGLE = "Only conversations with AI suggestions waiting for review"


def two_waiting_with_a_reply_second(engine, t: x.Tenant) -> tuple[int, str, list[tuple[int, str]]]:
    """(conversation, its picker label, its two pending suggestions (id, kind) in thread order) of a
    conversation on the first page of the waiting queue of the default period whose second pending
    suggestion is a reply."""
    t0, _ = t.last_days()
    rows = x.rows(engine, """
        select m.conversation_id, r.id, r.kind, cu.name
        from ai_responses r
        join messages m on m.distributor_id = r.distributor_id and m.id = r.message_id
        join conversations c on c.distributor_id = m.distributor_id and c.id = m.conversation_id
        join customers cu on cu.distributor_id = c.distributor_id and cu.id = c.customer_id
        where r.distributor_id = :d and r.status = 'pending'
          and c.last_message_at >= cast(:t0 as timestamp) at time zone :tz
        order by c.last_message_at desc, c.id desc, m.created_at, m.id, r.created_at, r.id""",
                  d=t.id, t0=t0, tz=t.timezone)
    waiting: dict[int, list[tuple[int, str]]] = {}
    names = {}
    for conversation, rid, kind, name in rows:
        waiting.setdefault(conversation, []).append((rid, kind))
        names[conversation] = name
    first_page = list(waiting.items())[:25]
    c, s = next((c, s) for c, s in first_page if len(s) == 2 and s[1][1] == "reply")
    return c, f"#{c} · {names[c]}", s


def test_an_edit_after_a_decision_is_saved_and_the_conversation_stays_open(open_as, browser_db):
    engine, t = browser_db.engine, x.tenant(browser_db.engine, ANDES)
    conversation, label, [(first, _), (second, _)] = two_waiting_with_a_reply_second(engine, t)
    page = open_as("support@andes.demo")
    open_page(page, "Conversations")
    page.get_by_text(WAITING_TOGGLE).click()
    wait_for_app_run(page)
    choose(page, "Open conversation", label, typed=f"#{conversation} ")
    heading = page.get_by_role("heading", name=re.compile(rf"^#{conversation} · "))
    expect(heading).to_be_visible()
    expect(page.get_by_role("button", name=APPROVE)).to_have_count(2)

    page.get_by_role("heading", name="Queue").click()  # focus on the page, in no field
    page.keyboard.press("Alt+A")  # the shortcut approves the first suggestion waiting
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Approved.")).to_be_visible()
    wait_for_app_run(page)
    expect(page.get_by_role("button", name=APPROVE)).to_have_count(1)
    screenshot(page, "support-conversation-thread")

    edit = "Edited by the journey: we deliver tomorrow morning."
    box = page.get_by_role("textbox", name="Edited reply")
    box.fill(edit)
    box.blur()
    wait_for_app_run(page)
    page.get_by_role("button", name="Save edit").click()
    expect(page.get_by_test_id("stAlertContentSuccess").filter(has_text="Saved your edited reply.")).to_be_visible()
    wait_for_app_run(page)
    expect(heading).to_be_visible()
    rows = x.rows(engine, "select id, status, final_content from ai_responses where id in (:a, :b) order by id",
                  a=first, b=second)
    assert {(r.id, r.status) for r in rows} == {(first, "approved"), (second, "edited")}
    assert [r.final_content for r in rows if r.id == second] == [edit]
    assert_clean(page)

    # F5: the conversation is in the URL
    assert f"conversation={conversation}" in page.url
    page.reload()
    wait_for_app_run(page)
    expect(heading).to_be_visible()
    assert_clean(page)
