"""Filter logic shared by pages and queries: date-range presets, range validation, search text.

Pure functions, no Streamlit: components.filters renders the widgets, this module decides what they mean.
Dates are calendar days in the distributor's timezone; Period.bounds() turns them into the instants SQL
compares with (`created_at >= :t0 and created_at < :t1`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core import clock

# Preset id -> label. The ids appear in URLs (`?orders_period=7d`), so they are part of the interface.
PRESETS: dict[str, str] = {
    "today": "Today",
    "7d": "Last 7 days",
    "30d": "Last 30 days",
    "90d": "Last 90 days",
    "month": "This month",
    "custom": "Custom range",
}
_TRAILING_DAYS = {"today": 1, "7d": 7, "30d": 30, "90d": 90}

# Two calendar years, leap day included: 1 Jan 2024 – 31 Dec 2025 is allowed, one more day is not.
# Longer ranges are refused: day-bucketed charts and scans of that size are not what the console is for.
MAX_RANGE_DAYS = 731
SEARCH_MAX_CHARS = 200


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar days, start <= end: the one shape of a period from the filter bar to
    the SQL bounds."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"Period start {self.start} is after end {self.end}")

    @property
    def days(self) -> int:
        """Number of days in the range, both ends included (a single day is 1)."""
        return (self.end - self.start).days + 1

    @property
    def end_exclusive(self) -> date:
        """The day after `end`: the period is [start, end_exclusive) in local days."""
        return self.end + timedelta(days=1)

    def bounds(self, tz: str) -> tuple[datetime, datetime]:
        """Returns (t0, t1): the local midnights starting `start` and ending `end` in time zone `tz`, as aware
        instants for half-open SQL bounds. The only place that knows local midnights and DST: a midnight a
        DST change skips is read with the offset before the change, as PostgreSQL's AT TIME ZONE reads it."""
        zone = ZoneInfo(tz)
        # in UTC: an aware datetime inside a skipped hour never compares equal to one of another zone (PEP 495)
        return tuple(datetime.combine(day, time(), zone).astimezone(UTC) for day in (self.start, self.end_exclusive))

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


def today_in(tz: str, now: datetime | None = None) -> date:
    """The calendar date in timezone `tz` at `now` (an aware datetime; default: the business clock's current instant).

    Raises ValueError for an unknown timezone name or a naive `now`."""
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"Unknown timezone {tz!r}") from exc
    if now is None:
        return clock.now().astimezone(zone).date()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(zone).date()


def preset_range(preset: str, today: date) -> Period:
    """The range a preset id covers when the distributor's local date is `today` (ranges end today).

    Raises ValueError for "custom" or an unknown id."""
    if preset == "month":
        return Period(today.replace(day=1), today)
    if preset in _TRAILING_DAYS:
        return Period(today - timedelta(days=_TRAILING_DAYS[preset] - 1), today)
    raise ValueError(f"{preset!r} is not a preset with fixed dates")


def range_error(start: date | None, end: date | None) -> str | None:
    """A message telling the user what is wrong with a picked range, or None when it is usable."""
    if start is None and end is None:
        return "Pick a start and an end date."
    if start is None or end is None:
        return "Pick an end date to complete the range."
    if start > end:
        return f"The start date ({start.isoformat()}) is after the end date ({end.isoformat()}). Swap them."
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        return "Pick a range of at most two years."
    return None


def parse_iso_date(text: str | None) -> date | None:
    """The date in a `YYYY-MM-DD` string, or None when the text is missing or not such a date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def clean_search(text: str | None) -> str:
    """Search text safe to bind: control characters (NUL is refused by PostgreSQL) replaced by spaces,
    whitespace collapsed, at most SEARCH_MAX_CHARS characters. "" when nothing is left."""
    if not text:
        return ""
    visible = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return " ".join(visible.split())[:SEARCH_MAX_CHARS].strip()


def like_pattern(text: str) -> str:
    """An ILIKE pattern matching values that contain `text` literally.

    Use it as `column ILIKE :pattern ESCAPE '\\'`: backslash, % and _ in the text are escaped so the user's
    characters never act as wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def join_list(values: list[str]) -> str:
    """Values as one comma-separated query-param string; a comma or % inside a value is percent-encoded."""
    return ",".join(v.replace("%", "%25").replace(",", "%2C") for v in values)


def split_list(text: str | None) -> list[str]:
    """The values join_list() encoded, empty items dropped."""
    if not text:
        return []
    return [unquote(item) for item in text.split(",") if item]
