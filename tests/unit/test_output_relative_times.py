"""Times in terminal tables read relative to now, in gh's words; dates on their own and
anything that is not a time stay as they are (output/_layout.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from chathq_cli.output import Column
from chathq_cli.output._layout import relative_cells, relative_time

NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (timedelta(seconds=0), "less than a minute ago"),
        (timedelta(seconds=59), "less than a minute ago"),
        (timedelta(minutes=1), "about 1 minute ago"),
        (timedelta(minutes=59), "59 minutes ago"),
        (timedelta(hours=1), "about 1 hour ago"),
        (timedelta(hours=23, minutes=59), "23 hours ago"),
        (timedelta(days=1), "about 1 day ago"),
        (timedelta(days=3), "3 days ago"),
        (timedelta(days=29), "29 days ago"),
        (timedelta(days=30), "about 1 month ago"),
        (timedelta(days=364), "12 months ago"),
        (timedelta(days=365), "about 1 year ago"),
        (timedelta(days=800), "2 years ago"),
        (-timedelta(seconds=30), "in less than a minute"),
        (-timedelta(days=16), "in 16 days"),
        (-timedelta(hours=1), "in about 1 hour"),
    ],
)
def test_relative_time_in_ghs_words(delta: timedelta, words: str) -> None:
    assert relative_time(NOW - delta, NOW) == words


def test_relative_cells_change_time_columns_only() -> None:
    columns = [
        Column("id", "ID", "id"),
        Column("created_at", "Created", "time"),
        Column("period_day", "Day"),
        Column("note", "Note"),
        Column("seen_at", "Seen"),
    ]
    rows = [
        ["acct_1", "2026-11-12 12:00 UTC", "2026-11-01", "2026-11-12 12:00 UTC", "-"],
        ["acct_2", "2026-11-15T11:00:00+00:00", "-", "x", "not a time"],
    ]
    assert relative_cells(columns, rows, NOW) == [
        ["acct_1", "3 days ago", "2026-11-01", "2026-11-12 12:00 UTC", "-"],
        ["acct_2", "about 1 hour ago", "-", "x", "not a time"],
    ]
