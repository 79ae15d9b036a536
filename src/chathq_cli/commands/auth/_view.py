"""What the `portal auth` commands share: asking for the e-mail address, saying when a
session expires."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chathq_cli.cli.prompts import Prompter


def ask_email(prompts: Prompter, email: str | None) -> str:
    from chathq_cli.inputs.names import check_email

    return check_email(email or prompts.text("Email", flag="--email"), "--email")


# A session this close to its end gets a warning from `auth status`.
EXPIRY_WARNING_SECONDS = 86400
_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))


def expires_in_words(seconds: int) -> str:
    """`in 29 days`, `in 3 hours`, `in under a minute`: the largest whole unit, rounded down
    (a session never lasts less than it says)."""
    for name, size in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"in {count} {name}{'s' if count != 1 else ''}"
    return "in under a minute"
