"""Fitting a table to the terminal: which columns to show, how wide, and how each one overflows.

The one column renderer of the CLI. A pure function of the columns, the cells and the width,
so it is tested without Rich. Rich alone, given a table wider than the terminal, shrinks every
column in proportion until headers fold into single letters and IDs break in two; here the
decision is made first.

What a column holds (its `role`) comes from its key and kind, so commands rarely need hints:

- `id`: the `id` key, `*_id` keys and the "id" kind (an API key's masked `prefix…last4`);
- `email`: the `email` and `*_email` keys;
- `time`: the "time" kind, and `*_at` / `*_day` keys (a date shown on its own);
- `name`: the `name` and `*_name` keys;
- `money`, `int`, `bool`: those kinds; anything else is free `text`.

Priorities (1 is most valuable; `Column.priority` overrides): the row's `id` and a list's first
column are essential (1); names, e-mail addresses, money and other text 2; other IDs, numbers
and booleans 3; times 4. An ID or an e-mail address is thus never left out before a text column
of lower value, and the row's ID never at all.

The layout, in this order:

1. every column at its natural width (its longest cell or header), when that fits;
2. else text columns narrow down to their minimum width (`Column.min_width`, default 10);
3. else columns are left out, highest priority number first (the rightmost among equals),
   until the rest fits at their minimum widths;
4. else, when even the essential columns cannot fit, or only one of several columns would be
   left, no table: the caller shows one key/value block per row (the record view).

IDs, e-mail addresses, times, amounts, numbers and booleans are never broken: their minimum is
their natural width. The room left over goes to names first, then to free text. A name that
still does not fit folds at word boundaries; free text stays on one line and ends in "…"
(the full value is in `--json`, CSV and TSV). A header is never narrower than its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from chathq_cli.output._format import Column

Role = Literal["id", "email", "time", "name", "text", "money", "int", "bool"]

GAP = 2  # cells between two columns: one of padding, one of (blank) divider
DEFAULT_MIN_WIDTH = 10
ESSENTIAL = 1  # a column with this priority is never left out of a terminal table
UNBROKEN: frozenset[Role] = frozenset({"id", "email", "time", "money", "int", "bool"})
_PRIORITY: dict[Role, int] = {
    "name": 2,
    "email": 2,
    "text": 2,
    "money": 2,
    "id": 3,
    "int": 3,
    "bool": 3,
    "time": 4,
}


@dataclass(frozen=True)
class TableLayout:
    """The columns to show (indexes into the caller's list, in order) and their widths."""

    indexes: tuple[int, ...]
    widths: tuple[int, ...]

    @property
    def total_width(self) -> int:
        return sum(self.widths) + GAP * (len(self.widths) - 1)


def cell_len(text: str) -> int:
    from rich.cells import cell_len as rich_cell_len  # East Asian wide characters take two

    return rich_cell_len(text)


def role(column: Column) -> Role:
    """What `column` holds, from its kind and its key (the last part of a dotted key)."""
    if column.kind in ("money", "int", "bool", "time"):
        return column.kind
    leaf = column.key.rsplit(".", 1)[-1]
    if leaf.endswith(("_at", "_day")):
        return "time"
    if column.kind == "id" or leaf == "id" or leaf.endswith("_id"):
        return "id"
    if leaf == "email" or leaf.endswith("_email"):
        return "email"
    if leaf == "name" or leaf.endswith("_name"):
        return "name"
    return "text"


def priority(column: Column, index: int) -> int:
    """`column.priority`, or the default for its role at position `index` of a list."""
    if column.priority is not None:
        return column.priority
    if index == 0 or column.key == "id":
        return ESSENTIAL
    return _PRIORITY[role(column)]


def unbroken(column: Column) -> bool:
    """True when a cell of `column` is never split across lines nor cut."""
    return role(column) in UNBROKEN


def wraps(column: Column) -> bool:
    """True when long cells of `column` continue on more lines (names; `overflow="fold"`)."""
    if unbroken(column):
        return False
    if column.overflow is not None:
        return column.overflow == "fold"
    return role(column) == "name"


def _minimum(column: Column, header: int, natural: int) -> int:
    if unbroken(column):
        return natural
    floor = column.min_width if column.min_width is not None else DEFAULT_MIN_WIDTH
    return max(header, min(natural, floor))


def plan_table(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], width: int
) -> TableLayout | None:
    """The layout of `rows` (cells already formatted) in `width` cells; None: use records."""
    headers = [cell_len(c.header) for c in columns]
    natural = list(headers)
    for cells in rows:
        for i, cell in enumerate(cells):
            length = cell_len(cell)
            if length > natural[i]:
                natural[i] = length
    minimum = [_minimum(c, headers[i], natural[i]) for i, c in enumerate(columns)]
    ranks = [priority(c, i) for i, c in enumerate(columns)]

    kept = list(range(len(columns)))

    def needed(indexes: list[int]) -> int:
        return sum(minimum[i] for i in indexes) + GAP * (len(indexes) - 1)

    # Leave out the least valuable columns (highest number; rightmost first) until it fits.
    by_value = sorted(
        (i for i in kept if ranks[i] > ESSENTIAL), key=lambda i: (ranks[i], i), reverse=True
    )
    for i in by_value:
        if needed(kept) <= width:
            break
        kept.remove(i)
    if not kept or needed(kept) > width or (len(kept) == 1 and len(columns) > 1):
        return None

    widths = {i: minimum[i] for i in kept}
    spare = width - needed(kept)
    # Names first, so a name folds only when free text has been cut as far as it goes; within
    # each group the room is shared evenly, so one long value does not take it all.
    for group in ([i for i in kept if wraps(columns[i])], kept):
        spare = _share(group, widths, natural, spare)
    return TableLayout(tuple(kept), tuple(widths[i] for i in kept))


def _share(group: list[int], widths: dict[int, int], natural: list[int], spare: int) -> int:
    """Widen the columns of `group` towards their natural widths; return the room left."""
    while spare > 0:
        short = [i for i in group if widths[i] < natural[i]]
        if not short:
            break
        share = max(1, spare // len(short))
        for i in short:
            grow = min(share, natural[i] - widths[i], spare)
            widths[i] += grow
            spare -= grow
            if spare == 0:
                break
    return spare


def key_width(headers: Sequence[str], width: int) -> int:
    """The width of the key column of a key/value view: its longest key, at most a third."""
    longest = max((cell_len(h) for h in headers), default=0)
    return max(1, min(longest, width // 3))


def relative_cells(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], now: datetime
) -> list[list[str]]:
    """`rows` with every time in a time column said relative to `now` ("3 days ago"), as gh
    shows them at a terminal; dates on their own and anything unparsable stay as they are."""
    times = [i for i, column in enumerate(columns) if role(column) == "time"]
    if not times:
        return [list(row) for row in rows]
    out = []
    for row in rows:
        cells = list(row)
        for i in times:
            moment = _moment(cells[i])
            if moment is not None:
                cells[i] = relative_time(moment, now)
        out.append(cells)
    return out


def _moment(cell: str) -> datetime | None:
    """The instant of a time cell: `2026-11-15 12:00 UTC` (as shown) or RFC 3339."""
    if len(cell) <= 10:  # a bare date (or "-"): a day, not an instant
        return None
    text = cell[:-4] if cell.endswith(" UTC") else cell
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def relative_time(moment: datetime, now: datetime) -> str:
    """gh's words for how long ago (or how far ahead) `moment` is: "less than a minute ago",
    "about 1 hour ago", "3 days ago", "in 2 months"."""
    seconds = (now - moment).total_seconds()
    future = seconds < 0
    seconds = abs(seconds)
    if seconds < 60:
        return "in less than a minute" if future else "less than a minute ago"
    minutes = int(seconds // 60)
    hours = minutes // 60
    days = hours // 24
    if minutes < 60:
        amount, unit = minutes, "minute"
    elif hours < 24:
        amount, unit = hours, "hour"
    elif days < 30:
        amount, unit = days, "day"
    elif days < 365:
        amount, unit = days // 30, "month"
    else:
        amount, unit = days // 365, "year"
    words = f"about 1 {unit}" if amount == 1 else f"{amount} {unit}s"
    return f"in {words}" if future else f"{words} ago"
