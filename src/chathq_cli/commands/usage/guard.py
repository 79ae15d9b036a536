"""`portal usage guard`: a spend limit for pipelines (exit 1 when usage is over it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.usage._query import build_query
from chathq_cli.commands.usage._view import UnitOpt
from chathq_cli.errors import UsageError
from chathq_cli.inputs.amounts import parse_amount

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column

app = typer.Typer()


@dataclass(frozen=True)
class GuardCheck:
    """One limit and the usage it is compared with; over when usage is strictly above it."""

    name: str  # "unpaid" or "amount"
    label: str  # how the error message names the figure
    usage: Decimal
    limit: Decimal

    @property
    def over(self) -> bool:
        return self.usage > self.limit


def guard_checks(
    total_amount: Decimal,
    unpaid_amount: Decimal,
    *,
    max_unpaid: Decimal | None,
    max_amount: Decimal | None,
) -> list[GuardCheck]:
    checks = []
    if max_unpaid is not None:
        checks.append(GuardCheck("unpaid", "unpaid usage", unpaid_amount, max_unpaid))
    if max_amount is not None:
        checks.append(GuardCheck("amount", "usage (paid + unpaid)", total_amount, max_amount))
    return checks


@command(app, "guard", data=True, account=True)
def guard(
    rt: Runtime,
    max_unpaid: Annotated[
        str | None,
        typer.Option(
            "--max-unpaid",
            metavar="AMOUNT",
            help="Fail (exit 1) when unpaid usage is over AMOUNT, e.g. 100 or 250.50.",
            show_default=False,
        ),
    ] = None,
    max_amount: Annotated[
        str | None,
        typer.Option(
            "--max-amount",
            metavar="AMOUNT",
            help="Fail (exit 1) when paid + unpaid usage is over AMOUNT.",
            show_default=False,
        ),
    ] = None,
    unit: UnitOpt = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Count usage from DATE (inclusive): YYYY-MM-DD, RFC 3339, 7d, this-month...",
        ),
    ] = None,
) -> None:
    """Fail when pay-as-you-go usage is over a limit: a spend guard for CI.

    Asks the server for the usage summary (one request), prints the figures, and exits 0
    when usage is within every limit given, 1 when it is over one (equal is within).
    Without --since every recorded usage counts. Amounts are in the account's currency.

    \b
    Examples:
      portal usage guard --max-unpaid 100
      portal usage guard --max-amount 500 --since 2026-11-01
      portal usage guard --max-amount 100 --since this-month
      portal usage guard --max-unpaid 25 --unit sms --unit calls --json
    """
    from chathq_cli import errors
    from chathq_cli.output import format_money

    if max_unpaid is None and max_amount is None:
        raise UsageError(
            "give a limit: --max-unpaid AMOUNT and/or --max-amount AMOUNT", param="--max-unpaid"
        )
    unpaid_limit = parse_amount(max_unpaid, "--max-unpaid") if max_unpaid is not None else None
    amount_limit = parse_amount(max_amount, "--max-amount") if max_amount is not None else None
    query = build_query(units=[u.value for u in unit or ()], since=since)

    summary = rt.client().get_usage_summary(rt.account_id(), **query.as_kwargs())
    currency = summary.currency
    checks = guard_checks(
        Decimal(summary.total.amount),
        Decimal(summary.total.unpaid_amount),
        max_unpaid=unpaid_limit,
        max_amount=amount_limit,
    )

    rows = guard_rows(checks, currency)
    if rt.out.is_json:
        rt.out.write_json(
            {
                "object": "usage_guard",
                "within_limits": not any(check.over for check in checks),
                "since": query.since,
                "units": list(query.units),
                "total": summary.total.model_dump(mode="json"),
                "currency": currency,
                "checks": rows,
            }
        )
    else:
        rt.out.list(rows, _columns())
    problem = over_limits(checks, lambda amount: format_money(amount, currency))
    if problem:
        raise errors.PortalError(
            problem,
            code="usage_limit_exceeded",
            hint="portal usage --summary (with the same --unit/--since) shows where it comes from",
        )


def guard_rows(checks: Sequence[GuardCheck], currency: str) -> list[dict[str, Any]]:
    """One row per check, amounts as the API writes money (`{"amount": "1.50", ...}`)."""

    def money(value: Decimal) -> dict[str, str]:
        return {"amount": format(value, "f"), "currency": currency}

    return [
        {
            "check": check.name,
            "usage": money(check.usage),
            "limit": money(check.limit),
            "headroom": money(check.limit - check.usage),
            "result": "over" if check.over else "within",
        }
        for check in checks
    ]


def over_limits(checks: Sequence[GuardCheck], money: Callable[[Decimal], str]) -> str | None:
    """The error line naming every limit usage is over, or None when within all of them."""
    over = [check for check in checks if check.over]
    if not over:
        return None
    return "; ".join(
        f"{check.label} {money(check.usage)} is over the limit {money(check.limit)}"
        for check in over
    )


def _columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("check", "Check"),
        Column("usage.amount", "Usage", "money"),
        Column("limit.amount", "Limit", "money"),
        Column("headroom.amount", "Headroom", "money"),
        Column("result", "Result"),
    ]
