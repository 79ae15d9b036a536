"""Argument checks shared by the commands: fail before any request, naming the parameter.

The rules themselves live in `chathq_cli.api.rules`, shared with the sandbox, so the CLI
refuses exactly what the server would. Imported inside the functions, like every `api` module,
to keep `chathq_cli.api` off the start-up path that a test guards.
"""

from __future__ import annotations

from datetime import timedelta

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


_DURATION_UNITS = {
    "m": ("minute", 60),
    "h": ("hour", 3600),
    "d": ("day", 86400),
    "w": ("week", 604800),
}


def shown(value: str, limit: int = 40) -> str:
    """`value` quoted for an error message, cut short so a 10,000-character input stays one line."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)


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
