"""components.filters in a running app (AppTest): presets, the URL round trip, invalid input."""

from __future__ import annotations

from datetime import date

import pytest

from components.filters import date_range_filter

# The distributor's "today" in the scripts below: presets are computed from it, never from the clock
TODAY = date(2025, 3, 15)


def range_app(today_iso: str, default: str = "30d"):
    from datetime import date

    import streamlit as st

    from components.filters import date_range_filter

    rng = date_range_filter("orders", "America/Sao_Paulo", default, today=date.fromisoformat(today_iso))
    st.session_state["range"] = None if rng is None else [rng.start.isoformat(), rng.end.isoformat()]


def custom(start: str, end: str) -> dict[str, str]:
    """The query params of a custom range."""
    return {"orders_period": "custom", "orders_from": start, "orders_to": end}


def run_range(run_app, query_params=None, default="30d"):
    return run_app(range_app, query_params, today_iso=TODAY.isoformat(), default=default)


def test_default_period_without_query_params(run_app):
    at = run_range(run_app)
    assert not at.exception
    assert at.session_state["range"] == ["2025-02-14", "2025-03-15"]
    assert at.selectbox[0].value == "30d"
    assert at.query_params == {"orders_period": "30d"}
    assert at.caption[0].value == "14 Feb 2025 – 15 Mar 2025"


def test_another_default(run_app):
    at = run_range(run_app, default="month")
    assert at.session_state["range"] == ["2025-03-01", "2025-03-15"]


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("today", "2025-03-15", "2025-03-15"),
        ("7d", "2025-03-09", "2025-03-15"),
        ("90d", "2024-12-16", "2025-03-15"),
        ("month", "2025-03-01", "2025-03-15"),
    ],
)
def test_picking_a_preset_returns_its_range_and_updates_the_url(run_app, preset, start, end):
    at = run_range(run_app)
    at.selectbox[0].set_value(preset).run()
    assert at.session_state["range"] == [start, end]
    assert at.query_params == {"orders_period": preset}


@pytest.mark.parametrize("preset", ["today", "7d", "90d", "month"])
def test_preset_from_the_url(run_app, preset):
    at = run_range(run_app, {"orders_period": preset})
    expected = {"today": "2025-03-15", "7d": "2025-03-09", "90d": "2024-12-16", "month": "2025-03-01"}
    assert at.session_state["range"] == [expected[preset], "2025-03-15"]
    assert at.selectbox[0].value == preset


def test_custom_range_from_the_url(run_app):
    at = run_range(run_app, custom("2025-01-05", "2025-02-10"))
    assert at.session_state["range"] == ["2025-01-05", "2025-02-10"]
    assert at.date_input[0].value == (date(2025, 1, 5), date(2025, 2, 10))
    assert not at.error


@pytest.mark.parametrize(
    "query_params",
    [
        {"orders_period": "bogus"},
        {"orders_period": ""},
        {"orders_period": "custom"},
        {"orders_period": "custom", "orders_from": "not-a-date", "orders_to": "2025-02-10"},
        custom("2025-02-30", "2025-03-10"),
        {"orders_period": "custom", "orders_from": "2025-03-01"},
        # after the distributor's today, and before the picker's earliest date
        custom("2025-03-01", "2025-03-16"),
        custom("1999-12-31", "2025-03-10"),
        {"orders_from": "2025-01-01", "orders_to": "2025-01-31"},
    ],
)
def test_invalid_query_params_fall_back_to_the_default(run_app, query_params):
    at = run_range(run_app, query_params)
    assert not at.exception
    assert not at.error
    assert at.session_state["range"] == ["2025-02-14", "2025-03-15"]
    # the URL is rewritten to what is shown
    assert at.query_params == {"orders_period": "30d"}


def test_switching_to_custom_starts_from_the_shown_preset(run_app):
    at = run_range(run_app, {"orders_period": "7d"})
    at.selectbox[0].set_value("custom").run()
    assert at.date_input[0].value == (date(2025, 3, 9), date(2025, 3, 15))
    assert at.session_state["range"] == ["2025-03-09", "2025-03-15"]
    assert at.query_params == custom("2025-03-09", "2025-03-15")


def test_picking_a_custom_range(run_app):
    at = run_range(run_app)
    at.selectbox[0].set_value("custom").run()
    at.date_input[0].set_value((date(2024, 11, 1), date(2024, 11, 30))).run()
    assert at.session_state["range"] == ["2024-11-01", "2024-11-30"]
    assert at.query_params == custom("2024-11-01", "2024-11-30")
    # back to a preset: the custom dates leave the URL
    at.selectbox[0].set_value("today").run()
    assert at.session_state["range"] == ["2025-03-15", "2025-03-15"]
    assert at.query_params == {"orders_period": "today"}


def test_reversed_custom_range_shows_an_error(run_app):
    at = run_range(run_app)
    at.selectbox[0].set_value("custom").run()
    at.date_input[0].set_value((date(2025, 3, 10), date(2025, 3, 1))).run()
    assert at.session_state["range"] is None
    assert [e.value for e in at.error] == [
        "The start date (2025-03-10) is after the end date (2025-03-01). Swap them."
    ]
    assert not at.exception


def test_reversed_range_from_the_url_shows_an_error(run_app):
    at = run_range(run_app, custom("2025-03-10", "2025-03-01"))
    assert at.session_state["range"] is None
    assert len(at.error) == 1
    assert "after the end date" in at.error[0].value


def test_half_picked_range_shows_a_warning(run_app):
    at = run_range(run_app)
    at.selectbox[0].set_value("custom").run()
    at.date_input[0].set_value((date(2025, 3, 10),)).run()
    assert at.session_state["range"] is None
    assert [w.value for w in at.warning] == ["Pick an end date to complete the range."]
    assert not at.error


def test_range_longer_than_two_years_shows_an_error(run_app):
    at = run_range(run_app, custom("2022-01-01", "2025-01-01"))
    assert at.session_state["range"] is None
    assert [e.value for e in at.error] == ["Pick a range of at most two years."]


def test_widget_follows_a_url_changed_from_outside(run_app):
    """The browser's back button or a link changes the URL of a running session: the URL wins."""
    at = run_range(run_app)
    at.selectbox[0].set_value("7d").run()
    at.query_params = {"orders_period": "90d"}
    at.run()
    assert at.selectbox[0].value == "90d"
    assert at.session_state["range"] == ["2024-12-16", "2025-03-15"]
    # and the user's next choice still sticks
    at.selectbox[0].set_value("today").run()
    assert at.session_state["range"] == ["2025-03-15", "2025-03-15"]


@pytest.mark.parametrize("default", ["custom", "1y"])
def test_default_must_be_a_fixed_preset(default):
    with pytest.raises(ValueError, match="default"):
        date_range_filter("orders", "UTC", default)


def status_app():
    import streamlit as st

    from components.filters import multiselect_filter

    st.session_state["statuses"] = multiselect_filter(
        "Status", ["new", "confirmed", "on hold", "Fruit, vegetables"], key="status"
    )


def test_multiselect_reads_the_url_and_drops_unknown_values(run_app):
    at = run_app(status_app, {"status": "new,bogus,confirmed,new"})
    assert not at.exception
    assert at.session_state["statuses"] == ["new", "confirmed"]
    assert at.query_params == {"status": "new,confirmed"}


def test_multiselect_writes_the_url(run_app):
    at = run_app(status_app)
    assert at.session_state["statuses"] == []
    assert at.query_params == {}
    at.multiselect[0].set_value(["on hold", "Fruit, vegetables"]).run()
    assert at.session_state["statuses"] == ["on hold", "Fruit, vegetables"]
    assert at.query_params == {"status": "on hold,Fruit%2C vegetables"}
    # a fresh session opened on that URL shows the same selection
    again = run_app(status_app, dict(at.query_params))
    assert again.session_state["statuses"] == ["on hold", "Fruit, vegetables"]
    at.multiselect[0].set_value([]).run()
    assert at.query_params == {}


def search_app():
    import streamlit as st

    from components.filters import text_search

    st.session_state["search"] = text_search("Customer", key="q")


def test_text_search_round_trip(run_app):
    at = run_app(search_app, {"q": "  pizza   hut "})
    assert at.session_state["search"] == "pizza hut"
    assert at.query_params == {"q": "pizza hut"}
    at.text_input[0].input("50% off_").run()
    assert at.session_state["search"] == "50% off_"
    assert at.query_params == {"q": "50% off_"}
    at.text_input[0].input("   ").run()
    assert at.session_state["search"] == ""
    assert at.query_params == {}


def test_text_search_limits_url_text(run_app):
    at = run_app(search_app, {"q": "x" * 300})
    assert at.session_state["search"] == "x" * 200
    assert at.text_input[0].max_chars == 200


def page_app(today_iso: str):
    from datetime import date

    import pandas as pd
    import streamlit as st

    from components.filters import date_range_filter, multiselect_filter, text_search
    from components.tables import data_table, paginator

    rng = date_range_filter("orders", "UTC", today=date.fromisoformat(today_iso))
    statuses = multiselect_filter("Status", ["new", "confirmed"], key="status")
    search = text_search("Search", key="q")
    limit, offset = paginator(95, 20, "orders")
    data_table(pd.DataFrame({"n": range(offset, offset + limit)}), "orders", export_name="orders")
    st.session_state["state"] = [rng and rng.start.isoformat(), statuses, search, offset]


def test_components_sharing_a_key_on_one_page_keep_their_own_state(run_app):
    at = run_app(page_app, today_iso=TODAY.isoformat())
    assert not at.exception
    at.selectbox[0].set_value("7d").run()
    at.get("pagination")[0].set_value(3).run()
    at.multiselect[0].set_value(["confirmed"]).run()
    at.text_input[0].input("rice").run()
    assert at.session_state["state"] == ["2025-03-09", ["confirmed"], "rice", 40]
    assert at.selectbox[0].value == "7d"
    assert at.query_params == {"orders_period": "7d", "orders_page": "3", "status": "confirmed", "q": "rice"}
    # the same URL opened in a new session shows the same view
    again = run_app(page_app, dict(at.query_params), today_iso=TODAY.isoformat())
    assert again.session_state["state"] == ["2025-03-09", ["confirmed"], "rice", 40]
