"""`portal usage --summary/--by/--chart`: totals aggregated by the server, as a table or bars.

These are views of the listing command (options of `portal usage`), not commands of their own.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from chathq_cli.commands.usage._view import chart_bars, chart_lines

if TYPE_CHECKING:
    from chathq_cli.api.usage import GroupBy
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.commands.usage._query import UsageQuery
    from chathq_cli.output import Output


def show_summary(rt: Runtime, out: Output, query: UsageQuery, group_by: GroupBy) -> None:
    from chathq_cli.output import Column

    client = rt.client()
    result = client.get_usage_summary(rt.account_id(), **query.as_kwargs(), group_by=group_by)
    if out.is_json:
        out.write_json(result.model_dump(mode="json"))
        return
    rows: list[dict[str, Any]] = [row.model_dump(mode="json") for row in result.data]
    total = result.total.model_dump(mode="json")
    if group_by == "unit":
        prices = {p.unit: p.unit_price.model_dump(mode="json") for p in client.list_usage_prices()}
        for row in rows:
            row["unit_price"] = prices.get(row["unit"])
        first = [Column("unit", "Unit"), Column("count", "Count", "int")]
        first += [
            Column("quantity", "Quantity", "int"),
            Column("unit_price.amount", "Unit price", "money"),
        ]
        total_row = {"unit": "total", **total}
    else:
        first = [Column("period", "Period"), Column("count", "Count", "int")]
        total_row = {"period": "total", **total}
    columns = [
        *first,
        Column("amount", "Amount", "money"),
        Column("paid_amount", "Paid", "money"),
        Column("unpaid_amount", "Unpaid", "money"),
    ]
    out.list([*rows, total_row], columns)


def show_chart(rt: Runtime, out: Output, query: UsageQuery, group_by: GroupBy) -> None:
    from chathq_cli.output import Column, format_money

    result = rt.client().get_usage_summary(rt.account_id(), **query.as_kwargs(), group_by=group_by)
    # Oldest first, like a time axis, whatever order the API returns.
    points = sorted((row.period or "", Decimal(row.amount)) for row in result.data)
    if not points:
        rt.out.info("No usage in this period.")
        return
    if out.env.stdout_isatty:
        # On a terminal: a Rich table, so periods, amounts and bars line up.
        bars = chart_bars([amount for _, amount in points])
        rows = [
            {
                "period": label,
                "amount": {"amount": str(amount), "currency": result.currency},
                "bar": bar,
            }
            for (label, amount), bar in zip(points, bars, strict=True)
        ]
        out.list(
            rows, [Column("period", "Period"), Column("amount", "Cost", "money"), Column("bar", "")]
        )
        return
    for line in chart_lines(points, lambda amount: format_money(amount, result.currency)):
        out.value(line)
