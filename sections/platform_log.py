"""The platform security log on the audit page, for operators: failed sign-ins and lockouts for emails that
belong to no user, which no distributor's own log can hold (migration 0012)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from core.filters import Period
from services import auth
from services.auth_model import User

EVENTS = {"login_failed": "Failed sign-in", "lockout": "Locked out"}


def platform_log(user: User, period: Period) -> None:
    """The period's rows, newest first, in the acting distributor's time zone, or a caption when there are none."""
    rows = auth.platform_sign_in_failures(user, period)
    if not rows:
        st.caption("No failed sign-ins for unknown emails in this period.")
        return
    st.caption(f"Newest first, at most {auth.PLATFORM_LOG_ROWS} rows. What was typed is kept only when it looks "
               "like an email address (a password typed there is not).")
    table = pd.DataFrame({
        "at": [r.created_at.astimezone(ZoneInfo(user.timezone)).replace(tzinfo=None) for r in rows],
        "event": [EVENTS.get(r.event, r.event) for r in rows],
        "email": [r.email or "(not an email address)" for r in rows],
        "client": [r.client for r in rows],
    })
    st.dataframe(table, hide_index=True, column_config={
        "at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm:ss"),
        "event": "Event", "email": "Email typed", "client": "Client (IP)"})

