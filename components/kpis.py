"""KPI row: one st.metric per figure, with the change against the previous period.

Number formatting lives in pure functions (format_value, delta_label) so it is tested without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import pandas as pd
import streamlit as st

Fmt = Literal["int", "money", "pct", "usd_cents", "ms", "duration", "float"]
Number = int | float | Decimal

MISSING = "—"
# Currencies shown with a symbol before the amount; any other ISO code is written after it.
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "BRL": "R$", "MXN": "MX$"}


@dataclass(frozen=True)
class Kpi:
    """One figure of a KPI row.

    fmt: "int" (a count), "money" (integer cents of `currency`), "pct" (a ratio: 0.425 is 42.5 %),
    "usd_cents" (AI cost: numeric USD cents, fractions allowed), "ms" (milliseconds), "duration" (seconds,
    shown in the largest fitting unit), "float".
    previous: the same figure for the previous period; None or 0 shows the change as "n/a".
    inverse: lower is better (cost, latency, errors), so a fall is shown green.
    compare: False shows no change at all (a figure without a previous period, e.g. "open alerts").
    """

    label: str
    value: Number | None
    fmt: Fmt = "int"
    previous: Number | None = None
    currency: str = "USD"
    help: str | None = None
    inverse: bool = False
    compare: bool = True


def _decimal(value: object) -> Decimal | None:
    """The value as a finite Decimal, None when missing (None, NaN, pd.NA, infinity)."""
    if value is None or pd.isna(value):
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number if number.is_finite() else None


def _round(number: Decimal, places: int) -> Decimal:
    # Half-up, as people round money; Decimal's own formatting would round half-even
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _signed(number: Decimal, body: str) -> str:
    return f"-{body}" if number < 0 else body


def format_value(value: Number | None, fmt: Fmt, currency: str = "USD") -> str:
    """The value as shown to people: "1,234", "€1,234.56", "1,234.56 CHF", "42.5%", "$0.0042", "<$0.0001",
    "850 ms", "1.25 s"; "—" when the value is missing."""
    number = _decimal(value)
    if number is None:
        return MISSING
    if fmt == "int":
        return f"{_round(number, 0):,}"
    if fmt == "float":
        return f"{_round(number, 2):,}"
    if fmt == "pct":
        return f"{_round(number * 100, 1):,}%"
    if fmt == "money":
        amount = _money_amount(abs(number) / 100)
        symbol = CURRENCY_SYMBOLS.get(currency.upper())
        return _signed(number, f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}")
    if fmt == "usd_cents":
        dollars = abs(number) / 100
        # One AI call costs a fraction of a cent: small amounts keep four decimals so they do not read $0.00
        if 0 < dollars < Decimal("0.0001"):
            return _signed(number, "<$0.0001")
        places = 2 if dollars >= 1 or dollars == 0 else 4
        return _signed(number, f"${_round(dollars, places):,}")
    if fmt == "duration":
        return _signed(number, _duration(abs(number)))
    if fmt == "ms":
        millis = _round(number, 0)
        return f"{millis:,} ms" if abs(millis) < 1000 else f"{_round(number / 1000, 2):,} s"
    raise ValueError(f"Unknown format {fmt!r}")


# Large amounts are shortened so a KPI card still shows them whole (a month in pesos runs to hundreds of millions)
_COMPACT = ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(10) ** 5, "K"))


def _money_amount(major: Decimal) -> str:
    for size, suffix in _COMPACT:
        if major >= size:
            divisor = size if suffix != "K" else Decimal(1000)
            return f"{_round(major / divisor, 1):,}{suffix}"
    return f"{_round(major, 2):,}"


def _duration(seconds: Decimal) -> str:
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{_round(seconds / size, 1):,} {unit}"
    return f"{_round(seconds, 0):,} s"


def percent_change(value: Number | None, previous: Number | None) -> float | None:
    """(value - previous) / |previous| in percent; None when either is missing or previous is 0."""
    now, before = _decimal(value), _decimal(previous)
    if now is None or before is None or before == 0:
        return None
    return float((now - before) / abs(before) * 100)


def delta_label(value: Number | None, previous: Number | None) -> str:
    """The change as st.metric shows it: "+12.5%", "-4.0%", "0.0%", or "n/a" when it cannot be computed."""
    change = percent_change(value, previous)
    if change is None:
        return "n/a"
    rounded = _round(Decimal(str(change)), 1)
    if rounded == 0:
        return "0.0%"
    return f"{rounded:+,}%"


def kpi_row(items: list[Kpi]) -> None:
    """Renders the KPIs side by side, each with its change against the previous period."""
    if not items:
        return
    for column, kpi in zip(st.columns(len(items)), items, strict=True):
        delta = delta_label(kpi.value, kpi.previous) if kpi.compare else None
        # "n/a" and "0.0%" carry no direction: no arrow, no red or green
        neutral = delta in ("n/a", "0.0%")
        column.metric(
            kpi.label,
            format_value(kpi.value, kpi.fmt, kpi.currency),
            delta=delta,
            delta_color="off" if neutral else ("inverse" if kpi.inverse else "normal"),
            delta_arrow="off" if neutral else "auto",
            delta_description="vs previous period" if delta else None,
            help=kpi.help,
            border=True,
        )
