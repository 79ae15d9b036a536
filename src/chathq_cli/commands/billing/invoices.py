"""`portal billing invoices`: list and show."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.api import rules
from chathq_cli.cli.frame import command
from chathq_cli.commands.billing._checks import check_invoice_limit
from chathq_cli.commands.billing._lookup import resolve_invoice
from chathq_cli.commands.billing._view import invoice_lines, invoice_summary, period

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)

InvoiceStatus = rules.InvoiceStatus


def _invoice_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("number", "Number"),
        Column("status", "Status"),
        Column("period", "Period"),
        Column("total.amount", "Total", "money"),
        Column("created_at", "Issued", "time"),
        Column("paid_at", "Paid", "time"),
    ]


@command(app, callback=True, invoke_without_command=True, data=True, account=True)
def invoices(
    rt: Runtime,
    ctx: typer.Context,
    status: Annotated[
        InvoiceStatus | None, typer.Option("--status", help="Only invoices in this status.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="DATE",
            help="Only invoices issued on or after DATE: YYYY-MM-DD, RFC 3339, 30d, last-month...",
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", help="List at most N invoices (default 100)."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="List every matching invoice.")] = False,
) -> None:
    """List invoices, newest first.

    \b
    Examples:
      portal billing invoices
      portal billing invoices --status paid --since 2026-01-01
      portal billing invoices --since last-month
      portal billing invoices --all --json --jq '.[].total.amount'
      portal billing invoices show in_123abc
      portal billing invoices download in_123abc
    """
    from chathq_cli.inputs.dates import parse_date

    count = check_invoice_limit(limit, all_)
    now = rt.out.env.clock()
    since_at = parse_date(since, "--since", now=now).instant if since is not None else None
    client = rt.client()
    account_id = rt.account_id()

    def matching() -> Iterator[dict[str, Any]]:
        listed = 0
        for invoice in client.list_invoices(account_id):
            if since_at is not None and invoice.created_at < since_at:
                return  # newest first: every later one is older still
            if status is not None and invoice.status != status:
                continue
            row = invoice.model_dump(mode="json")
            if not rt.out.is_json:
                row["period"] = period(invoice)
            yield row
            listed += 1
            if count is not None and listed >= count:
                return

    rows = matching()
    # The first page is fetched before anything is printed, so a refusal (403) or a network
    # failure leaves stdout empty instead of a header line with no rows.
    first = next(rows, None)
    rt.out.list(itertools.chain([] if first is None else [first], rows), _invoice_columns())


def _invoice_summary_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("number", "Number"),
        Column("status", "Status"),
        Column("period", "Period"),
        Column("created_at", "Issued", "time"),
        Column("paid_at", "Paid", "time"),
    ]


@command(app, "show", data=True, account=True)
def invoice_show(
    rt: Runtime,
    invoice_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The invoice: its ID (in_...) or its number (ACME1-0001).",
            show_default=False,
        ),
    ],
) -> None:
    """Show an invoice, by ID or number: its lines and total.

    \b
    Examples:
      portal billing invoices show in_123abc
      portal billing invoices show ACME1-0001
      portal billing invoices show in_123abc --json --jq .total.amount
    """
    from chathq_cli.output import Column

    invoice_id = resolve_invoice(rt, invoice_id)
    invoice = rt.client().get_invoice(rt.account_id(), invoice_id)
    out = rt.out
    if out.is_json:
        out.object(invoice.model_dump(mode="json"))
        return
    lines = invoice_lines(invoice)
    line_columns = [
        Column("description", "Description"),
        Column("amount.amount", "Amount", "money"),
    ]
    if out.is_terminal_table:
        out.object(invoice_summary(invoice), _invoice_summary_columns())
        out.env.stdout.write("\n")
        out.list(lines, line_columns)
        return
    # TSV/CSV: one table, the lines then the total, each row naming its invoice.
    for line in lines:
        line["invoice"] = invoice.id
        line["number"] = invoice.number
    out.list(lines, [Column("invoice", "Invoice", "id"), Column("number", "Number"), *line_columns])
