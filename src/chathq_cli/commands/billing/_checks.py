"""Argument checks of `portal billing`: pure, before any request."""

from __future__ import annotations

import re

from chathq_cli.errors import UsageError

DEFAULT_INVOICE_LIMIT = 100
MAX_INVOICE_LIMIT = 10_000

_ID_BODY = re.compile(r"^[A-Za-z0-9]+$")
_ID_WHAT = {"pm_": "payment method", "in_": "invoice"}


def check_id(value: str, prefix: str, param: str) -> str:
    """A trimmed `pm_...`/`in_...` ID, or a UsageError naming `param` (nothing is sent)."""
    text = value.strip()
    what = _ID_WHAT[prefix]
    shown = repr(value) if not value.isprintable() or len(value) > 60 else f"'{value}'"
    if len(shown) > 64:
        shown = shown[:60] + "...'"
    if not text:
        raise UsageError(f"{param} must not be empty", param=param)
    if not text.startswith(prefix) or not _ID_BODY.match(text[len(prefix) :]) or len(text) > 100:
        raise UsageError(
            f"{param}: {shown} is not a {what} ID ({what} IDs look like {prefix}...)",
            param=param,
        )
    return text


def check_plan(value: str) -> str:
    """A plan ID (`connect`), also given by name in any case (`Connect`); UsageError otherwise."""
    from chathq_cli.api.rules import PLANS

    wanted = value.strip().lower()
    if wanted in PLANS:
        return wanted
    shown = repr(value) if not value.isprintable() or len(value) > 40 else f"'{value}'"
    if len(shown) > 44:
        shown = shown[:40] + "...'"
    raise UsageError(
        f"PLAN: {shown} is not a plan; choose one of {', '.join(PLANS)}",
        param="PLAN",
        hint="portal billing plans",
    )


def check_invoice_limit(limit: int | None, all_: bool) -> int | None:
    """How many invoices to list (None: all), from --limit/--all."""
    if all_ and limit is not None:
        raise UsageError("--limit and --all cannot be used together", param="--limit")
    if all_:
        return None
    if limit is None:
        return DEFAULT_INVOICE_LIMIT
    if not 1 <= limit <= MAX_INVOICE_LIMIT:
        raise UsageError(
            f"--limit must be between 1 and {MAX_INVOICE_LIMIT:,} (got {limit}); "
            "use --all for every invoice",
            param="--limit",
        )
    return limit
