"""Who is signed in, and the server-side permission check every page starts with."""

from __future__ import annotations

import streamlit as st

from core.db import tenant_scope
from services import audit
from services.auth_model import User

USER_KEY = "user"


def current_user() -> User | None:
    """Returns the signed-in user, or None before sign-in."""
    return st.session_state.get(USER_KEY)


def require(permission: str) -> User:
    """Returns the signed-in user if their role grants `permission`; otherwise shows "not allowed",
    records the attempt and stops the page (a page reached by URL still checks on the server)."""
    user = current_user()
    if user is None:
        st.warning("Please sign in.")
        st.stop()
    if not user.can(permission):
        with tenant_scope(user.distributor_id, user.id) as conn:
            audit.record_security(conn, distributor_id=user.distributor_id, user_id=user.id,
                                  event="permission_denied", details={"permission": permission})
        st.error("You are not allowed to see this page.")
        st.stop()
    return user
