"""Limits on the free text people type or paste (a 100 KB paste once drafted 6,250 lines and went into every
later prompt), and the characters no text may carry. No Streamlit: services check, pages show the message."""

from __future__ import annotations

import unicodedata

# field -> (what the message calls it, most characters); st.text_area/text_input use the same numbers
LIMITS: dict[str, tuple[str, int]] = {
    "message": ("The customer message", 4_000),
    "reply": ("The reply", 4_000),  # WhatsApp's own limit is 4,096
    "reason": ("The reason", 500),
}
_ALLOWED_CONTROLS = {"\n", "\r", "\t"}


class TextInvalid(ValueError):
    """Text refused; str(error) is the message to show (the text itself is kept on screen)."""


def max_chars(field: str) -> int:
    return LIMITS[field][1]


def check_text(field: str, text: str | None) -> str:
    """Returns `text` stripped, or raises TextInvalid when it is longer than the field's limit or carries
    control characters (NUL, which PostgreSQL refuses, and the like)."""
    name, limit = LIMITS[field]
    value = (text or "").strip()
    if len(value) > limit:
        raise TextInvalid(f"{name} is {len(value):,} characters long; the limit is {limit:,}. Shorten it.")
    if any(unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS for ch in value):
        raise TextInvalid(f"{name} contains invisible control characters (such as NUL): remove them and try "
                          "again.")
    return value
