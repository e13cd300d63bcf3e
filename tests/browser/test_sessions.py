"""Sessions in a real browser: the HttpOnly cookie set by the sign-in form keeps the user signed in across F5
and pasted links (page, conversation and filters kept), sign-out ends the session for good, a deactivated or
demoted user loses access on the next rerun, and a page the role may not open says so and is audited.
Plus the HTTP side of services/web.py: cookie flags, the cross-site form refusal and the framing headers."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from services import web
from services.auth import token_hash
from tests.browser import expected as x
from tests.browser.ui import (
    ACTION_TIMEOUT_MS,
    PASSWORD,
    VIEWPORT,
    assert_clean,
    choose,
    nav_titles,
    open_page,
    wait_for_app_run,
)

# one xdist worker runs all of these: they share one Streamlit server and its database
pytestmark = pytest.mark.xdist_group("browser")

ANDES, PAULISTA = "Andes Bebidas", "Empório Paulista Alimentos"
NOT_ALLOWED = "You are not allowed to see this page."


def visitor(browser) -> Page:
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    return context.new_page()


def submit_sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    wait_for_app_run(page)
    page.get_by_role("textbox", name="Email").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    wait_for_app_run(page)


def session_cookie(page: Page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == web.COOKIE)


def ending(engine, cookie: dict) -> tuple:
    """(ended_at is set, end_reason) of the session whose token the cookie holds."""
    return tuple(x.one(engine, "select ended_at is not null, end_reason from user_sessions where token_hash = :h",
                       h=token_hash(cookie["value"])))


def test_f5_keeps_the_page_and_its_filters(open_as):
    page = open_as("manager@andes.demo")
    cookie = session_cookie(page)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"]) == (True, "Lax", False)
    open_page(page, "Orders")
    choose(page, "Period", "Last 7 days")
    url = page.url
    assert "orders_period=7d" in url
    page.reload()
    wait_for_app_run(page)
    expect(page.get_by_role("heading", name="Orders", exact=True).first).to_be_visible()
    assert page.url == url
    expect(page.get_by_role("combobox", name="Period")).to_have_value("Last 7 days")
    assert_clean(page)


@pytest.mark.parametrize("email", ["support@paulista.demo", "admin@paulista.demo"])
def test_a_pasted_conversation_link_survives_sign_in_and_f5(browser, app, browser_db, email):
    t = x.tenant(browser_db.engine, PAULISTA)
    conversation = x.one(browser_db.engine, "select id from conversations where distributor_id = :d"
                                            " order by last_message_at limit 1", d=t.id)[0]  # far down the queue
    page = visitor(browser)
    try:
        page.goto(f"{app.url}/conversations?conversation={conversation}")
        submit_sign_in(page, email)
        expect(page.get_by_role("heading", name="Conversations", exact=True).first).to_be_visible()
        # Conversations is support's first page, which Streamlit shows at "/"
        assert f"conversation={conversation}" in page.url
        picker = page.get_by_role("combobox", name="Open conversation")
        expect(picker).to_have_value(f"#{conversation}")
        page.reload()
        wait_for_app_run(page)
        expect(picker).to_have_value(f"#{conversation}")
        assert_clean(page)
    finally:
        page.context.close()


def test_a_page_the_role_may_not_open_says_so_and_is_audited(open_as, app, browser_db):
    page = open_as("support@paulista.demo")
    before = x.one(browser_db.engine, "select count(*) from security_audit_log where event = 'permission_denied'")[0]
    page.goto(f"{app.url}/orders")
    wait_for_app_run(page)
    expect(page.get_by_text(NOT_ALLOWED)).to_be_visible()
    assert page.get_by_test_id("stMetric").count() == 0
    assert nav_titles(page) == ["Conversations", "Assistant"]
    after = x.one(browser_db.engine, "select count(*) from security_audit_log where event = 'permission_denied'")[0]
    last = x.one(browser_db.engine, "select details->>'permission' from security_audit_log"
                                    " where event = 'permission_denied' order by id desc limit 1")[0]
    assert (after, last) == (before + 1, "view_orders")


def test_sign_out_ends_the_session_for_good(open_as, browser, app, browser_db):
    page = open_as("finance@andes.demo")
    stolen = session_cookie(page)
    assert ending(browser_db.engine, stolen) == (False, None)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    wait_for_app_run(page)
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Email")).to_be_visible()
    assert not [c for c in page.context.cookies() if c["name"] == web.COOKIE]
    assert ending(browser_db.engine, stolen) == (True, "logout")
    # the old cookie, replayed from elsewhere, opens nothing
    other = visitor(browser)
    try:
        other.context.add_cookies([stolen])
        other.goto(f"{app.url}/ai_costs")
        wait_for_app_run(other)
        expect(other.get_by_role("textbox", name="Email")).to_be_visible()
        assert other.get_by_test_id("stMetric").count() == 0
    finally:
        other.context.close()


def test_a_deactivated_user_is_out_on_the_next_rerun(open_as, browser_db):
    email = "support2@paulista.demo"
    page = open_as(email)
    open_page(page, "Conversations")
    cookie = session_cookie(page)
    try:
        with browser_db.engine.begin() as conn:
            conn.exec_driver_sql("update user_profiles set is_active = false where email = %s", (email,))
        open_page_or_form = page.get_by_test_id("stSidebarNavLink").filter(has_text="Assistant")
        open_page_or_form.click()
        wait_for_app_run(page)
        expect(page.get_by_text("Your account was deactivated.")).to_be_visible()
        expect(page.get_by_role("textbox", name="Email")).to_be_visible()
        assert ending(browser_db.engine, cookie) == (True, "revoked")
        assert x.one(browser_db.engine, "select event from security_audit_log order by id desc limit 1")[0] \
            == "session_revoked"
    finally:
        with browser_db.engine.begin() as conn:
            conn.exec_driver_sql("update user_profiles set is_active = true where email = %s", (email,))


def test_a_demoted_user_loses_the_pages_on_the_next_rerun(open_as, browser_db):
    email = "finance@paulista.demo"
    page = open_as(email)
    assert nav_titles(page) == ["AI costs", "Budget alerts"]
    try:
        with browser_db.engine.begin() as conn:
            conn.exec_driver_sql("update user_profiles set role = 'support' where email = %s", (email,))
        page.get_by_test_id("stSidebarNavLink").filter(has_text="Budget alerts").click()
        wait_for_app_run(page)
        expect(page.get_by_text(NOT_ALLOWED)).to_be_visible()
        assert nav_titles(page) == ["Conversations", "Assistant"]
    finally:
        with browser_db.engine.begin() as conn:
            conn.exec_driver_sql("update user_profiles set role = 'finance' where email = %s", (email,))


def _post(url: str, data: dict, headers: dict) -> tuple[int, dict]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers=headers)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as resp:
            return resp.status, dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, {k: v for k, v in exc.headers.items()}


def test_sign_in_post_sets_the_cookie_only_for_this_site(app):
    form = {"email": "manager@andes.demo", "password": PASSWORD, "next": "//evil.example/x"}
    host = urllib.parse.urlsplit(app.url).netloc
    status, _ = _post(app.url + web.SIGN_IN_PATH, form, {"Origin": "https://evil.example"})
    assert status == 403
    status, headers = _post(app.url + web.SIGN_IN_PATH, form,
                            {"Origin": app.url, "X-Forwarded-Proto": "https", "Host": host})
    assert status == 303 and headers["location"] == "/"  # never off-site
    cookie = headers["set-cookie"].lower()
    assert all(flag in cookie for flag in ("httponly", "samesite=lax", "secure", "path=/"))
    status, headers = _post(app.url + web.SIGN_IN_PATH, {**form, "password": "wrong", "next": "/orders?a=1"},
                            {"Origin": app.url})
    assert status == 303 and headers["location"] == "/orders?a=1&signin=invalid"
    assert "set-cookie" not in {k.lower() for k in headers}


def test_every_response_forbids_framing(app):
    for path in ("/", "/_stcore/health"):
        with urllib.request.urlopen(app.url + path, timeout=30) as resp:
            assert resp.headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
