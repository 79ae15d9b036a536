"""Prefixed IDs as people type them (`in_123abc`, `pm_456def`): refused before any request,
naming the parameter, when they cannot be an ID of the kind asked for.

The prefixes come from `chathq_cli.api.rules.ID_PREFIXES`, the table the sandbox builds its
IDs from, so the CLI and the server agree on what each kind looks like.
"""

from __future__ import annotations

import re

from chathq_cli import errors
from chathq_cli.inputs.names import shown

# No ID the portal makes comes near this; it keeps a pasted page of text out of the URL.
ID_MAX = 100
_BODY = re.compile(r"[A-Za-z0-9]+")
# How a kind reads in a sentence, where the table's key does not read well as it is.
_SPOKEN = {"api_key": "API key", "org": "organization"}


def check_id(value: str, kind: str, param: str) -> str:
    """`value` trimmed, when it is an ID of `kind` (a key of `rules.ID_PREFIXES`: "invoice"
    takes `in_` and letters or digits), or a UsageError naming `param`."""
    from chathq_cli.api.rules import ID_PREFIXES

    prefix = ID_PREFIXES[kind]
    what = _SPOKEN.get(kind, kind.replace("_", " "))
    text = value.strip()
    if not text:
        raise errors.UsageError(f"{param} must not be empty", param=param)
    if (
        not text.startswith(prefix)
        or len(text) > ID_MAX
        or not _BODY.fullmatch(text[len(prefix) :])
    ):
        raise errors.UsageError(
            f"{param}: {shown(value)} is not {_article(what)} {what} ID "
            f"({what} IDs look like {prefix}...)",
            param=param,
        )
    return text


def _article(word: str) -> str:
    return "an" if word[0].lower() in "aeiou" else "a"
