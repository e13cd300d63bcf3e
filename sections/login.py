"""The sign-in gate's UI over services.auth and services.web: who this run belongs to (the session cookie,
resolved on every run), the sign-in form (a plain HTML form posted to services.web, which sets the HttpOnly
cookie), and the sidebar with the operator's distributor switcher and the sign-out form."""

from __future__ import annotations

import html
import importlib.util
import logging
from urllib.parse import urlencode

import streamlit as st

from components.session import USER_KEY
from components.states import error_boundary
from services import auth, web
from services.auth_model import SWITCH_TENANT, User

log = logging.getLogger("ordersight")

TOKEN_KEY = "auth_token"  # an SSO session's token (st.login has its own cookie; ours cannot be set from here)
NOTICE_KEY = "auth_notice"
SSO_REFUSED_KEY = "auth_sso_refused"
SWITCH_KEY = "operator_distributor"
ACTING_KEY = "operator_acting"

# what the sign-in form says after services.web sent the visitor back (the code is in the URL)
NOTICES = {
    "invalid": ("error", str(auth.InvalidCredentials())),
    "inactive": ("error", str(auth.AccountInactive())),
    "locked": ("error", "Too many failed attempts from this device: sign-in is locked here for 15 minutes."),
    "wait": ("error", "Too many failed attempts for this account: wait half a minute and try again."),
    "unavailable": ("error", "Sign-in is not available right now (the database does not answer). "
                             "Try again in a minute."),
    "signed_out": ("info", "You are signed out."),
}
ENDED = {
    "expired": "Your session expired. Please sign in again.",
    "revoked": "Your account was deactivated. Ask an administrator of your distributor.",
    "ended": "Your session has ended. Please sign in again.",
}


def signed_in_user() -> User | None:
    """Returns the user this run belongs to, read from the database through the session cookie on every run
    (role, permissions and active flag as they are now). A session that ended is dropped with a notice for
    the sign-in form; an SSO identity is mapped to its user on arrival."""
    cookie = st.context.cookies.get(web.COOKIE)
    # (AppTest has no browser and answers with a stand-in object, not a string)
    token = (cookie if isinstance(cookie, str) else None) or st.session_state.get(TOKEN_KEY)
    resolved = auth.resolve_session(token)
    if resolved.user is None:
        if USER_KEY in st.session_state:  # ended while this tab was open: say why
            _forget(ENDED[resolved.ended or "ended"])
        return _sso_user()
    user = _acting(resolved.user)
    st.session_state[USER_KEY] = user
    return user


def sign_in_page(next_path: str = "/") -> None:
    """The only page a visitor who is not signed in can reach; it posts to services.web and comes back to
    `next_path` (the page and query the visitor asked for)."""
    st.title("Ordersight")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    code = st.query_params.get(web.NOTICE_PARAM)
    if code in NOTICES:
        kind, message = NOTICES[code]
        getattr(st, kind)(message)
    query = {k: v for k, v in st.query_params.to_dict().items() if k != web.NOTICE_PARAM}
    target = next_path + (f"?{urlencode(query)}" if query else "")
    st.html(_FORM.format(action=web.SIGN_IN_PATH, next=html.escape(target, quote=True)))
    if _sso_configured():
        _sso_section()


_FORM = """
<form method="post" action="{action}" style="max-width:420px;display:flex;flex-direction:column;gap:.75rem">
  <label style="display:flex;flex-direction:column;gap:.25rem">Email
    <input name="email" type="email" autocomplete="username" required
           style="padding:.5rem;border:1px solid #cbd5e1;border-radius:.5rem;font:inherit"></label>
  <label style="display:flex;flex-direction:column;gap:.25rem">Password
    <input name="password" type="password" autocomplete="current-password" required
           style="padding:.5rem;border:1px solid #cbd5e1;border-radius:.5rem;font:inherit"></label>
  <input type="hidden" name="next" value="{next}">
  <button type="submit" style="align-self:flex-start;padding:.5rem 1rem;border:0;border-radius:.5rem;
          background:#2563eb;color:#fff;font:inherit;cursor:pointer">Sign in</button>
</form>
"""

_SIGN_OUT = """
<form method="post" action="{action}">
  <button type="submit" style="padding:.35rem .9rem;border:1px solid #cbd5e1;border-radius:.5rem;
          background:#fff;font:inherit;cursor:pointer">Sign out</button>
</form>
"""


def sidebar(user: User) -> None:
    """Who is signed in, for which distributor; the operator's switcher; the sign-out form."""
    with st.sidebar:
        st.caption(f"**{user.full_name}** · {user.role}  \n{user.distributor_name}")
        if user.can(SWITCH_TENANT):
            with error_boundary("the distributor list"):
                _switcher(user)
        if st.session_state.get(TOKEN_KEY):  # an SSO session: st.logout drops the identity cookie too
            if st.button("Sign out", key="sign_out", icon=":material/logout:"):
                auth.sign_out(st.session_state[TOKEN_KEY])
                _forget("You are signed out.")
                st.logout()
                st.rerun()
        else:
            st.html(_SIGN_OUT.format(action=web.SIGN_OUT_PATH))


def _switcher(user: User) -> None:
    # a dict's .get, not a lambda: widget settings must stay picklable like session state
    names = {d.id: d.name for d in auth.list_distributors(user)}
    if user.distributor_id not in names:
        return
    st.session_state.setdefault(SWITCH_KEY, user.distributor_id)
    chosen = st.selectbox("Acting for distributor", list(names), key=SWITCH_KEY, format_func=names.get)
    if chosen != user.distributor_id:
        acting = auth.switch_tenant(user, chosen)
        # filters (widgets and URL) were the other distributor's: users, resources, ids
        for key in [k for k in st.session_state if k not in (TOKEN_KEY, SWITCH_KEY)]:
            del st.session_state[key]
        st.query_params.clear()
        st.session_state[ACTING_KEY] = {"id": acting.distributor_id, "name": acting.distributor_name,
                                         "timezone": acting.timezone, "currency": acting.currency}
        st.rerun()


def _acting(user: User) -> User:
    """The operator acting for the distributor chosen in this browser tab (switch logged when chosen); the
    user unchanged for everyone else, and for an operator who lost the role since."""
    acting = st.session_state.get(ACTING_KEY)
    if not acting or not user.can(SWITCH_TENANT):
        return user
    return user.acting_for(acting["id"], acting["name"], acting["timezone"], acting["currency"])


def _remember(signed: auth.SignedIn) -> None:
    st.session_state[USER_KEY] = signed.user
    st.session_state[TOKEN_KEY] = signed.token


def _forget(notice: str) -> None:
    """Clears the whole session state (nothing of one user's view may reach the next), keeping a notice."""
    st.session_state.clear()
    st.session_state[NOTICE_KEY] = notice


def _user_agent() -> str | None:
    return st.context.headers.get("User-Agent")


def _sso_configured() -> bool:
    """True when .streamlit/secrets.toml has an [auth] section (st.login's OIDC settings)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file at all
        return False


def _sso_section() -> None:
    st.divider()
    refused = st.session_state.get(SSO_REFUSED_KEY)
    if refused:
        st.warning(f"{refused[1]} (single sign-on identity: {refused[0] or 'no email'})")
        if st.button("Use another account", key="sso_other"):
            st.logout()
        return
    if importlib.util.find_spec("authlib") is None:
        st.caption("Single sign-on is configured but needs Authlib: `pip install 'Authlib>=1.3.2'`.")
    elif st.button("Sign in with SSO", key="signin_sso", icon=":material/key:"):
        st.login()


def _sso_user() -> User | None:
    """Maps a fresh OIDC identity (st.user) to its active user, once per session and identity; a refusal
    stays on the sign-in page with a way to use another account."""
    if not _sso_configured() or not st.user.get("is_logged_in"):
        return None
    email = str(st.user.get("email") or "")
    refused = st.session_state.get(SSO_REFUSED_KEY)
    if refused and refused[0] == email:
        return None
    try:
        signed = auth.sign_in_sso(email, user_agent=_user_agent())
    except auth.SignInError as exc:
        st.session_state[SSO_REFUSED_KEY] = (email, str(exc))
        return None
    _remember(signed)
    return signed.user
