"""Showing text that comes from customers, models or users exactly as written: never as Markdown (an image
in a customer's name made the browser fetch an outside URL) nor as the HTML Plotly renders in labels."""

from __future__ import annotations

import html
import re

import pandas as pd

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: str) -> str:
    """Returns `text` with Markdown syntax escaped, so it shows literally (no links, images, HTML, badges,
    colours or maths); line breaks stay line breaks."""
    return _MARKDOWN.sub(r"\\\1", str(text)).replace("\n", "  \n")


def plain_chart_text(df: pd.DataFrame) -> pd.DataFrame:
    """`df` with its text cells HTML-escaped: Plotly renders <a href>, <span style> and friends in tick labels,
    legends and hovers, and those texts are customer and product names."""
    text_columns = [c for c in df.columns if pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c])]
    if not text_columns:
        return df
    return df.assign(**{c: df[c].map(lambda v: html.escape(v, quote=False) if isinstance(v, str) else v)
                        for c in text_columns})


_DRAFTERS = {"ai": "drafted by the AI", "offline_drafter": "drafted by the offline drafter"}


def sender_label(sender_type: str, source: str | None = None) -> str:
    """Who wrote a message as people say it: "Customer", "AI", or "Agent · pasted" for a customer's text an
    agent pasted on the Assistant (the customer did not send it through a channel)."""
    who = "AI" if sender_type == "ai" else str(sender_type).title()
    return f"{who} · pasted" if source == "pasted" else who


def order_origin(source: str, drafted_by: str | None = None, confirmed_by: str | None = None) -> str:
    """Who made an order, as a phrase: "created by the AI", "created manually", "created by an integration",
    or for a draft a person confirmed "drafted by the AI, confirmed by Ana" (or by the offline drafter)."""
    if drafted_by in _DRAFTERS:
        return f"{_DRAFTERS[drafted_by]}, confirmed by {confirmed_by or 'a former user'}"
    return {"ai": "created by the AI", "manual": "created manually",
            "integration": "created by an integration"}.get(source, f"created by {source}")
