"""components.tables: CSV export, the rendered table with its download button, and the paginator."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from components.tables import export_filename, to_csv_bytes


def test_csv_is_utf8_without_index_and_defuses_formulas():
    df = pd.DataFrame(
        {
            "customer": ["São Paulo 🍕", "=HYPERLINK(\"http://x\")", "@SUM(A1)", "+1 555", "-5 boxes"],
            "note": ["O'Brien, \"VIP\"", "ok", "\tTAB", "fine", None],
            "total_cents": [1250, -300, 0, 99, 5],
        }
    )
    csv = to_csv_bytes(df).decode("utf-8")
    assert csv.splitlines() == [
        "customer,note,total_cents",
        "São Paulo 🍕,\"O'Brien, \"\"VIP\"\"\",1250",
        "\"'=HYPERLINK(\"\"http://x\"\")\",ok,-300",
        "'@SUM(A1),'\tTAB,0",
        "'+1 555,fine,99",
        "'-5 boxes,,5",
    ]
    # the caller's frame is untouched
    assert df.loc[1, "customer"] == "=HYPERLINK(\"http://x\")"


@pytest.mark.parametrize(
    ("name", "filename"),
    [
        ("orders", "orders_2025-03-15.csv"),
        ("AI responses / March", "AI_responses_March_2025-03-15.csv"),
        ("../../etc/passwd", "etc_passwd_2025-03-15.csv"),
        ("///", "export_2025-03-15.csv"),
    ],
)
def test_export_filename(name, filename):
    assert export_filename(name, date(2025, 3, 15)) == filename


def table_app(selectable: bool = False, rows: int = 3):
    import pandas as pd
    import streamlit as st

    from components.tables import data_table

    def audit(count: int) -> None:
        st.session_state["exported"] = st.session_state.get("exported", []) + [count]

    df = pd.DataFrame(
        {"order_number": [f"A-{i}" for i in range(rows)], "total_cents": [100 * i for i in range(rows)]}
    )
    st.session_state["selected"] = data_table(
        df, "orders", export_name="orders", on_export=audit, selectable=selectable
    )


def test_data_table_renders_and_exports(run_app):
    at = run_app(table_app)
    assert not at.exception
    shown = at.dataframe[0].value
    assert list(shown["order_number"]) == ["A-0", "A-1", "A-2"]
    assert list(shown["total_cents"]) == [0, 100, 200]
    button = at.download_button[0]
    assert button.label == "Download CSV"
    assert button.proto.disabled is False
    assert at.session_state["selected"] is None
    # nothing is published before the click (the file is built on demand, see audited_csv)
    assert button.proto.url == ""
    button.click().run()
    assert "exported" not in at.session_state  # no rerun callback: the audit runs with the download


def test_the_export_is_audited_before_its_bytes_exist():
    import pandas as pd

    from components.tables import audited_csv

    calls = []
    df = pd.DataFrame({"name": ["=HYPERLINK(\"http://x\")", "Ana"]})
    assert audited_csv(df, calls.append) == b'name\n"\'=HYPERLINK(""http://x"")"\nAna\n' and calls == [2]

    def refuse(_count):
        raise RuntimeError("database down")

    with pytest.raises(RuntimeError):
        audited_csv(df, refuse)


def test_data_table_without_rows_cannot_export(run_app):
    at = run_app(table_app, rows=0)
    assert not at.exception
    assert at.download_button[0].proto.disabled is True


@pytest.mark.parametrize(("rows_selected", "expected"), [([1], 1), ([], None), ([7], None)])
def test_data_table_returns_the_selected_row(run_app, rows_selected, expected):
    at = run_app(table_app, selectable=True)
    assert at.session_state["selected"] is None
    # what the browser sends when a row is clicked; [7] is a stale selection from a longer result
    at.session_state["orders__table"] = {"selection": {"rows": rows_selected, "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.session_state["selected"] == expected


def pager_app(total: int, reset_on: str = ""):
    import streamlit as st

    from components.tables import paginator

    st.session_state["page"] = paginator(total, 20, "orders", reset_on=reset_on)


def test_paginator_first_page_by_default(run_app):
    at = run_app(pager_app, total=95)
    assert at.session_state["page"] == (20, 0)
    assert at.caption[0].value == "Rows 1–20 of 95"
    assert at.query_params == {}


def test_paginator_moves_and_keeps_the_page_in_the_url(run_app):
    at = run_app(pager_app, total=95)
    pager = at.get("pagination")[0]
    assert pager.num_pages == 5
    pager.set_value(5).run()
    assert at.session_state["page"] == (20, 80)
    assert at.caption[0].value == "Rows 81–95 of 95"
    assert at.query_params == {"orders_page": "5"}


def test_paginator_reads_the_url(run_app):
    at = run_app(pager_app, {"orders_page": "3"}, total=95)
    assert at.session_state["page"] == (20, 40)
    assert at.get("pagination")[0].value == 3
    assert at.caption[0].value == "Rows 41–60 of 95"


@pytest.mark.parametrize("page", ["0", "6", "-1", "abc", "2.5", "", "²", "99999999999999999999"])
def test_paginator_ignores_invalid_pages(run_app, page):
    at = run_app(pager_app, {"orders_page": page}, total=95)
    assert not at.exception
    assert at.session_state["page"] == (20, 0)
    assert at.query_params == {}


def test_paginator_returns_to_page_one_when_filters_change(run_app):
    at = run_app(pager_app, {"orders_page": "4"}, total=95, reset_on="status=new")
    assert at.session_state["page"] == (20, 60)
    at.kwargs = {"total": 95, "reset_on": "status=new"}
    at.run()
    assert at.session_state["page"] == (20, 60)
    at.kwargs = {"total": 95, "reset_on": "status=confirmed"}
    at.run()
    assert at.session_state["page"] == (20, 0)
    assert at.get("pagination")[0].value == 1
    assert at.query_params == {}


@pytest.mark.parametrize(("total", "caption"), [(0, None), (20, "Rows 1–20 of 20")])
def test_single_page_shows_no_pager(run_app, total, caption):
    at = run_app(pager_app, total=total)
    assert at.session_state["page"] == (20, 0)
    assert len(at.get("pagination")) == 0
    assert [c.value for c in at.caption] == ([caption] if caption else [])
