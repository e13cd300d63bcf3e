"""Assistant: draft a reply or an order for a customer's message, with the AI or the offline drafter."""

import streamlit as st

from ai.assistant import OFFLINE_NOTICE, AssistantConfig
from components.session import require
from components.states import error_boundary
from core.config import get_settings
from sections.assistant_context import OFFLINE_KEY, customer_context, keep_inputs, pick_source
from sections.assistant_order import order_section
from sections.assistant_reply import reply_section
from services.auth_model import USE_ASSISTANT

user = require(USE_ASSISTANT)
keep_inputs()
st.title("Assistant")
cfg = AssistantConfig.from_settings(get_settings())
use_ai = cfg.has_ai and not st.session_state.get(OFFLINE_KEY, False)
if not cfg.has_ai:
    st.info(OFFLINE_NOTICE, icon=":material/info:")
elif use_ai:
    st.caption(f"Drafts by the AI ({cfg.ai.model}); personal data is hidden from it before sending.")
else:
    st.info(
        "Using the offline drafter: you switched to it while AI calls are paused.", icon=":material/info:"
    )
    if st.button("Use the AI again", key="asst_ai_again"):
        st.session_state[OFFLINE_KEY] = False
        st.rerun()

source = None
with error_boundary("the assistant"):
    source = pick_source(user)

if source is not None:
    drafts, context = st.columns([2, 1], gap="large")
    with context, error_boundary("the customer's context"):
        customer_context(user, source.customer_id)
    with drafts:
        order_tab, reply_tab = st.tabs(["Order", "Reply"])
        with order_tab, error_boundary("the order draft"):
            order_section(user, cfg, source, use_ai)
        with reply_tab, error_boundary("the reply draft"):
            reply_section(user, cfg, source, use_ai)
