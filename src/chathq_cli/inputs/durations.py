"""Durations as people type them (`90m`, `12h`, `7d`, `4w`), and back into words."""

from __future__ import annotations

from datetime import timedelta

from chathq_cli import errors
from chathq_cli.inputs.names import shown

_DURATION_UNITS = {
    "m": ("minute", 60),
    "h": ("hour", 3600),
    "d": ("day", 86400),
    "w": ("week", 604800),
}


def parse_duration(value: str, param: str, *, maximum: timedelta) -> timedelta:
    """`90m`, `12h`, `7d` or `4w` as a timedelta above zero and at most `maximum`."""
    text = value.strip().lower()
    number, unit = text[:-1], text[-1:]
    if unit not in _DURATION_UNITS or not number.isascii() or not number.isdigit():
        raise errors.UsageError(
            f"{param} must be a duration like 90m, 12h, 7d or 4w (got {shown(value)})",
            param=param,
        )
    if len(number) > 7:  # beyond any maximum, and keeps timedelta from overflowing
        raise errors.UsageError(
            f"{param} must be at most {describe_duration(maximum)} (got {shown(value)})",
            param=param,
        )
    duration = timedelta(seconds=int(number) * _DURATION_UNITS[unit][1])
    if duration <= timedelta(0):
        raise errors.UsageError(f"{param} must be longer than zero", param=param)
    if duration > maximum:
        raise errors.UsageError(
            f"{param} must be at most {describe_duration(maximum)} (got {text})", param=param
        )
    return duration


def describe_duration(duration: timedelta) -> str:
    """`7 days`, `24 hours`, `90 minutes`: the largest unit that divides it exactly."""
    seconds = int(duration.total_seconds())
    for name, size in (("week", 604800), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds and seconds % size == 0 and (name != "week" or seconds // size > 1):
            count = seconds // size
            return f"{count} {name}{'s' if count != 1 else ''}"
    return f"{seconds} seconds"
