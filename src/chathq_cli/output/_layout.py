"""Fitting a table to the terminal: which columns to show, and how wide each one is.

A pure function of the cells and the width, so it is tested without Rich. Rich alone, given a
table wider than the terminal, shrinks every column in proportion until headers fold into
single letters; here the decision is made first, in this order:

1. every column at its natural width (its longest cell or header), when that fits;
2. else wrapping (text) columns fold down to their minimum width;
3. else columns are left out, highest `priority` number first (the rightmost among equals),
   until the rest fits at their minimum widths;
4. else, when even the essential columns (priority 1) cannot fit, no table: the caller shows
   one key/value block per row (the record view).

IDs, times, amounts, numbers and booleans never wrap; a header is never narrower than its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from chathq_cli.output._format import ESSENTIAL, UNBROKEN_KINDS, Column

GAP = 2  # cells between two columns: one of padding, one of (blank) divider
DEFAULT_MIN_WIDTH = 10


@dataclass(frozen=True)
class TableLayout:
    """The columns to show (indexes into the caller's list, in order) and their widths."""

    indexes: tuple[int, ...]
    widths: tuple[int, ...]

    @property
    def total_width(self) -> int:
        return sum(self.widths) + GAP * (len(self.widths) - 1)


def _cell_len(text: str) -> int:
    from rich.cells import cell_len  # East Asian wide characters take two cells

    return cell_len(text)


def wraps(column: Column) -> bool:
    """True when long cells of `column` fold onto more lines (text columns, "fold")."""
    return column.kind not in UNBROKEN_KINDS and column.overflow == "fold"


def _minimum(column: Column, header: int, natural: int) -> int:
    if column.kind in UNBROKEN_KINDS:
        return natural
    floor = column.min_width if column.min_width is not None else DEFAULT_MIN_WIDTH
    return max(header, min(natural, floor))


def plan_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int
) -> TableLayout | None:
    """The layout of `rows` (cells already formatted) in `width` cells; None: use records."""
    headers = [_cell_len(c.header) for c in columns]
    natural = list(headers)
    for cells in rows:
        for i, cell in enumerate(cells):
            length = _cell_len(cell)
            if length > natural[i]:
                natural[i] = length
    minimum = [_minimum(c, headers[i], natural[i]) for i, c in enumerate(columns)]

    kept = list(range(len(columns)))

    def needed(indexes: list[int]) -> int:
        return sum(minimum[i] for i in indexes) + GAP * (len(indexes) - 1)

    # Leave out the least valuable columns (highest number; rightmost first) until it fits.
    by_value = sorted(
        (i for i in kept if columns[i].effective_priority(i) > ESSENTIAL),
        key=lambda i: (columns[i].effective_priority(i), i),
        reverse=True,
    )
    for i in by_value:
        if needed(kept) <= width:
            break
        kept.remove(i)
    if not kept or needed(kept) > width:
        return None

    widths = {i: minimum[i] for i in kept}
    spare = width - needed(kept)
    # Share what is left among the columns still short of their natural width, evenly, so one
    # long description does not take all the room from a long name.
    while spare > 0:
        short = [i for i in kept if widths[i] < natural[i]]
        if not short:
            break
        share = max(1, spare // len(short))
        for i in short:
            grow = min(share, natural[i] - widths[i], spare)
            widths[i] += grow
            spare -= grow
            if spare == 0:
                break
    return TableLayout(tuple(kept), tuple(widths[i] for i in kept))


def key_width(headers: Sequence[str], width: int) -> int:
    """The width of the key column of a key/value view: its longest key, at most a third."""
    longest = max((_cell_len(h) for h in headers), default=0)
    return max(1, min(longest, width // 3))
