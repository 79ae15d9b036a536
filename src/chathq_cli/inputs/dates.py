"""Dates as people type them for --since/--until: YYYY-MM-DD (midnight UTC), an RFC 3339
time with an offset, or a time relative to now (`7d`, `24h`, `2w`, `today`, `yesterday`,
`this-month`, `last-month`, in UTC). The one parser of such dates, so every command accepts the
same forms. `now` is a parameter: the caller's clock, so tests are deterministic."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from chathq_cli.errors import UsageError

# YYYY-MM-DD, or RFC 3339 date-time with a mandatory offset (Z or ±hh:mm).
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME_RE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
_AGO_RE = re.compile(r"^([0-9]{1,6})([HDW])$")
_AGO_UNITS = {"H": timedelta(hours=1), "D": timedelta(days=1), "W": timedelta(weeks=1)}
_NAMED = ("TODAY", "YESTERDAY", "THIS-MONTH", "LAST-MONTH")
_DATE_HINT = (
    "use YYYY-MM-DD, an RFC 3339 time such as 2026-11-01T00:00:00Z, "
    "or 7d, 24h, 2w, today, yesterday, this-month, last-month"
)
# For the help of every date option.
DATE_FORMS = (
    "YYYY-MM-DD (UTC), RFC 3339, 7d/24h/2w (that long ago), or today, yesterday, "
    "this-month, last-month (from their start, UTC)"
)


@dataclass(frozen=True)
class DateArg:
    """A --since/--until value: the instant it means and the string sent to the API."""

    instant: datetime  # timezone-aware, UTC
    wire: str


def parse_date(value: str, option: str, *, now: datetime) -> DateArg:
    """Parse YYYY-MM-DD (midnight UTC), RFC 3339 or a relative form counted back from `now`;
    UsageError naming `option` otherwise."""
    text = value.strip().upper()
    relative = _relative(text, now, option, value)
    if relative is not None:
        return relative
    if _DATE_RE.match(text):
        try:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise UsageError(
                f"{option}: {value!r} is not a valid date", param=option, hint=_DATE_HINT
            ) from None
        return DateArg(day, text)
    if not _DATETIME_RE.match(text):
        raise UsageError(
            f"{option}: {value!r} is not a date or an RFC 3339 time", param=option, hint=_DATE_HINT
        )
    try:
        # fromisoformat keeps at most microseconds; more digits are cut, not rounded.
        instant = datetime.fromisoformat(_trim_fraction(text)).astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: past year 9999 once in UTC
        raise UsageError(
            f"{option}: {value!r} is not a valid time", param=option, hint=_DATE_HINT
        ) from None
    return DateArg(instant, instant.isoformat().replace("+00:00", "Z"))


def _trim_fraction(text: str) -> str:
    return re.sub(r"\.([0-9]{6})[0-9]+", r".\1", text)


def _relative(text: str, now: datetime, option: str, value: str) -> DateArg | None:
    """`7d`/`24h`/`2w` before `now`, or the start (UTC) of the day or month named; None when
    `text` is none of these."""
    now = now.astimezone(UTC)
    ago = _AGO_RE.match(text)
    if ago:
        try:
            instant = now - int(ago.group(1)) * _AGO_UNITS[ago.group(2)]
        except OverflowError:  # 999999w: before year 1
            raise UsageError(
                f"{option}: {value!r} is too far back", param=option, hint=_DATE_HINT
            ) from None
        return DateArg(instant, instant.isoformat().replace("+00:00", "Z"))
    if text not in _NAMED:
        return None
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if text == "YESTERDAY":
        day -= timedelta(days=1)
    elif text == "THIS-MONTH":
        day = day.replace(day=1)
    elif text == "LAST-MONTH":
        day = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
    return DateArg(day, day.strftime("%Y-%m-%d"))
