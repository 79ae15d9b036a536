"""The sandbox's own clock: pinned at start, then ticking, movable by `POST /_sandbox/clock`.

Everything time-dependent (sessions, expiries, month resets, TOTP, idempotency windows) reads
this clock, never the wall clock, so demos and tests are reproducible.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


def utc(dt: datetime) -> datetime:
    """`dt` as an aware UTC datetime (naive values are taken to be UTC)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def month_start(dt: datetime) -> datetime:
    return datetime(dt.year, dt.month, 1, tzinfo=UTC)


def add_months(dt: datetime, months: int) -> datetime:
    """The first of the month `months` after (or before) the month of `dt`."""
    index = dt.year * 12 + dt.month - 1 + months
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


class Clock:
    """Starts at `start` (or the real time) and ticks with the monotonic clock from there."""

    def __init__(self, start: datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._start = start
        self.set(start)

    def set(self, now: datetime | None) -> None:
        with self._lock:
            self._base = utc(now) if now is not None else datetime.now(UTC)
            self._mono = time.monotonic()

    def restart(self) -> datetime:
        """Back to the start value (the pinned start, or the real time now); returns it."""
        self.set(self._start)
        return self._base

    def now(self) -> datetime:
        with self._lock:
            return self._base + timedelta(seconds=time.monotonic() - self._mono)
