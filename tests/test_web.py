"""services/web.py's sign-in and sign-out posts on a real database, called as ASGI (no server, no browser): the
cookie and its flags, where the visitor is sent back to and why, the cross-site refusal, and the headers."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from services import auth, web
from tests import factories as f

SITE = "http://console.test"


async def _hello(_request):
    return PlainTextResponse("hello")


APP = Starlette(routes=[*web.ROUTES, Route("/", _hello)], middleware=[Middleware(web.SecurityHeaders)])


def call(method: str, path: str, form: dict | None = None, headers: dict | None = None) -> tuple[int, dict, list]:
    """Returns (status, headers, set-cookie values) of one request to APP."""
    body = urlencode(form or {}).encode()
    sent = {"host": "console.test", "content-type": "application/x-www-form-urlencoded", **(headers or {})}
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
             "scheme": "http", "server": ("console.test", 80), "client": ("203.0.113.9", 5000),
             "headers": [(k.lower().encode(), v.encode()) for k, v in sent.items()], "http_version": "1.1",
             "root_path": ""}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    out: list[dict] = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        out.append(message)

    asyncio.run(APP(scope, receive, send))
    start = next(m for m in out if m["type"] == "http.response.start")
    pairs = [(k.decode().lower(), v.decode()) for k, v in start["headers"]]
    return start["status"], dict(pairs), [v for k, v in pairs if k == "set-cookie"]


@pytest.fixture
def fresh(clean_db):
    with clean_db.begin() as conn:
        conn.exec_driver_sql("TRUNCATE auth_login_attempts")
        d = f.distributor(conn, "Acme Drinks")
        f.user(conn, d, "manager", email="manager@acme.test")
        f.user(conn, d, "support", email="gone@acme.test", active=False)
    return clean_db


def sign_in(email="manager@acme.test", password=f.PASSWORD, next_="/orders?orders_period=7d", **headers):
    return call("POST", web.SIGN_IN_PATH, {"email": email, "password": password, "next": next_},
                {"origin": SITE, **headers})


def test_sign_in_sets_an_httponly_lax_cookie_holding_the_session_token(fresh):
    status, headers, cookies = sign_in()
    assert (status, headers["location"]) == (303, "/orders?orders_period=7d")
    cookie = SimpleCookie(cookies[0])[web.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "lax" and cookie["path"] == "/"
    assert not cookie["secure"]  # plain http (local): a Secure cookie would never come back
    assert int(cookie["max-age"]) == 12 * 3600
    assert auth.resolve_session(cookie.value).user.email == "manager@acme.test"


def test_the_cookie_is_secure_behind_an_https_proxy(fresh):
    _, _, cookies = sign_in(**{"x-forwarded-proto": "https"})
    assert SimpleCookie(cookies[0])[web.COOKIE]["secure"]


@pytest.mark.parametrize("email, password, code", [("manager@acme.test", "wrong", "invalid"),
                                                   ("nobody@acme.test", "wrong", "invalid"),
                                                   ("gone@acme.test", f.PASSWORD, "inactive")])
def test_a_refused_sign_in_goes_back_to_the_form_with_the_reason_and_no_cookie(fresh, email, password, code):
    status, headers, cookies = sign_in(email, password)
    assert (status, headers["location"], cookies) == (303, f"/orders?orders_period=7d&signin={code}", [])
    assert password not in headers["location"]


def test_the_lock_is_reported(fresh):
    for _ in range(5):
        sign_in(password="wrong")
    assert sign_in()[1]["location"].endswith("signin=locked")


@pytest.mark.parametrize("target", ["//evil.test/x", "https://evil.test/", "/\\evil.test", "", "orders"])
def test_it_never_sends_anyone_off_site(fresh, target):
    assert sign_in(next_=target)[1]["location"] == "/"


@pytest.mark.parametrize("headers", [{"origin": "https://evil.test"}, {"origin": "null"},
                                     {"referer": "https://evil.test/page"}, {}])
def test_a_cross_site_post_is_refused(fresh, headers):
    for path in (web.SIGN_IN_PATH, web.SIGN_OUT_PATH):
        status, _, cookies = call("POST", path, {"email": "manager@acme.test", "password": f.PASSWORD}, headers)
        assert (status, cookies) == (403, [])
    with fresh.connect() as conn:
        assert conn.execute(text("select count(*) from user_sessions")).scalar_one() == 0


def test_a_referer_of_this_site_is_enough_without_origin(fresh):
    status, _, cookies = call("POST", web.SIGN_IN_PATH, {"email": "manager@acme.test", "password": f.PASSWORD},
                              {"referer": SITE + "/orders"})
    assert status == 303 and cookies


def test_sign_out_ends_the_session_and_clears_the_cookie(fresh):
    token = SimpleCookie(sign_in()[2][0])[web.COOKIE].value
    status, headers, cookies = call("POST", web.SIGN_OUT_PATH, headers={"origin": SITE,
                                                                        "cookie": f"{web.COOKIE}={token}"})
    assert (status, headers["location"]) == (303, "/?signin=signed_out")
    cleared = SimpleCookie(cookies[0])[web.COOKIE]
    assert cleared.value == "" and cleared["max-age"] == "0"
    assert auth.resolve_session(token) == auth.Resolved(None, "ended")
    with fresh.connect() as conn:
        assert conn.execute(text("select end_reason from user_sessions")).scalar_one() == "logout"


def test_every_response_carries_the_anti_framing_headers(fresh):
    for method, path in (("GET", "/"), ("POST", web.SIGN_IN_PATH)):
        _, headers, _ = call(method, path, headers={"origin": SITE})
        assert headers["x-frame-options"] == "DENY"
        assert headers["content-security-policy"] == "frame-ancestors 'none'"
        assert headers["x-content-type-options"] == "nosniff"


def test_the_throttle_sees_the_client_ip_from_the_configured_proxy_header(fresh, monkeypatch):
    from core.config import get_settings

    monkeypatch.setenv("ORDERSIGHT_CLIENT_IP_HEADER", "X-Forwarded-For")
    get_settings.cache_clear()
    try:
        for _ in range(5):
            sign_in(password="wrong", **{"x-forwarded-for": "198.51.100.7, 10.0.0.1"})
        # the same proxy peer, another client behind it: only the account's short backoff applies to it
        assert sign_in(**{"x-forwarded-for": "198.51.100.7"})[1]["location"].endswith("signin=locked")
        assert sign_in(**{"x-forwarded-for": "203.0.113.20"})[1]["location"].endswith("signin=wait")
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
