"""components.charts: the data each builder puts in its traces, the template, and empty figures."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.io as pio
import pytest

from components.charts import (
    COLORWAY,
    EMPTY_MESSAGE,
    TEMPLATE,
    area_chart,
    bar_chart,
    donut_chart,
    dual_axis_chart,
    line_chart,
    scatter_chart,
)

D1, D2, D3 = date(2025, 3, 1), date(2025, 3, 2), date(2025, 3, 3)


@pytest.fixture
def daily() -> pd.DataFrame:
    """Orders per day and channel, rows deliberately out of date order."""
    return pd.DataFrame(
        {
            "day": [D2, D1, D3, D1, D2, D3],
            "channel": ["whatsapp", "whatsapp", "whatsapp", "email", "email", "email"],
            "orders": [20, 10, 30, 1, 2, 3],
        }
    )


def xy(trace) -> tuple[list, list]:
    return list(trace.x), [float(v) for v in trace.y]


def test_template_is_registered_once_with_our_colours():
    assert TEMPLATE in pio.templates
    layout = pio.templates[TEMPLATE].layout
    assert list(layout.colorway) == COLORWAY
    assert layout.hovermode == "x unified"
    assert (layout.margin.t, layout.margin.l) == (56, 8)


def test_line_chart_one_sorted_line_per_group(daily):
    fig = line_chart(daily, "day", "orders", color="channel", title="Orders per day")
    assert len(fig.data) == 2
    by_name = {t.name: t for t in fig.data}
    assert xy(by_name["whatsapp"]) == ([D1, D2, D3], [10, 20, 30])
    assert xy(by_name["email"]) == ([D1, D2, D3], [1, 2, 3])
    assert fig.layout.title.text == "Orders per day"
    # colours come from our colorway, in order of appearance
    assert [t.line.color for t in fig.data] == COLORWAY[:2]
    assert fig.layout.template.layout.colorway == tuple(COLORWAY)


def test_line_chart_with_several_columns():
    df = pd.DataFrame({"day": [D2, D1], "orders": [5, 4], "drafts": [7, 6]})
    fig = line_chart(df, "day", ["orders", "drafts"], labels={"day": "Day"})
    assert [t.name for t in fig.data] == ["orders", "drafts"]
    assert xy(fig.data[0]) == ([D1, D2], [4, 5])
    assert xy(fig.data[1]) == ([D1, D2], [6, 7])
    assert fig.layout.xaxis.title.text == "Day"


def test_area_chart_stacks_groups(daily):
    fig = area_chart(daily, "day", "orders", color="channel")
    assert len(fig.data) == 2
    assert {t.stackgroup for t in fig.data} == {"1"}
    assert xy(fig.data[0]) == ([D1, D2, D3], [10, 20, 30])


def test_bar_chart_stacked_and_grouped(daily):
    stacked = bar_chart(daily, "day", "orders", color="channel")
    assert stacked.layout.barmode == "stack"
    assert len(stacked.data) == 2
    assert sum(sum(t.y) for t in stacked.data) == 66
    grouped = bar_chart(daily, "day", "orders", color="channel", stacked=False)
    assert grouped.layout.barmode == "group"


def test_bar_chart_with_several_columns_stacks_them():
    df = pd.DataFrame({"day": [D1, D2], "AI": [5, 6], "Manual": [1, 2]})
    fig = bar_chart(df, "day", ["AI", "Manual"], labels={"value": "Orders", "variable": "Source"})
    assert [t.name for t in fig.data] == ["AI", "Manual"]
    assert xy(fig.data[0]) == ([D1, D2], [5, 6])
    assert xy(fig.data[1]) == ([D1, D2], [1, 2])
    assert fig.layout.barmode == "stack"
    assert fig.layout.yaxis.title.text == "Orders"
    assert fig.layout.legend.title.text == "Source"


def test_horizontal_bar_chart_keeps_row_order_top_down():
    top = pd.DataFrame({"product": ["Rice 5kg", "Beans 1kg", "Oil 900ml"], "revenue": [900.0, 500.0, 120.0]})
    fig = bar_chart(top, "product", "revenue", horizontal=True, title="Top products")
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert bar.orientation == "h"
    assert list(bar.y) == ["Rice 5kg", "Beans 1kg", "Oil 900ml"]
    assert [float(v) for v in bar.x] == [900.0, 500.0, 120.0]
    assert fig.layout.yaxis.autorange == "reversed"
    assert fig.layout.title.text == "Top products"


def test_donut_chart():
    shares = pd.DataFrame({"status": ["approved", "edited", "rejected"], "n": [70, 20, 10]})
    fig = donut_chart(shares, "status", "n", title="AI suggestions")
    assert len(fig.data) == 1
    pie = fig.data[0]
    assert pie.type == "pie"
    assert list(pie.labels) == ["approved", "edited", "rejected"]
    assert list(pie.values) == [70, 20, 10]
    assert pie.hole == 0.55
    assert pie.sort is False


def test_dual_axis_chart():
    df = pd.DataFrame({"day": [D2, D1], "orders": [4, 2], "avg_ticket": [55.5, 40.0]})
    fig = dual_axis_chart(df, "day", "orders", "avg_ticket", labels={"avg_ticket": "Average ticket"})
    assert [t.type for t in fig.data] == ["bar", "scatter"]
    bars, line = fig.data
    assert xy(bars) == ([D1, D2], [2, 4])
    assert xy(line) == ([D1, D2], [40.0, 55.5])
    assert (bars.yaxis, line.yaxis) == ("y", "y2")
    assert fig.layout.yaxis2.overlaying == "y"
    assert fig.layout.yaxis2.side == "right"
    assert line.name == "Average ticket"
    assert fig.layout.yaxis2.title.text == "Average ticket"
    assert fig.layout.yaxis.title.text == "orders"


def test_scatter_chart():
    df = pd.DataFrame({"orders": [3, 8], "revenue": [120.0, 400.0], "customer": ["Ana", "Bruno"]})
    fig = scatter_chart(df, "orders", "revenue", size="orders", text="customer")
    assert len(fig.data) == 1
    point = fig.data[0]
    assert xy(point) == ([3, 8], [120.0, 400.0])
    assert list(point.text) == ["Ana", "Bruno"]
    assert list(point.marker.size) == [3, 8]
    assert point.textposition == "top center"
    assert fig.layout.hovermode == "closest"


EMPTY = pd.DataFrame({"day": [], "orders": [], "channel": [], "avg_ticket": []})


@pytest.mark.parametrize(
    "build",
    [
        lambda df: line_chart(df, "day", "orders", "channel", "Empty"),
        lambda df: area_chart(df, "day", "orders", title="Empty"),
        lambda df: bar_chart(df, "day", "orders", title="Empty"),
        lambda df: bar_chart(df, "day", "orders", horizontal=True, title="Empty"),
        lambda df: donut_chart(df, "channel", "orders", "Empty"),
        lambda df: dual_axis_chart(df, "day", "orders", "avg_ticket", "Empty"),
        lambda df: scatter_chart(df, "day", "orders", title="Empty"),
    ],
)
def test_empty_data_gives_a_figure_that_says_so(build):
    fig = build(EMPTY)
    assert len(fig.data) == 0
    assert [a.text for a in fig.layout.annotations] == [EMPTY_MESSAGE]
    assert fig.layout.title.text == "Empty"
    assert fig.layout.xaxis.visible is False
    assert fig.layout.template.layout.colorway == tuple(COLORWAY)


def test_builders_do_not_modify_the_caller_dataframe(daily):
    before = daily.copy()
    line_chart(daily, "day", "orders", "channel")
    dual_axis_chart(daily, "day", "orders", "orders")
    pd.testing.assert_frame_equal(daily, before)


def test_chart_labels_show_names_as_written():
    # issue 12, finding 3: Plotly renders <a href> and <span style> in tick labels, legends and hovers
    import pandas as pd

    from components.charts import bar_chart, donut_chart

    df = pd.DataFrame({"customer": ['<a href="http://evil.test">Bar</a>', "Tom & Jerry"], "revenue": [3, 2]})
    bars = bar_chart(df, "customer", "revenue", horizontal=True)
    assert list(bars.data[0].y) == ['&lt;a href="http://evil.test"&gt;Bar&lt;/a&gt;', "Tom &amp; Jerry"]
    donut = donut_chart(df, "customer", "revenue")
    assert "<a" not in "".join(donut.data[0].labels)
    assert list(df["customer"])[0].startswith("<a")  # the caller's frame is left alone
