"""The clock tables read relative times against ("3 days ago"): the invocation's, installed
with its environment (cli/environment.py), so a test's pinned clock reaches the table too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from chathq_cli.output._env import utc_now

_clock: Callable[[], datetime] = utc_now


def now() -> datetime:
    return _clock()


def set_clock(clock: Callable[[], datetime] | None) -> None:
    """Use `clock` from now on (None: the system's, in UTC)."""
    global _clock
    _clock = clock if clock is not None else utc_now
