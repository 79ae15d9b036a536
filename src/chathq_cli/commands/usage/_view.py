"""What `portal usage` commands share: the --unit option, the record columns and the chart."""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

import typer

if TYPE_CHECKING:
    from chathq_cli.output import Column, Output

CHART_WIDTH = 40


class UnitChoice(enum.StrEnum):
    # An Enum, not a Literal: Typer 0.29 takes no list of Literals for a repeatable option.
    sms = "sms"
    calls = "calls"
    chat = "chat"
    numbers = "numbers"


PeriodChoice = Literal["day", "week", "month"]

# Shared by the listing and the guard.
UnitOpt = Annotated[
    list[UnitChoice] | None,
    typer.Option(
        "--unit",
        metavar="UNIT",
        help="Only this unit: sms, calls, chat or numbers (repeatable).",
        show_default=False,
    ),
]


def chart_bars(amounts: Sequence[Decimal], width: int = CHART_WIDTH) -> list[str]:
    """One bar per amount, scaled so the largest fills `width` cells (eighth-cell steps)."""
    top = max(amounts, default=Decimal(0))
    bars = []
    for amount in amounts:
        eighths = int(amount / top * width * 8) if top > 0 else 0
        bars.append("█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8])
    return bars


def chart_lines(
    points: Sequence[tuple[str, Decimal]],
    money: Callable[[Decimal], str],
    width: int = CHART_WIDTH,
) -> list[str]:
    """Cost per period as plain text bars: `2026-11  ████▌  $12.34`."""
    if not points:
        return []
    label_width = max(len(label) for label, _ in points)
    bars = chart_bars([amount for _, amount in points], width)
    return [
        f"{label:<{label_width}}  {bar:<{width}}  {money(amount)}"
        for (label, amount), bar in zip(points, bars, strict=True)
    ]


def record_columns(out: Output) -> list[Column]:
    from chathq_cli.output import Column

    columns = [
        Column("occurred_at", "Time", "time"),
        Column("unit", "Unit"),
        # At 80 columns the amount stays, the quantity and unit price go first.
        Column("description", "Description", min_width=16),
        Column("quantity", "Quantity", "int", priority=2),
        Column("unit_price.amount", "Unit price", "money", priority=3),
        Column("amount.amount", "Amount", "money", priority=1),
        Column("status", "Status"),
        Column("invoice", "Invoice", "id"),
    ]
    # The record ID is for machines (TSV/CSV/JSON); a terminal needs the room for descriptions.
    if not out.env.stdout_isatty:
        columns.append(Column("id", "ID", "id"))
    return columns
