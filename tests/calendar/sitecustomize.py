"""Loaded by every Python process of `make test-calendar` (this folder leads PYTHONPATH there, never elsewhere).

The calendar runs move only the wall clock (libfaketime with FAKETIME_DONT_FAKE_MONOTONIC=1): a faked monotonic
clock makes timed lock waits hang under a forward offset. libfaketime 0.9.10 then still rewrites the absolute
monotonic deadline that `time.sleep` hands to clock_nanosleep, which fails with EINVAL; a relative wait in
select() is not rewritten, so sleep waits there, on the real monotonic clock."""

import select
import time


def _sleep(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        select.select([], [], [], left)


time.sleep = _sleep
