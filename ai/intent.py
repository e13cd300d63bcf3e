"""What a customer message is before any line is drafted: its language, and whether it orders at all
(order, question, complaint or other). Only orders get order lines."""

from __future__ import annotations

from typing import Literal

from ai.catalog import normalize
from ai.lexicon import CANCEL_CUES, COMPLAINT_CUES, LANGUAGE_MARKERS, LANGUAGES

Intent = Literal["order", "question", "complaint", "other"]


def detect_language(message: str, default: str = "en") -> str:
    """Returns "en", "es" or "pt": the language whose common words (and letters such as ñ, ã, ç)
    the message uses most; `default` when nothing points anywhere."""
    words = normalize(message).split()
    scores = {lang: sum(w in LANGUAGE_MARKERS[lang] for w in words) for lang in LANGUAGES}
    lowered = message.lower()
    scores["es"] += 2 * sum(lowered.count(c) for c in "ñ¿¡")
    scores["pt"] += 2 * sum(lowered.count(c) for c in "ãõçêô")
    best = max(scores.values())
    if best == 0:
        return default
    leaders = [lang for lang in LANGUAGES if scores[lang] == best]
    return default if default in leaders else leaders[0]


def classify_intent(message: str, has_lines: bool) -> Intent:
    """Returns the message's intent: a complaint (broken, charged, missing...) or a cancellation ("other")
    orders nothing even when it names products and counts; otherwise lines make it an order, and a message
    without lines is a question when it asks something."""
    words = set(normalize(message).split())
    if words & COMPLAINT_CUES:
        return "complaint"
    if words & CANCEL_CUES:
        return "other"
    if has_lines:
        return "order"
    return "question" if "?" in message else "other"
