"""Time for one tenant: its local days, when its customers write, and conversions for COPY.

Times are int epoch seconds while generating (cheap to add and compare) and become aware datetimes
only when a row is written."""

from __future__ import annotations

import math
from bisect import bisect_right
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from random import Random
from zoneinfo import ZoneInfo

_from_timestamp = datetime.fromtimestamp
# Share of a day's messages per local hour: shops order in the morning and mid-afternoon.
_HOURS = (0, 0, 0, 0, 0, 0, 0.3, 1.0, 2.0, 2.0, 2.0, 1.3,
          1.0, 0.8, 1.5, 1.5, 1.4, 0.8, 0.5, 0.3, 0.15, 0, 0, 0)


def ts_dt(ts: int) -> datetime:
    """Returns the aware UTC datetime of epoch seconds `ts`."""
    return _from_timestamp(ts, UTC)


class Clock:
    """The tenant's `days` local days ending with the one that contains `end`."""

    def __init__(self, timezone: str, end: datetime, days: int):
        self.tz = ZoneInfo(timezone)
        self.end = int(end.timestamp())
        last = end.astimezone(self.tz).date()
        self.dates: list[date] = [last - timedelta(days=days - 1 - i) for i in range(days)]
        self.starts = [self.midnight(d) for d in self.dates] + [self.midnight(last + timedelta(days=1))]
        self.start = self.starts[0]
        self._hour_cum = list(accumulate(_HOURS))

    def midnight(self, d: date) -> int:
        return int(datetime.combine(d, time(0), self.tz).timestamp())

    def day_index(self, ts: int) -> int:
        """Returns the index of the local day containing ts (-1 before the period)."""
        return bisect_right(self.starts, ts) - 1

    def day_weights(self, rng: Random, weekdays: tuple[float, ...], growth: float) -> list[float]:
        """Returns a relative volume per day: a growing business, a weekly rhythm, a yearly wave, noise."""
        n = len(self.dates)
        weights = []
        for i, d in enumerate(self.dates):
            trend = 1 + growth * (i / max(n - 1, 1))
            season = 1 + 0.12 * math.sin(2 * math.pi * (d.timetuple().tm_yday - 80) / 365)
            weights.append(weekdays[d.weekday()] * trend * season * rng.uniform(0.85, 1.15))
        return weights

    def sample(self, rng: Random, n: int, day_weights: list[float]) -> list[int]:
        """Returns n sorted event times spread over the days by weight and over business hours."""
        cum = list(accumulate(day_weights))
        total = cum[-1]
        limit = self.end - 60
        hour_cum, hours_total, starts = self._hour_cum, self._hour_cum[-1], self.starts
        out: list[int] = []
        attempts = 0
        while len(out) < n:
            attempts += 1
            if attempts > 50 * n + 1000:
                raise ValueError("the period has no business hours before `end`: use more days")
            day = bisect_right(cum, rng.random() * total)
            hour = bisect_right(hour_cum, rng.random() * hours_total)
            ts = starts[min(day, len(starts) - 2)] + hour * 3600 + rng.randrange(3600)
            if ts <= limit:  # the last day is cut at `end`: later draws are simply drawn again
                out.append(ts)
        out.sort()
        return out

    def business_time(self, rng: Random, day: int, first_hour: float, last_hour: float) -> int:
        """Returns a time on local day `day` between two local hours."""
        return self.starts[day] + int(rng.uniform(first_hour, last_hour) * 3600)
