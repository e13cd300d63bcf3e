"""Ordersight's server: Streamlit runs main.py (the app), and next to it st.App serves the sign-in and
sign-out form posts that set and clear the HttpOnly session cookie (core/web.py) and adds the security headers
to every response. `streamlit run app.py` starts it (Streamlit finds `app` and serves it with uvicorn)."""

import streamlit as st
from starlette.middleware import Middleware

from core.web import ROUTES, SecurityHeaders

app = st.App("main.py", routes=ROUTES, middleware=[Middleware(SecurityHeaders)])
