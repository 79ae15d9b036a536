"""Names, e-mail addresses and references as people type them: fail before any request,
naming the parameter.

The rules themselves live in `chathq_cli.api.rules`, shared with the sandbox, so the CLI
refuses exactly what the server would. Imported inside the functions, like every `api` module,
to keep `chathq_cli.api` off the start-up path that a test guards.
"""

from __future__ import annotations

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


def shown(value: str, limit: int = 40) -> str:
    """`value` quoted for an error message, cut short so a 10,000-character input stays one line."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)
