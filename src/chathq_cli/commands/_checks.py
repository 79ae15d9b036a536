"""Argument checks shared by the commands: fail before any request, naming the parameter.

The rules themselves live in `chathq_cli.api.rules`, shared with the sandbox, so the CLI
refuses exactly what the server would. Imported inside the functions, like every `api` module,
to keep `chathq_cli.api` off the start-up path that a test guards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chathq_cli import errors


def check_name(value: str, param: str) -> str:
    """A trimmed, valid name (account, org, display name, key...), or a UsageError."""
    from chathq_cli.api import rules

    problem = rules.name_problem(value)
    if problem:
        raise errors.UsageError(f"{param} {problem}", param=param)
    return value.strip()


def check_email(value: str, param: str) -> str:
    """A trimmed, plausible e-mail address, or a UsageError."""
    from chathq_cli.api import rules

    value = value.strip()
    problem = rules.email_problem(value)
    if problem:
        raise errors.UsageError(f"{param} {problem}: {value!r}", param=param)
    return value


def not_blank(value: str | None, param: str) -> None:
    """An explicitly empty reference (`portal account use ""`) is bad input, not "the default"."""
    if value is not None and not value.strip():
        raise errors.UsageError(f"{param} must not be empty", param=param)


if TYPE_CHECKING:
    from datetime import timedelta

# suffix -> (unit name, minutes)
_DURATION_UNITS = {"m": ("minute", 1), "h": ("hour", 60), "d": ("day", 1440), "w": ("week", 10080)}
_DURATION_MAX_DIGITS = 9  # far beyond any maximum; keeps int() away from 10,000-digit input


def parse_duration(value: str, param: str, *, maximum: timedelta) -> timedelta:
    """A duration such as `90m`, `12h`, `7d` or `4w` (minutes, hours, days, weeks), or a
    UsageError naming `param`.

    Shared by the `--expires-in`-style options (invite links, API keys). The duration must be
    positive and at most `maximum` (inclusive). Checked before any request, so a bad value
    never reaches the server.
    """
    from datetime import timedelta

    text = value.strip().lower()
    number, suffix = text[:-1], text[-1:]
    if (
        suffix not in _DURATION_UNITS
        or not (number.isascii() and number.isdigit())
        or len(number) > _DURATION_MAX_DIGITS
    ):
        raise errors.UsageError(
            f"{param} must be a duration like 90m, 12h, 7d or 4w (got {_shorten(value)})",
            param=param,
        )
    span = timedelta(minutes=int(number) * _DURATION_UNITS[suffix][1])
    if not span:
        raise errors.UsageError(f"{param} must be longer than zero", param=param)
    if span > maximum:
        raise errors.UsageError(
            f"{param} must be at most {_describe(maximum)} (got {_shorten(value)})", param=param
        )
    return span


def _describe(span: timedelta) -> str:
    """`90 days`, `24 hours`, `1 day`: the largest of day/hour/minute that divides `span`."""
    minutes = int(span.total_seconds()) // 60
    for name, size in (("day", 1440), ("hour", 60), ("minute", 1)):
        if minutes % size == 0:
            count = minutes // size
            return f"{count} {name}" + ("" if count == 1 else "s")
    return f"{minutes} minutes"


def _shorten(value: str, limit: int = 40) -> str:
    """`value` quoted for a one-line message: control characters escaped, long input cut."""
    shown = value if len(value) <= limit else value[:limit] + "…"
    return repr(shown)
