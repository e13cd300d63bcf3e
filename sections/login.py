"""The sign-in gate's UI over services.auth: the sign-in form (password, optional SSO), the idle-expiry check,
and the sidebar with the operator's distributor switcher and the sign-out button."""

from __future__ import annotations

import importlib.util
import logging

import streamlit as st

from components.session import USER_KEY, current_user
from components.states import error_boundary, failure_message
from services import auth
from services.auth_model import SWITCH_TENANT, User

log = logging.getLogger("ordersight")

TOKEN_KEY = "auth_token"
ERROR_KEY = "auth_error"
NOTICE_KEY = "auth_notice"
SSO_REFUSED_KEY = "auth_sso_refused"
SWITCH_KEY = "operator_distributor"


def signed_in_user() -> User | None:
    """Returns the user whose session is still open. A session that went idle (or was ended elsewhere) is
    dropped here, with a notice for the sign-in page; an SSO identity is mapped to its user on arrival."""
    user = current_user()
    if user is not None:
        if auth.check_session(user, st.session_state.get(TOKEN_KEY)):
            return user
        _forget("Your session expired after a period of inactivity. Please sign in again.")
        return None
    return _sso_user()


def sign_in_page() -> None:
    """The only page a visitor who is not signed in can reach."""
    st.title("Ordersight")
    notice = st.session_state.pop(NOTICE_KEY, None)
    if notice:
        st.info(notice)
    with st.form("sign_in", width=420):
        st.text_input("Email", key="signin_email", autocomplete="username")
        st.text_input("Password", type="password", key="signin_password", autocomplete="current-password")
        # the callback ran before this run, so its verdict is known here, next to the fields
        error = st.session_state.pop(ERROR_KEY, None)
        if error:
            st.error(error)
        st.form_submit_button("Sign in", key="signin_submit", type="primary", on_click=_submit)
    if _sso_configured():
        _sso_section()


def _submit() -> None:
    """The form's callback: runs before the script, so a signed-in user gets their pages on this very run,
    and it may empty the password field (the password never stays in session state)."""
    email, password = st.session_state.get("signin_email", ""), st.session_state.get("signin_password", "")
    st.session_state["signin_password"] = ""
    try:
        _remember(auth.sign_in(email, password, user_agent=_user_agent()))
    except auth.SignInError as exc:
        st.session_state[ERROR_KEY] = str(exc)
    except Exception as exc:  # a callback has no error boundary around it: say it as one would
        log.error("Sign-in failed", exc_info=exc)
        st.session_state[ERROR_KEY] = failure_message(exc, "sign-in")


def sidebar(user: User) -> None:
    """Who is signed in, for which distributor; the operator's switcher; the sign-out button."""
    with st.sidebar:
        st.caption(f"**{user.full_name}** · {user.role}  \n{user.distributor_name}")
        if user.can(SWITCH_TENANT):
            with error_boundary("the distributor list"):
                _switcher(user)
        if st.button("Sign out", key="sign_out", icon=":material/logout:"):
            auth.sign_out(user)
            sso = _sso_configured() and bool(st.user.get("is_logged_in"))
            _forget("You are signed out.")
            if sso:
                st.logout()  # drops the identity cookie too, or the next visit would sign straight back in
            st.rerun()


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
        for key in [k for k in st.session_state if k not in (USER_KEY, TOKEN_KEY, SWITCH_KEY)]:
            del st.session_state[key]
        st.query_params.clear()
        st.session_state[USER_KEY] = acting
        st.rerun()


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
