"""Filter bar widgets. Each owns its widget state, mirrors it in the URL query params and returns the value.

Query params (so a copied URL reproduces the view):
- date_range_filter(key="orders") -> `orders_period` (a core.filters.PRESETS id), plus `orders_from` /
  `orders_to` (YYYY-MM-DD) for a custom range;
- multiselect_filter(key="status") -> `status=new,confirmed`;
- text_search(key="q") -> `q=text`.
A missing or invalid param means the default; it never raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from components._urlstate import UrlState
from core.filters import (
    PRESETS,
    SEARCH_MAX_CHARS,
    Period,
    clean_search,
    join_list,
    parse_iso_date,
    preset_range,
    range_error,
    split_list,
    today_in,
)

# Earliest day a custom range may start: before the platform existed, so it never hides data.
EARLIEST_DATE = date(2000, 1, 1)
_PRESET_IDS = list(PRESETS)


def _initial_period(url: dict[str, str | None], default: str, today: date) -> tuple[str, date, date]:
    """The URL's period and the dates the custom picker starts from; the default for anything invalid."""
    period = url["period"] if url["period"] in PRESETS else default
    if period != "custom":
        rng = preset_range(period, today)
        return period, rng.start, rng.end
    start, end = parse_iso_date(url["start"]), parse_iso_date(url["end"])
    # A reversed range is kept (the user sees why it is refused); a date outside the picker's bounds is not
    if start and end and all(EARLIEST_DATE <= d <= today for d in (start, end)):
        return "custom", start, end
    rng = preset_range(default, today)
    return default, rng.start, rng.end


def date_range_filter(
    key: str, tz: str, default: str = "30d", *, label: str = "Period", today: date | None = None
) -> Period | None:
    """A period picker (presets or a custom range). Returns the chosen inclusive Period in the
    distributor's local dates, or None after showing why the custom range cannot be used.

    `tz` is the distributor's timezone: presets end on its current date (`today` overrides it, for tests).
    """
    if default not in PRESETS or default == "custom":
        raise ValueError(f"default must be one of the fixed presets, got {default!r}")
    today = today or today_in(tz)
    url = UrlState({"period": f"{key}_period", "start": f"{key}_from", "end": f"{key}_to"})
    generation = url.generation()
    period, start, end = _initial_period(url.values(), default, today)

    period = st.selectbox(
        label,
        _PRESET_IDS,
        index=_PRESET_IDS.index(period),
        format_func=PRESETS.__getitem__,
        key=f"{key}__period_{generation}",
    )
    if period != "custom":
        rng = preset_range(period, today)
        url.write(period=period, start=None, end=None)
        st.caption(f"{rng.start:%d %b %Y} – {rng.end:%d %b %Y}")
        return rng

    picked = tuple(
        st.date_input(
            "Dates",
            value=(start, end),
            min_value=EARLIEST_DATE,
            max_value=today,
            format="YYYY-MM-DD",
            key=f"{key}__dates_{generation}",
        )
    )
    first = picked[0] if picked else None
    second = picked[1] if len(picked) == 2 else None
    url.write(period="custom", start=first and first.isoformat(), end=second and second.isoformat())
    error = range_error(first, second)
    if error is None:
        return Period(first, second)
    # Half a range is a normal moment while picking: a warning, not an error
    (st.warning if first is None or second is None else st.error)(error)
    return None


def multiselect_filter(label: str, options: Sequence[str], key: str) -> list[str]:
    """A multiselect over `options`. Returns the selected options; an empty list means "no filter"."""
    url = UrlState({"values": key})
    generation = url.generation()
    from_url = [v for v in split_list(url.values()["values"]) if v in options]
    selected = st.multiselect(
        label, list(options), default=list(dict.fromkeys(from_url)), placeholder="All",
        key=f"{key}__values_{generation}",
    )
    url.write(values=join_list(selected) or None)
    return selected


def text_search(label: str, key: str) -> str:
    """A search box. Returns the cleaned text (core.filters.clean_search), "" when empty; turn it into a
    pattern with core.filters.like_pattern()."""
    url = UrlState({"text": key})
    generation = url.generation()
    text = st.text_input(
        label,
        value=clean_search(url.values()["text"]),
        max_chars=SEARCH_MAX_CHARS,
        placeholder="Search…",
        key=f"{key}__text_{generation}",
    )
    cleaned = clean_search(text)
    url.write(text=cleaned or None)
    return cleaned
