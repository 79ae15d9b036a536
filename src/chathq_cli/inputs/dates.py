"""Dates as people type them for --since/--until: YYYY-MM-DD (midnight UTC) or an RFC 3339
time with an offset. The one parser of such dates, so every command accepts the same forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from chathq_cli.errors import UsageError

# YYYY-MM-DD, or RFC 3339 date-time with a mandatory offset (Z or ±hh:mm).
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME_RE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
_DATE_HINT = "use YYYY-MM-DD or an RFC 3339 time such as 2026-11-01T00:00:00Z"


@dataclass(frozen=True)
class DateArg:
    """A --since/--until value: the instant it means and the string sent to the API."""

    instant: datetime  # timezone-aware, UTC
    wire: str


def parse_date(value: str, option: str) -> DateArg:
    """Parse YYYY-MM-DD (midnight UTC) or RFC 3339; UsageError naming `option` otherwise."""
    text = value.strip().upper()
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
