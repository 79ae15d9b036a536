"""Argument checks of `portal billing`: pure, before any request."""

from __future__ import annotations

from chathq_cli.errors import UsageError

DEFAULT_INVOICE_LIMIT = 100
MAX_INVOICE_LIMIT = 10_000


def check_plan(value: str, param: str = "PLAN") -> str:
    """A plan ID (`connect`), also given by name in any case (`Connect`); UsageError otherwise."""
    from chathq_cli.api.rules import PLANS

    wanted = value.strip().lower()
    if wanted in PLANS:
        return wanted
    shown = repr(value) if not value.isprintable() or len(value) > 40 else f"'{value}'"
    if len(shown) > 44:
        shown = shown[:40] + "...'"
    raise UsageError(
        f"{param}: {shown} is not a plan; choose one of {', '.join(PLANS)}",
        param=param,
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
