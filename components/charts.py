"""Plotly chart builders: pure functions DataFrame -> go.Figure, all drawn with the "ordersight" template.

Pages show them with `st.plotly_chart(fig)`; its default theme="streamlit" adapts fonts and backgrounds to
the light or dark app theme and keeps this template's colours, margins and hover. An empty DataFrame gives
a figure that says so instead of empty axes. `labels` maps column names to axis / legend titles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import plotly.io as pio
from plotly.subplots import make_subplots

from components.text import plain_chart_text

TEMPLATE = "ordersight"
EMPTY_MESSAGE = "No data for this period"
# Starts with the app's primaryColor (.streamlit/config.toml); hues far apart so stacked series stay distinct
COLORWAY = [
    "#2563EB", "#F97316", "#10B981", "#A855F7", "#EF4444",
    "#14B8A6", "#EAB308", "#64748B", "#EC4899", "#0EA5E9",
]
_GRID = "rgba(128, 128, 128, 0.2)"  # reads on light and dark backgrounds


def _register_template() -> None:
    if TEMPLATE in pio.templates:
        return
    pio.templates[TEMPLATE] = go.layout.Template(
        layout=go.Layout(
            font={"family": "Inter, 'Source Sans Pro', sans-serif", "size": 13},
            colorway=COLORWAY,
            title={"x": 0, "xanchor": "left"},
            margin={"t": 56, "b": 40, "l": 8, "r": 8},
            # Transparent: the app's background shows through in light and dark mode
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            hovermode="x unified",
            hoverlabel={"namelength": -1},
            legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
            xaxis={"showgrid": False, "automargin": True},
            yaxis={"gridcolor": _GRID, "zeroline": False, "automargin": True},
        )
    )


_register_template()


def empty_figure(title: str | None = None, message: str = EMPTY_MESSAGE) -> go.Figure:
    """A figure with no axes and `message` in the middle."""
    fig = go.Figure(layout={"template": TEMPLATE, "title": {"text": title}})
    fig.add_annotation(
        text=message, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 15}
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _is_empty(df: pd.DataFrame | None) -> bool:
    return df is None or df.empty


def _px_args(labels: Mapping[str, str] | None) -> dict:
    # The template goes to plotly express itself: it gives each trace its colour from the template's colorway
    return {"labels": dict(labels or {}), "template": TEMPLATE}


def _finish(fig: go.Figure, title: str | None) -> go.Figure:
    fig.update_layout(template=TEMPLATE, title={"text": title})
    return fig


def line_chart(
    df: pd.DataFrame, x: str, y: str | Sequence[str], color: str | None = None, title: str | None = None,
    *, labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One line per `color` group (or per column when `y` is a list), points sorted by x."""
    if _is_empty(df):
        return empty_figure(title)
    df = plain_chart_text(df)
    data = df.sort_values(x, kind="stable")
    fig = px.line(data, x=x, y=y, color=color, **_px_args(labels), markers=len(data) < 40)
    return _finish(fig, title)


def area_chart(
    df: pd.DataFrame, x: str, y: str | Sequence[str], color: str | None = None, title: str | None = None,
    *, labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Stacked areas, one per `color` group (or per column when `y` is a list), sorted by x."""
    if _is_empty(df):
        return empty_figure(title)
    df = plain_chart_text(df)
    data = df.sort_values(x, kind="stable")
    fig = px.area(data, x=x, y=y, color=color, **_px_args(labels))
    return _finish(fig, title)


def bar_chart(
    df: pd.DataFrame, x: str, y: str | Sequence[str], color: str | None = None, stacked: bool = True,
    horizontal: bool = False, title: str | None = None, *, labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Bars of `y` per `x` category; groups of `color` stacked or side by side. Horizontal bars keep the
    DataFrame's row order from top to bottom (a top-N list reads from the first row)."""
    if _is_empty(df):
        return empty_figure(title)
    df = plain_chart_text(df)
    if horizontal:
        fig = px.bar(df, x=y, y=x, color=color, orientation="h", **_px_args(labels))
        fig.update_yaxes(autorange="reversed")
        fig.update_layout(hovermode="y unified")
    else:
        fig = px.bar(df, x=x, y=y, color=color, **_px_args(labels))
    fig.update_layout(barmode="stack" if stacked else "group")
    return _finish(fig, title)


def donut_chart(df: pd.DataFrame, names: str, values: str, title: str | None = None) -> go.Figure:
    """Shares of `values` per `names`, in the DataFrame's order."""
    if _is_empty(df):
        return empty_figure(title)
    df = plain_chart_text(df)
    fig = go.Figure(
        go.Pie(
            labels=df[names], values=df[values], hole=0.55, sort=False, textinfo="percent",
            hovertemplate="%{label}: %{value:,} (%{percent})<extra></extra>",
        )
    )
    fig = _finish(fig, title)
    # donuts sit in narrow columns: a legend above would wrap into the title, so it goes below
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": -0.05, "xanchor": "center", "x": 0.5})
    return fig


def dual_axis_chart(
    df: pd.DataFrame, x: str, y_bar: str, y_line: str, title: str | None = None,
    *, labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """Bars of `y_bar` on the left axis and a line of `y_line` on the right axis, sorted by x
    (e.g. orders per day and their average value)."""
    if _is_empty(df):
        return empty_figure(title)
    df = plain_chart_text(df)
    names = dict(labels or {})
    data = df.sort_values(x, kind="stable")
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Bar(x=data[x], y=data[y_bar], name=names.get(y_bar, y_bar)), secondary_y=False)
    fig.add_trace(
        go.Scatter(x=data[x], y=data[y_line], name=names.get(y_line, y_line), mode="lines+markers"),
        secondary_y=True,
    )
    fig.update_xaxes(title_text=names.get(x, x))
    # counts and amounts start at zero on both axes, never at a negative tick
    fig.update_yaxes(title_text=names.get(y_bar, y_bar), secondary_y=False, rangemode="tozero")
    # The right axis has its own scale: its grid would not line up with the left one
    fig.update_yaxes(title_text=names.get(y_line, y_line), secondary_y=True, showgrid=False,
                     rangemode="tozero")
    return _finish(fig, title)


def scatter_chart(
    df: pd.DataFrame, x: str, y: str, size: str | None = None, text: str | None = None,
    title: str | None = None, *, labels: Mapping[str, str] | None = None,
) -> go.Figure:
    """One point per row; `size` scales the markers, `text` labels each point and titles its hover."""
    if _is_empty(df):
        return empty_figure(title)
    df = plain_chart_text(df)
    fig = px.scatter(df, x=x, y=y, size=size, text=text, hover_name=text, **_px_args(labels))
    if text:
        fig.update_traces(textposition="top center")
    fig.update_layout(hovermode="closest")
    return _finish(fig, title)
