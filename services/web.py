"""HTTP routes and middleware served next to Streamlit by st.App (app.py): sign-in and sign-out as plain form
POSTs that set and clear the session cookie, and the security headers every response carries.

The cookie is HttpOnly (scripts in the page cannot read it), SameSite=Lax (a cross-site POST does not carry
it) and Secure when the request came over HTTPS (directly or as the proxy's X-Forwarded-Proto says). The
forms are protected against cross-site posting by SameSite and by an Origin (or Referer) check."""

from __future__ import annotations

import logging
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from core.config import get_settings
from services import auth

log = logging.getLogger("ordersight")

COOKIE = "ordersight_session"
SIGN_IN_PATH, SIGN_OUT_PATH = "/auth/sign-in", "/auth/sign-out"
# the code the sign-in page turns into a message (sections/login.py), passed back in the URL
NOTICE_PARAM = "signin"


def _https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _same_origin(request: Request) -> bool:
    """True when the form was posted from a page of this very site (browsers send Origin with every POST;
    Referer is the fallback for old ones). A request with neither is refused."""
    source = request.headers.get("origin") or request.headers.get("referer")
    if not source or source == "null":
        return False
    parts = urlsplit(source)
    host = request.headers.get("x-forwarded-host") or request.headers.get("host", "")
    return parts.netloc.lower() == host.split(",")[0].strip().lower()


def client_ip(request: Request) -> str:
    """The client's IP for the sign-in throttle: the first address of the header the proxy sets when
    ORDERSIGHT_CLIENT_IP_HEADER names it (e.g. X-Forwarded-For; only behind a proxy that overwrites it, or
    anyone could pick their IP), else the connection's peer."""
    header = get_settings().client_ip_header
    if header and request.headers.get(header):
        return request.headers[header].split(",")[0].strip()[:64]
    return request.client.host if request.client else ""


def safe_next(target: str | None) -> str:
    """The page to return to after the form: a path on this site only (no scheme, no host, no '//' trick)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _with_notice(target: str, code: str) -> str:
    path, _, query = target.partition("?")
    kept = "&".join(p for p in query.split("&") if p and not p.startswith(f"{NOTICE_PARAM}="))
    return f"{path}?{'&'.join(filter(None, [kept, urlencode({NOTICE_PARAM: code})]))}"


def _refusal_code(exc: auth.SignInError) -> str:
    if isinstance(exc, auth.AccountLocked):
        return "wait" if exc.scope == "account" else "locked"
    if isinstance(exc, auth.AccountInactive):
        return "inactive"
    return "invalid"


async def sign_in(request: Request) -> Response:
    """Checks the form's email and password; on success sets the session cookie and returns to the page the
    visitor asked for, otherwise back to the form with the reason in the URL (never the password)."""
    if not _same_origin(request):
        return PlainTextResponse("Cross-site form refused.", status_code=403)
    form = await request.form()
    target = safe_next(str(form.get("next") or "/"))
    try:
        signed = await run_in_threadpool(auth.sign_in, str(form.get("email") or ""), str(form.get("password") or ""),
                                         user_agent=request.headers.get("user-agent"), client=client_ip(request))
    except auth.SignInError as exc:
        return RedirectResponse(_with_notice(target, _refusal_code(exc)), status_code=303)
    except Exception as exc:  # the database is down: say so on the form rather than with a 500 page
        log.error("Sign-in failed", exc_info=exc)
        return RedirectResponse(_with_notice(target, "unavailable"), status_code=303)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, signed.token, max_age=int(get_settings().session_absolute_hours * 3600),
                        path="/", httponly=True, samesite="lax", secure=_https(request))
    return response


async def sign_out(request: Request) -> Response:
    """Ends the cookie's session in the database, clears the cookie and shows the sign-in form again."""
    if not _same_origin(request):
        return PlainTextResponse("Cross-site form refused.", status_code=403)
    try:
        await run_in_threadpool(auth.sign_out, request.cookies.get(COOKIE))
    except Exception as exc:  # the cookie is cleared anyway: this browser is signed out either way
        log.error("Sign-out could not close the session", exc_info=exc)
    response = RedirectResponse(_with_notice("/", "signed_out"), status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=_https(request))
    return response


ROUTES = [Route(SIGN_IN_PATH, sign_in, methods=["POST"]), Route(SIGN_OUT_PATH, sign_out, methods=["POST"])]

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


class SecurityHeaders(BaseHTTPMiddleware):
    """Adds the headers above to every HTTP response: no other site may frame the console (clickjacking)."""

    async def dispatch(self, request: Request, call_next) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response
