"""core.filters: presets, ranges, search text and ILIKE patterns."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from core.filters import (
    MAX_RANGE_DAYS,
    Period,
    clean_search,
    join_list,
    like_pattern,
    parse_iso_date,
    preset_range,
    range_error,
    split_list,
    today_in,
)


@pytest.mark.parametrize(
    ("preset", "today", "start", "end"),
    [
        ("today", date(2025, 3, 15), date(2025, 3, 15), date(2025, 3, 15)),
        ("7d", date(2025, 3, 15), date(2025, 3, 9), date(2025, 3, 15)),
        ("30d", date(2025, 3, 15), date(2025, 2, 14), date(2025, 3, 15)),
        ("90d", date(2025, 3, 15), date(2024, 12, 16), date(2025, 3, 15)),
        ("month", date(2025, 3, 15), date(2025, 3, 1), date(2025, 3, 15)),
        # first day of the month: "this month" is that single day
        ("month", date(2025, 3, 1), date(2025, 3, 1), date(2025, 3, 1)),
        # 2024 is a leap year: 30 days back from 1 March starts on 1 February (29 + 1 days)
        ("30d", date(2024, 3, 1), date(2024, 2, 1), date(2024, 3, 1)),
        ("7d", date(2025, 1, 3), date(2024, 12, 28), date(2025, 1, 3)),
    ],
)
def test_preset_range(preset, today, start, end):
    assert preset_range(preset, today) == Period(start, end)


@pytest.mark.parametrize(("preset", "days"), [("today", 1), ("7d", 7), ("30d", 30), ("90d", 90)])
def test_trailing_presets_have_their_length(preset, days):
    assert preset_range(preset, date(2025, 3, 15)).days == days


@pytest.mark.parametrize("preset", ["custom", "1y", ""])
def test_preset_range_refuses_non_presets(preset):
    with pytest.raises(ValueError):
        preset_range(preset, date(2025, 3, 15))


# 02:30 UTC on 1 March 2025: still 28 February in the Americas, already 1 March in Europe and Asia
MONTH_START_UTC = datetime(2025, 3, 1, 2, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("tz", "local_date", "month_start", "month_days"),
    [
        ("America/Sao_Paulo", date(2025, 2, 28), date(2025, 2, 1), 28),
        ("America/Mexico_City", date(2025, 2, 28), date(2025, 2, 1), 28),
        ("Europe/Berlin", date(2025, 3, 1), date(2025, 3, 1), 1),
        ("Asia/Tokyo", date(2025, 3, 1), date(2025, 3, 1), 1),
        ("UTC", date(2025, 3, 1), date(2025, 3, 1), 1),
    ],
)
def test_today_and_this_month_depend_on_the_timezone(tz, local_date, month_start, month_days):
    today = today_in(tz, MONTH_START_UTC)
    assert today == local_date
    month = preset_range("month", today)
    assert (month.start, month.end, month.days) == (month_start, local_date, month_days)


def test_today_in_rejects_unknown_timezone_and_naive_now():
    with pytest.raises(ValueError, match="Unknown timezone"):
        today_in("Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="aware"):
        today_in("UTC", datetime(2025, 3, 1, 12, 0))


def test_date_range_days_and_exclusive_end():
    rng = Period(date(2025, 3, 1), date(2025, 3, 15))
    assert rng.days == 15
    assert rng.end_exclusive == date(2025, 3, 16)
    assert Period(date(2025, 3, 1), date(2025, 3, 1)).days == 1


@pytest.mark.parametrize(
    ("start", "end", "prev_start", "prev_end"),
    [
        (date(2025, 3, 1), date(2025, 3, 15), date(2025, 2, 14), date(2025, 2, 28)),
        (date(2025, 3, 1), date(2025, 3, 1), date(2025, 2, 28), date(2025, 2, 28)),
        # all of March (31 days) is compared with the 31 days before it, not with February
        (date(2025, 3, 1), date(2025, 3, 31), date(2025, 1, 29), date(2025, 2, 28)),
        (date(2025, 1, 1), date(2025, 1, 7), date(2024, 12, 25), date(2024, 12, 31)),
    ],
)
def test_previous_is_the_same_length_just_before(start, end, prev_start, prev_end):
    rng = Period(start, end)
    previous = rng.previous()
    assert previous == Period(prev_start, prev_end)
    assert previous.days == rng.days


def test_date_range_cannot_be_reversed():
    with pytest.raises(ValueError):
        Period(date(2025, 3, 2), date(2025, 3, 1))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (None, None, "Pick a start and an end date."),
        (date(2025, 3, 1), None, "Pick an end date to complete the range."),
        (None, date(2025, 3, 1), "Pick an end date to complete the range."),
        (
            date(2025, 3, 10),
            date(2025, 3, 1),
            "The start date (2025-03-10) is after the end date (2025-03-01). Swap them.",
        ),
        # 1 Jan 2024 – 1 Jan 2026 is 732 days, one more than two years
        (date(2024, 1, 1), date(2026, 1, 1), "Pick a range of at most two years."),
        (date(2020, 1, 1), date(2025, 1, 1), "Pick a range of at most two years."),
    ],
)
def test_range_error_messages(start, end, message):
    assert range_error(start, end) == message


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 3, 1), date(2025, 3, 1)),
        (date(2025, 3, 1), date(2025, 3, 2)),
        # exactly two calendar years including the leap day: 366 + 365 = 731 days
        (date(2024, 1, 1), date(2025, 12, 31)),
    ],
)
def test_range_error_accepts_usable_ranges(start, end):
    assert range_error(start, end) is None


def test_two_years_is_731_days():
    assert MAX_RANGE_DAYS == 731
    assert Period(date(2024, 1, 1), date(2025, 12, 31)).days == 731


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [("2025-03-15", date(2025, 3, 15)), (" 2025-03-15 ", date(2025, 3, 15)), ("2025-02-30", None),
     ("15/03/2025", None), ("", None), (None, None), ("tomorrow", None)],
)
def test_parse_iso_date(raw, parsed):
    assert parse_iso_date(raw) == parsed


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  hello   world  ", "hello world"),
        ("\x00abc\n\tdef\r", "abc def"),  # NUL would be refused by PostgreSQL
        ("São Paulo 🍕", "São Paulo 🍕"),
        ("O'Brien", "O'Brien"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_clean_search(raw, cleaned):
    assert clean_search(raw) == cleaned


def test_clean_search_limits_length():
    assert clean_search("x" * 500) == "x" * 200
    # cut at 200 characters, then the trailing space is dropped
    assert clean_search("a" * 199 + " bcd") == "a" * 199


@pytest.mark.parametrize(
    ("raw", "pattern"),
    [
        ("pizza", "%pizza%"),
        ("50%", "%50\\%%"),
        ("a_b", "%a\\_b%"),
        ("C:\\temp", "%C:\\\\temp%"),
        ("\\%_", "%\\\\\\%\\_%"),
        ("O'Brien \"Jr\"", "%O'Brien \"Jr\"%"),  # quotes are harmless in a bound parameter
        ("🍕 x", "%🍕 x%"),
        ("'; DROP TABLE orders; --", "%'; DROP TABLE orders; --%"),
        ("", "%%"),
    ],
)
def test_like_pattern(raw, pattern):
    assert like_pattern(raw) == pattern


@pytest.mark.parametrize(
    ("needle", "haystack", "matches"),
    [
        ("50%", "save 50% now", True),
        ("50%", "save 500 now", False),  # an unescaped % would match any 50...
        ("a_b", "A_B code", True),  # ILIKE: case-insensitive
        ("a_b", "axb", False),  # an unescaped _ would match any character
        ("\\", "C:\\temp", True),
        ("\\", "C:/temp", False),
        ("O'Brien", "o'brien ltd", True),
        ("🍕", "pizza 🍕 margherita", True),
        ("🍕", "pizza margherita", False),
        ("'; drop table orders; --", "x'; DROP TABLE orders; --y", True),
        ("", "anything", True),
    ],
)
def test_like_pattern_in_postgresql(engine, needle, haystack, matches):
    with engine.connect() as conn:
        found = conn.execute(
            text("select :haystack ILIKE :pattern ESCAPE '\\'"),
            {"haystack": haystack, "pattern": like_pattern(needle)},
        ).scalar_one()
    assert found is matches


@pytest.mark.parametrize(
    ("values", "encoded"),
    [
        (["new", "confirmed"], "new,confirmed"),
        (["on hold"], "on hold"),
        (["Fruit, vegetables", "50%"], "Fruit%2C vegetables,50%25"),
        (["a%2Cb"], "a%252Cb"),
        ([], ""),
    ],
)
def test_join_and_split_list_round_trip(values, encoded):
    assert join_list(values) == encoded
    assert split_list(encoded) == values


def test_split_list_drops_empty_items():
    assert split_list("a,,b,") == ["a", "b"]
    assert split_list(None) == []


# Days a DST change touches, some where midnight itself is skipped or repeated (Santiago, Havana,
# São Paulo before 2019, Beirut): bounds() must give the instants PostgreSQL's AT TIME ZONE gave.
DST_DAYS = [("America/New_York", date(2027, 3, 14)), ("America/New_York", date(2026, 11, 1)),
            ("America/Santiago", date(2022, 9, 11)), ("America/Santiago", date(2023, 4, 2)),
            ("America/Sao_Paulo", date(2018, 11, 4)), ("America/Sao_Paulo", date(2019, 2, 17)),
            ("America/Havana", date(2024, 3, 10)), ("Asia/Beirut", date(2024, 3, 31)),
            ("America/Bogota", date(2026, 12, 31)), ("UTC", date(2024, 2, 29))]


@pytest.mark.parametrize(("tz", "day"), DST_DAYS)
def test_bounds_are_the_local_midnights_postgresql_computes(engine, tz, day):
    period = Period(day, day)
    with engine.connect() as conn:
        expected = conn.execute(text(
            "select cast(:s as date)::timestamp at time zone :tz, (cast(:e as date) + 1)::timestamp at time zone :tz"),
            {"s": period.start, "e": period.end, "tz": tz}).one()
    assert period.bounds(tz) == tuple(expected)
    assert period.previous().bounds(tz)[1] == period.bounds(tz)[0]
