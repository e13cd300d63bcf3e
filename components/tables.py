"""Tables: a dataframe with CSV export (the caller audits the export) and a paginator for SQL LIMIT/OFFSET."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from components._urlstate import UrlState
from core import clock

# A cell starting with one of these is run as a formula by spreadsheet programs ("CSV injection");
# customer messages are free text, so exports defuse them with a leading apostrophe (OWASP advice).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The DataFrame as UTF-8 CSV without the index; text cells that a spreadsheet would run as a formula
    are prefixed with an apostrophe."""
    safe = df.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return safe.to_csv(index=False).encode("utf-8")


def export_filename(export_name: str, day: date) -> str:
    """`<export_name>_<YYYY-MM-DD>.csv`, with anything but letters, digits, - and _ replaced by _."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", export_name).strip("_") or "export"
    return f"{safe}_{day.isoformat()}.csv"


def data_table(
    df: pd.DataFrame,
    key: str,
    *,
    export_name: str,
    on_export: Callable[[int], None] | None = None,
    column_config: Mapping[str, Any] | None = None,
    height: int | None = None,
    selectable: bool = False,
) -> int | None:
    """Shows `df` (no index) with a "Download CSV" button. Returns the positional index of the selected
    row when `selectable` and a row is selected, else None.

    on_export(row_count) runs when the user downloads, before the file is built: write the audit row there.
    """
    options: dict[str, Any] = {
        "hide_index": True,
        "column_config": column_config,
        "height": height if height is not None else "auto",
        "key": f"{key}__table",
    }
    selected = None
    if selectable:
        event = st.dataframe(df, on_select="rerun", selection_mode="single-row", **options)
        rows = event.selection.rows
        # A selection can outlive the data it pointed at (filters changed): ignore it then
        if rows and 0 <= rows[0] < len(df):
            selected = rows[0]
    else:
        st.dataframe(df, **options)

    st.download_button(
        "Download CSV",
        # Deferred: the file exists only once clicked, after its audit row (bytes built on every run were
        # published at a /media URL anyone holding it could fetch, unaudited). No rerun on click: in 1.67 a
        # rerun can drop a deferred file.
        data=export_file(f"{key}__csv", df, on_export),
        file_name=export_filename(export_name, clock.now().astimezone().date()),
        mime="text/csv",
        key=f"{key}__csv",
        on_click="ignore",
        icon=":material/download:",
        disabled=len(df) == 0,
    )
    return selected


def export_file(button_key: str, df: pd.DataFrame, on_export: Callable[[int], None] | None) -> Callable[[], bytes]:
    """What the download button `button_key` serves when clicked (tests call it as the click would)."""
    return partial(audited_csv, df, on_export)


def audited_csv(df: pd.DataFrame, on_export: Callable[[int], None] | None) -> bytes:
    """The CSV of `df`, after on_export(row count) wrote the audit row: if that fails, nothing leaves. Runs
    outside the script (Streamlit's download handler), so on_export must not use Streamlit."""
    if on_export is not None:
        on_export(len(df))
    return to_csv_bytes(df)


def paginator(total_rows: int, page_size: int, key: str, *, reset_on: object = None) -> tuple[int, int]:
    """Page picker for a result of `total_rows` rows. Returns (limit, offset) for the SQL query.

    The page is kept in the `<key>_page` query param. When `reset_on` (e.g. a tuple of the filters) differs
    from the previous run, the paginator goes back to page 1.
    """
    if page_size < 1:
        raise ValueError("page_size must be at least 1")
    num_pages = max(1, math.ceil(total_rows / page_size))
    url = UrlState({"page": f"{key}_page"})
    generation = url.generation()

    memo_key = f"_paginator:{key}"
    token = repr(reset_on)  # a string: session state must stay picklable
    memo = st.session_state.get(memo_key, {"token": token, "resets": 0})
    reset = memo["token"] != token
    memo = {"token": token, "resets": memo["resets"] + reset}
    st.session_state[memo_key] = memo

    requested = url.values()["page"]
    page = int(requested) if requested and requested.isdecimal() else 1
    page = 1 if reset or not 1 <= page <= num_pages else page
    if num_pages > 1:
        page = st.pagination(num_pages, default=page, key=f"{key}__page_{generation}_{memo['resets']}")
    url.write(page=str(page) if page > 1 else None)

    offset = (page - 1) * page_size
    if total_rows:
        st.caption(f"Rows {offset + 1:,}–{min(offset + page_size, total_rows):,} of {total_rows:,}")
    return page_size, offset
