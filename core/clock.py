"""The app's business clock: the real one, moved by ORDERSIGHT_CLOCK_OFFSET seconds when that is set.

`make test-calendar` sets it to run the whole suite on a month end, a year end and a DST change without
touching the machine's clock (libfaketime breaks timed waits in Python and statement_timeout in PostgreSQL).
PostgreSQL's side is app_now() (migration 0009), which reads the same offset from the session setting
ordersight.clock_offset; importing this module puts that setting into PGOPTIONS, so every connection this
process or its children open (the app, the tests, the browser tests' app servers) sees the same date.
Session and sign-in throttle timers measure real elapsed time and do not use this clock."""

import os
from datetime import UTC, datetime, timedelta

OFFSET = timedelta(seconds=float(os.environ.get("ORDERSIGHT_CLOCK_OFFSET") or 0))

if OFFSET and "ordersight.clock_offset" not in os.environ.get("PGOPTIONS", ""):
    os.environ["PGOPTIONS"] = (
        f"{os.environ.get('PGOPTIONS', '')} -c ordersight.clock_offset={OFFSET.total_seconds():.0f}".strip())


def now() -> datetime:
    """The current business instant (aware, UTC)."""
    return datetime.now(UTC) + OFFSET
