"""Amounts and counts as people type them: a spend limit in dollars and cents, and how many
records to list (--limit N / --all)."""

from __future__ import annotations

import re
from decimal import Decimal

from chathq_cli.errors import UsageError

DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000_000

# Dollars and cents: `100`, `99.5`, `1,250.00`, `$100`. No signs, exponents or other digits
# (Decimal would take `1E3`, `NaN` or Arabic-Indic digits, none of which belongs in a budget).
_AMOUNT_RE = re.compile(r"^\$?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,15})(?:\.[0-9]{1,2})?$")


def parse_amount(value: str, option: str) -> Decimal:
    """A non-negative amount in dollars and cents, exactly; UsageError naming `option`."""
    text = value.strip()
    shown = repr(value) if len(value) <= 40 else repr(value[:40]) + "..."
    if text.startswith("-"):
        raise UsageError(f"{option}: {shown} is negative; give a limit of 0 or more", param=option)
    if not _AMOUNT_RE.match(text):
        raise UsageError(
            f"{option}: {shown} is not an amount; use dollars and cents such as 100 or 250.50",
            param=option,
        )
    # Whole cents, so the limit prints as `$100.00` and compares exactly with the server's sums.
    return Decimal(text.lstrip("$").replace(",", "")).quantize(Decimal("0.01"))


def check_limit(limit: int | None, all_: bool) -> int | None:
    """The number of records to list (None = all), from --limit/--all."""
    if all_ and limit is not None:
        raise UsageError("--limit and --all cannot be used together", param="--limit")
    if all_:
        return None
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(
            f"--limit must be between 1 and {MAX_LIMIT:,} (got {limit}); use --all for everything",
            param="--limit",
        )
    return limit
