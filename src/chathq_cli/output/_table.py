"""Data for people on a terminal: Rich tables, the record view and the key/value view."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from chathq_cli.output._format import Column, table_cell

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import Console
    from rich.table import Table


def make_console(stream: IO[str], *, terminal: bool, no_color: bool, width: int | None) -> Console:
    from rich.console import Console

    # Rich's no_color drops colours but keeps bold and underline; without a colour system it
    # writes no style at all, which is what NO_COLOR, --no-color and TERM=dumb ask for.
    return Console(
        file=stream,
        force_terminal=terminal,
        no_color=no_color,
        color_system=None if no_color else "auto",
        width=width,
        highlight=False,
        markup=False,
        emoji=False,
    )


def print_table(
    console: Console,
    columns: Sequence[Column],
    cells: Sequence[Sequence[str]],
    now: datetime | None = None,
) -> None:
    """A table fitted to the terminal's width (see `_layout`), or one block per row.

    Times read relative to `now` ("3 days ago"; default: the invocation's clock, `_clock`),
    as gh shows them; TSV, CSV and JSON keep them absolute.
    """
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from chathq_cli.output._layout import plan_table, relative_cells, wraps

    if now is None:
        from chathq_cli.output._clock import now as clock_now

        now = clock_now()
    cells = relative_cells(columns, cells, now)
    layout = plan_table(columns, cells, console.width)
    if layout is None:
        print_records(console, columns, cells)
        return
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),  # with the blank divider: two cells between columns
        header_style="bold",
    )
    for index, width in zip(layout.indexes, layout.widths, strict=True):
        column = columns[index]
        wrap = wraps(column)
        table.add_column(
            column.header,
            justify="right" if column.kind in ("money", "int") else "left",
            width=width,
            no_wrap=not wrap,
            # A name wraps at spaces; a word longer than the column is cut, not split.
            overflow="fold" if wrap and column.overflow == "fold" else "ellipsis",
        )
    for row in cells:
        table.add_row(*(Text(row[i]) for i in layout.indexes))
    console.print(table)


def print_records(
    console: Console, columns: Sequence[Column], cells: Sequence[Sequence[str]]
) -> None:
    """The record view: one key/value block per row, for a terminal too narrow for a table.

    Text folds beside its key. An ID or an e-mail address too long to sit beside its key goes
    whole on the line under it, so it can still be read and copied in one piece.
    """
    from rich.text import Text

    from chathq_cli.output._layout import cell_len, key_width, unbroken

    width = console.width
    keys = key_width([c.header for c in columns], width)
    room = max(1, width - keys - 2)
    solid = [unbroken(c) for c in columns]
    grid = _key_value_grid(keys, room)
    for number, row in enumerate(cells):
        if number:
            grid.add_row("", "")
        for column, cell, whole in zip(columns, row, solid, strict=True):
            if whole and cell_len(cell) > room:
                console.print(grid)
                console.print(Text(column.header, style="bold"), overflow="fold")
                console.print(Text(cell), no_wrap=True, overflow="ignore", crop=False)
                grid = _key_value_grid(keys, room)
            else:
                grid.add_row(Text(column.header), Text(cell))
    if grid.row_count:
        console.print(grid)


def print_object(console: Console, columns: Sequence[Column], obj: Mapping[str, Any]) -> None:
    """A single resource as key/value lines (the record view of one row)."""
    print_records(console, columns, [[table_cell(obj, c) for c in columns]])


def _key_value_grid(keys: int, room: int) -> Table:
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", width=keys, overflow="fold")
    grid.add_column(max_width=room, overflow="fold")
    return grid
