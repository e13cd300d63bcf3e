"""components.kpis: number formatting, the change against the previous period, and the rendered row."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from components.kpis import delta_label, format_value, percent_change


@pytest.mark.parametrize(
    ("value", "fmt", "currency", "shown"),
    [
        (1234, "int", "USD", "1,234"),
        (1234.5, "int", "USD", "1,235"),  # half up, not half to even
        (2.5, "int", "USD", "3"),
        (0, "int", "USD", "0"),
        (-1234567, "int", "USD", "-1,234,567"),
        (123456, "money", "EUR", "€1,234.56"),
        (123456, "money", "USD", "$1,234.56"),
        (123456, "money", "BRL", "R$1,234.56"),
        (123456, "money", "MXN", "MX$1,234.56"),
        (123456, "money", "CHF", "1,234.56 CHF"),
        (123456, "money", "gbp", "1,234.56 GBP"),
        (5, "money", "USD", "$0.05"),
        (-2550, "money", "EUR", "-€25.50"),
        (12345678901, "money", "BRL", "R$123.5M"),
        (91358000000, "money", "COP", "913.6M COP"),
        (74700000, "money", "COP", "747.0K COP"),
        (9999999, "money", "USD", "$99,999.99"),
        (250000000000, "money", "USD", "$2.5B"),
        (45, "duration", "USD", "45 s"),
        (275.4, "duration", "USD", "4.6 min"),
        (8280, "duration", "USD", "2.3 h"),
        (129600, "duration", "USD", "1.5 d"),
        (None, "duration", "USD", "—"),
        (0.425, "pct", "USD", "42.5%"),
        (1, "pct", "USD", "100.0%"),
        (0.00049, "pct", "USD", "0.0%"),
        (0.0005, "pct", "USD", "0.1%"),
        (123456.7, "usd_cents", "USD", "$1,234.57"),
        (Decimal("250"), "usd_cents", "USD", "$2.50"),
        (Decimal("4.2"), "usd_cents", "USD", "$0.0420"),
        (Decimal("0.0420"), "usd_cents", "USD", "$0.0004"),
        (Decimal("0.004"), "usd_cents", "USD", "<$0.0001"),
        (0, "usd_cents", "USD", "$0.00"),
        (850.4, "ms", "USD", "850 ms"),
        (999.4, "ms", "USD", "999 ms"),
        (1250, "ms", "USD", "1.25 s"),
        (61234, "ms", "USD", "61.23 s"),
        (0.125, "float", "USD", "0.13"),
        (1234.5, "float", "USD", "1,234.50"),
        (None, "money", "EUR", "—"),
        (float("nan"), "int", "USD", "—"),
        (pd.NA, "pct", "USD", "—"),
        (float("inf"), "float", "USD", "—"),
    ],
)
def test_format_value(value, fmt, currency, shown):
    assert format_value(value, fmt, currency) == shown


def test_format_value_rejects_an_unknown_format():
    with pytest.raises(ValueError, match="Unknown format"):
        format_value(1, "eur", "EUR")


@pytest.mark.parametrize(
    ("value", "previous", "change", "label"),
    [
        (110, 100, 10.0, "+10.0%"),
        (90, 100, -10.0, "-10.0%"),
        (100, 100, 0.0, "0.0%"),
        (100.04, 100, 0.04, "0.0%"),
        (2, 3, -100 / 3, "-33.3%"),
        (300, 100, 200.0, "+200.0%"),
        (25000, 1000, 2400.0, "+2,400.0%"),
        (-50, -100, 50.0, "+50.0%"),  # a loss halved is an improvement
        (5, 0, None, "n/a"),
        (5, None, None, "n/a"),
        (None, 5, None, "n/a"),
        (Decimal("1.5"), Decimal("1.2"), 25.0, "+25.0%"),
    ],
)
def test_change_against_previous(value, previous, change, label):
    if change is None:
        assert percent_change(value, previous) is None
    else:
        assert percent_change(value, previous) == pytest.approx(change)
    assert delta_label(value, previous) == label


def kpi_app():
    from components.kpis import Kpi, kpi_row

    kpi_row(
        [
            Kpi("Orders", 1234, "int", previous=1000),
            Kpi("Revenue", 987654, "money", previous=1000000, currency="EUR", help="Confirmed orders"),
            Kpi("AI cost", 1250.5, "usd_cents", previous=1000, inverse=True),
            Kpi("Handled by AI", 0.5, "pct", previous=0),
            Kpi("Open alerts", 3, compare=False),
        ]
    )


def test_kpi_row_renders_formatted_values_and_changes(run_app):
    at = run_app(kpi_app)
    assert not at.exception
    assert len(at.columns) == 5
    shown = [(m.label, m.value, m.proto.delta) for m in at.metric]
    assert shown == [
        ("Orders", "1,234", "+23.4%"),
        ("Revenue", "€9,876.54", "-1.2%"),
        ("AI cost", "$12.51", "+25.1%"),
        ("Handled by AI", "50.0%", "n/a"),
        ("Open alerts", "3", ""),
    ]
    assert at.metric[1].proto.help == "Confirmed orders"
    assert at.metric[0].proto.delta_description == "vs previous period"


def test_kpi_row_colours(run_app):
    from streamlit.proto.Metric_pb2 import Metric

    at = run_app(kpi_app)
    colors = [m.proto.color for m in at.metric]
    directions = [m.proto.direction for m in at.metric]
    # more orders is good (green, up); less revenue is bad (red, down); more AI cost is bad (inverse: red, up)
    color, direction = Metric.MetricColor, Metric.MetricDirection
    assert colors[:3] == [color.GREEN, color.RED, color.RED]
    assert directions[:3] == [direction.UP, direction.DOWN, direction.UP]
    # "n/a" is neither good nor bad
    assert colors[3] == color.GRAY
    assert directions[3] == direction.NONE


def test_empty_kpi_row_renders_nothing(run_app):
    def app():
        from components.kpis import kpi_row

        kpi_row([])

    at = run_app(app)
    assert not at.exception
    assert len(at.metric) == 0
