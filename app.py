"""Ordersight's server: Streamlit runs main.py (the app), and next to it st.App serves the sign-in and
sign-out form posts that set and clear the HttpOnly session cookie (services/web.py), adds the security headers
to every response and shows an error no page caught politely. `streamlit run app.py` starts it (Streamlit
finds `app` and serves it with uvicorn)."""

import streamlit as st
from starlette.middleware import Middleware

from components.states import script_error
from services.web import ROUTES, SecurityHeaders

# script_error: a widget callback has no error boundary of its own; this gives it the same friendly message
app = st.App("main.py", routes=ROUTES, middleware=[Middleware(SecurityHeaders)], on_script_error=script_error)
