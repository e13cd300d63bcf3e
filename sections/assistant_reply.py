"""Assistant page: the reply draft. Streamed by the AI (st.write_stream) or filled from the offline template,
edited in a text area, saved as the pending reply suggestion on the message."""

from __future__ import annotations

import streamlit as st

from ai.assistant import AssistantConfig
from ai.assistant_replies import offline_reply, save_reply, start_reply
from ai.errors import AIError
from sections.assistant_context import Source, ensure_message, failure_notice, set_failure, take_pending
from services.auth_model import User

DRAFTS_KEY = "asst_reply_drafts"  # slot -> {message_id, response_id, offline, model, redacted}


def redaction_note(redacted: dict[str, int]) -> str:
    """Returns what was hidden from the AI: "Hidden from the AI before sending: card ×1, email ×1"."""
    if not redacted:
        return "No personal data found to hide before sending."
    found = ", ".join(f"{kind} ×{n}" for kind, n in sorted(redacted.items()))
    return f"Hidden from the AI before sending: {found}."


def _draft(user: User, cfg: AssistantConfig, source: Source, use_ai: bool, text_key: str) -> None:
    message_id = ensure_message(user, source)
    if message_id is None:
        return
    try:
        if use_ai:
            job = start_reply(cfg, user.distributor_id, user.id, message_id)
            live = st.empty()
            with live.container():
                st.write_stream(job.chunks())
            live.empty()
            text, meta = (
                job.text,
                {"response_id": job.response_id, "offline": False, "redacted": job.redacted},
            )
        else:
            text = offline_reply(user.distributor_id, message_id, cfg.match_threshold)
            meta = {"response_id": None, "offline": True, "redacted": {}}
    except AIError as error:
        set_failure("reply", source.slot, error.user_message, error.kind)
        return
    set_failure("reply", source.slot, None)
    st.session_state[text_key] = text
    st.session_state.setdefault(DRAFTS_KEY, {})[source.slot] = {
        "message_id": message_id,
        "model": cfg.ai.model,
        **meta,
    }


def reply_section(user: User, cfg: AssistantConfig, source: Source, use_ai: bool) -> None:
    """Draws the reply section for `source`; `use_ai` False drafts with the offline template."""
    text_key = f"asst_reply_text_{source.slot}"
    clicked = st.button("Draft reply", key="asst_draft_reply", icon=":material/edit_note:", type="primary")
    if clicked or take_pending("reply"):
        _draft(user, cfg, source, use_ai, text_key)
    failure_notice("reply", source.slot)
    meta = st.session_state.get(DRAFTS_KEY, {}).get(source.slot)
    if meta:
        origin = "the offline drafter" if meta["offline"] else f"the AI ({meta['model']})"
        st.caption(f"Drafted by {origin}. Edit it before saving.")
        if not meta["offline"]:
            st.caption(redaction_note(meta["redacted"]))
    st.text_area(
        "Reply", key=text_key, height=180, placeholder="Click “Draft reply”, then edit the draft here."
    )
    text = st.session_state.get(text_key) or ""
    if st.button(
        "Save as suggestion",
        key="asst_save_reply",
        disabled=not (meta and text.strip()),
        icon=":material/save:",
    ):
        saved = save_reply(
            user.distributor_id,
            user.id,
            message_id=meta["message_id"],
            text=text,
            response_id=meta["response_id"],
        )
        if saved.response_id is None:
            st.warning(saved.message)
        else:
            meta["response_id"] = saved.response_id  # saving again updates the same suggestion
            st.success(saved.message)
