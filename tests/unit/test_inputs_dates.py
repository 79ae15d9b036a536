"""--since/--until dates as people type them: the forms accepted, the instant and the wire
form each means, and one-line errors naming the option for everything else."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chathq_cli.errors import ExitCode, UsageError
from chathq_cli.inputs.dates import parse_date

# The clock relative dates count from (the sandbox's: a Sunday, mid-month).
NOW = datetime(2026, 11, 15, 12, 30, 45, tzinfo=UTC)


def _usage_error(excinfo: pytest.ExceptionInfo[UsageError], param: str) -> str:
    err = excinfo.value
    assert err.exit_code == ExitCode.USAGE
    assert err.param == param
    assert param in err.message  # the one line names the option
    assert "\n" not in err.message
    return err.message


@pytest.mark.parametrize(
    ("text", "instant", "wire"),
    [
        ("2026-11-01", datetime(2026, 11, 1, tzinfo=UTC), "2026-11-01"),
        ("2024-02-29", datetime(2024, 2, 29, tzinfo=UTC), "2024-02-29"),
        ("2026-11-01T00:00:00Z", datetime(2026, 11, 1, tzinfo=UTC), "2026-11-01T00:00:00Z"),
        ("2026-11-01t10:30:00z", datetime(2026, 11, 1, 10, 30, tzinfo=UTC), "2026-11-01T10:30:00Z"),
        # An offset is converted to UTC before sending.
        ("2026-11-01T02:00:00+02:00", datetime(2026, 11, 1, tzinfo=UTC), "2026-11-01T00:00:00Z"),
        (
            "2026-11-01T00:00:00.123456789Z",
            datetime(2026, 11, 1, 0, 0, 0, 123456, tzinfo=UTC),
            "2026-11-01T00:00:00.123456Z",
        ),
        (" 2026-11-01 ", datetime(2026, 11, 1, tzinfo=UTC), "2026-11-01"),
    ],
)
def test_parse_date_accepts_dates_and_rfc3339(text: str, instant: datetime, wire: str) -> None:
    parsed = parse_date(text, "--since", now=NOW)
    assert parsed.instant == instant
    assert parsed.wire == wire


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",  # impossible day
        "2025-02-29",  # not a leap year
        "2026-13-01",
        "2026-11-01T25:00:00Z",
        "2026-11-01T00:00:00",  # RFC 3339 needs an offset
        "2026-11-01T00:00:00+25:00",
        "",
        "7",  # a number without its unit
        "7y",
        "-7d",
        "7 d",
        "tomorrow",
        "next-month",
        "20261101",
        "2026-11-01T00:00Z",
    ],
)
def test_parse_date_refuses_impossible_or_malformed(text: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        parse_date(text, "--since", now=NOW)
    _usage_error(excinfo, "--since")
    assert excinfo.value.hint and "YYYY-MM-DD" in excinfo.value.hint


@pytest.mark.parametrize("text", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"])
def test_parse_date_refuses_times_that_leave_the_calendar_in_utc(text: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        parse_date(text, "--until", now=NOW)
    assert "not a valid time" in _usage_error(excinfo, "--until")


@pytest.mark.parametrize(
    ("text", "instant", "wire"),
    [
        ("7d", datetime(2026, 11, 8, 12, 30, 45, tzinfo=UTC), "2026-11-08T12:30:45Z"),
        ("24h", datetime(2026, 11, 14, 12, 30, 45, tzinfo=UTC), "2026-11-14T12:30:45Z"),
        ("2W", datetime(2026, 11, 1, 12, 30, 45, tzinfo=UTC), "2026-11-01T12:30:45Z"),
        ("0d", NOW, "2026-11-15T12:30:45Z"),
        ("today", datetime(2026, 11, 15, tzinfo=UTC), "2026-11-15"),
        ("Yesterday", datetime(2026, 11, 14, tzinfo=UTC), "2026-11-14"),
        ("this-month", datetime(2026, 11, 1, tzinfo=UTC), "2026-11-01"),
        ("last-month", datetime(2026, 10, 1, tzinfo=UTC), "2026-10-01"),
    ],
)
def test_relative_dates_count_back_from_now_in_utc(text: str, instant: datetime, wire: str) -> None:
    parsed = parse_date(text, "--since", now=NOW)
    assert parsed.instant == instant
    assert parsed.wire == wire


def test_relative_dates_are_computed_in_utc_whatever_the_clock_offset() -> None:
    # 00:30 on 1 January at +02:00 is still 31 December in UTC.
    local = datetime.fromisoformat("2027-01-01T00:30:00+02:00")
    assert parse_date("today", "--since", now=local).wire == "2026-12-31"
    assert parse_date("this-month", "--since", now=local).wire == "2026-12-01"
    assert parse_date("last-month", "--since", now=local).wire == "2026-11-01"


def test_last_month_in_january_is_december_of_the_year_before() -> None:
    january = datetime(2027, 1, 31, 23, 0, tzinfo=UTC)
    assert parse_date("last-month", "--until", now=january).wire == "2026-12-01"


def test_a_relative_date_too_far_back_is_one_line_naming_the_option() -> None:
    with pytest.raises(UsageError) as excinfo:
        parse_date("999999w", "--since", now=NOW)
    assert "too far back" in _usage_error(excinfo, "--since")
