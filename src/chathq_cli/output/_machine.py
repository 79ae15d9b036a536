"""Data for scripts: CSV, TSV and a streamed JSON array, written row by row.

How a row becomes flat cells (CSV and TSV alike):

- a column is one cell, headed by its key (CSV) or its title (TSV): text as is, numbers in
  full, booleans `true`/`false`, times in RFC 3339, a missing value empty;
- a money column is two cells, the amount as a plain decimal and the currency code as the
  API gives it, so an amount never goes without its currency. In CSV they are headed by the
  dotted paths of the two fields of the API's Money object, `unit_price.amount` and
  `unit_price.currency` (from a column keyed `unit_price.amount` or `unit_price`); in TSV by
  the title and the title followed by "currency" (`Unit price`, `Unit price currency`);
- any other nested value (an object, a list) is one cell of compact JSON.
"""

from __future__ import annotations

import csv
import errno
import io
import keyword
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from chathq_cli.output._format import (
    Column,
    dumps,
    escape_control,
    escape_control_keep_layout,
    money_currency,
    plain_cell,
)


class _TerminalSafeWriter:
    """The stream csv.writer writes to: each row made terminal-safe on its way out.

    Escaping the finished row, not each cell, costs one regex scan per row (exports of a
    million rows). It is equivalent: the escapes contain no quote, comma or newline, so the
    CSV quoting around them stays right.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._write = stream.write

    def write(self, text: str) -> int:
        return self._write(escape_control_keep_layout(text))


def write_csv(
    stream: IO[str],
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    header: bool = True,
) -> None:
    """A header of the column keys (unless `header` is False), then one line per row."""
    # CSV is often `cat`-ed: control characters are escaped in every cell, always.
    writer = csv.writer(_TerminalSafeWriter(stream), lineterminator="\n")
    if header:
        writer.writerow(csv_header(columns))
    cells = _flattener(columns)
    for row in rows:
        writer.writerow(cells(row))


def csv_header(columns: Sequence[Column]) -> list[str]:
    cells: list[str] = []
    for column in columns:
        if column.kind == "money":
            path = column.key.removesuffix(".amount")
            cells += [f"{path}.amount", f"{path}.currency"]
        else:
            cells.append(column.key)
    return cells


def write_csv_pages(
    stream: IO[str],
    columns: Sequence[Column],
    pages: Iterable[Sequence[Any]],
    *,
    header: bool = True,
) -> None:
    """What `write_csv` writes, for records a schema has checked and decoded into objects read
    by attribute (every cell a string, an int or None; money objects with their amount and
    currency), a page at a time.

    The bulk export's path: a row is one expression instead of a call per cell, a page is
    one `writerows` and one scan for control characters, then one write. Each page is
    written whole before the next is taken, so whoever yields the pages knows, when asked
    for the next one, that the previous one is in `stream` (an export's checkpoint).
    """
    row = _validated_row(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(csv_header(columns))
    for page in pages:
        writer.writerows(map(row, page))
        stream.write(escape_control_keep_layout(buffer.getvalue()))
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        stream.write(escape_control_keep_layout(buffer.getvalue()))


def _validated_row(columns: Sequence[Column]) -> Callable[[Any], tuple[Any, ...]]:
    """`lambda r: (r.occurred_at, r.unit_price.amount, ...)` for `columns`.

    Generated once per export from our own column keys (each step an identifier, so nothing
    but attribute reads can come of them): a call per cell costs
    four times as much at a million rows. The csv module writes an int as `str()` and None as
    an empty cell, which is what `plain_cell` gives the same values.
    """
    cells = []
    for column in columns:
        base = column.key.removesuffix(".amount") if column.kind == "money" else column.key
        steps = base.split(".")
        if not all(step.isidentifier() and not keyword.iskeyword(step) for step in steps):
            raise ValueError(f"not an attribute path: {base!r}")
        path = "r." + ".".join(steps)
        if column.kind == "money":
            cells += [f"{path}.amount", f"{path}.currency"]
        else:
            cells.append(path)
    function: Callable[[Any], tuple[Any, ...]] = eval(  # noqa: S307
        f"lambda r: ({', '.join(cells)},)", {"__builtins__": {}}
    )
    return function


def write_tsv(
    stream: IO[str],
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    header: bool = True,
) -> None:
    """A header of the column titles (unless `header` is False), then one line per row."""
    if header:
        _tsv_line(stream, _titles(columns))
    cells = _flattener(columns)
    for row in rows:
        _tsv_line(stream, cells(row))


def write_tsv_fields(stream: IO[str], columns: Sequence[Column], obj: Mapping[str, Any]) -> None:
    """One resource as `title<TAB>value` lines."""
    for title, cell in zip(_titles(columns), _flattener(columns)(obj), strict=True):
        _tsv_line(stream, [title, cell])


def _titles(columns: Sequence[Column]) -> list[str]:
    titles: list[str] = []
    for column in columns:
        titles.append(column.header)
        if column.kind == "money":
            titles.append(f"{column.header} currency".strip())
    return titles


def _flattener(columns: Sequence[Column]) -> Callable[[Mapping[str, Any]], list[str]]:
    """The flat cells of a row, decided once per list (an export has a million rows)."""
    getters: list[Callable[[Mapping[str, Any]], str]] = []
    for column in columns:
        getters.append(_cell_getter(column))
        if column.kind == "money":
            getters.append(_currency_getter(column))
    return lambda row: [cell(row) for cell in getters]


# The getters below answer the common case (a JSON dict holding a string or an int where the
# column expects it) with a subscript and a type check, and hand anything else to the general
# rule in `_format`: `plain_cell` and `money_currency` cost several times more per cell, and
# an export has ten cells a row and a million rows.


def _cell_getter(column: Column) -> Callable[[Mapping[str, Any]], str]:
    path = column.key.removesuffix(".amount") if column.kind == "money" else column.key
    steps = path.split(".")
    last = "amount" if column.kind == "money" else None

    def cell(row: Mapping[str, Any]) -> str:
        try:
            value: Any = row
            for step in steps:
                value = value[step]
            if last is not None:
                value = value[last]
            if type(value) is str:
                return value
            if value is None and last is None:
                return ""
            if type(value) is int:
                return str(value)
        except (KeyError, TypeError, IndexError):
            pass
        return plain_cell(row, column)

    return cell


def _currency_getter(column: Column) -> Callable[[Mapping[str, Any]], str]:
    steps = column.key.removesuffix(".amount").split(".")

    def currency(row: Mapping[str, Any]) -> str:
        try:
            money: Any = row
            for step in steps:
                money = money[step]
            code = money["currency"]
            if type(money["amount"]) is str and type(code) is str and code:
                return code
        except (KeyError, TypeError, IndexError):
            pass
        return money_currency(row, column)

    return currency


def _tsv_line(stream: IO[str], cells: Sequence[str]) -> None:
    # Tabs and newlines inside a value would break the row: escape them like any control.
    stream.write("\t".join(escape_control(cell) for cell in cells) + "\n")


def stream_json_array(
    stream: IO[str], rows: Iterable[Mapping[str, Any]], *, continued: bool = False
) -> None:
    """A JSON array written one element at a time, so a long list never sits in memory.

    `continued`: the array's opening and first elements were written earlier (a resumed
    export); this goes on after them.
    """
    first = not continued
    for row in rows:
        body = dumps(row, indent=2).replace("\n", "\n  ")
        stream.write(("[\n  " if first else ",\n  ") + body)
        first = False
    stream.write("[]\n" if first else "\n]\n")


class DataStream:
    """stdout (or `--output FILE`) as the data is written to it: a failed write or flush is
    an `OutputError` ("cannot write output: no space left on device", exit 1), not an
    unexpected OSError. A closed pipe stays a BrokenPipeError: the reader has gone, which the
    error boundary treats as the end, not a failure."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from exc

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _failed(self, exc: OSError) -> Exception:
        from chathq_cli.errors import OutputError

        # Nothing more to do for the interpreter's last flush at exit: a failed flush leaves
        # the buffer empty, so it does not fail again (the /dev/full test holds to that).
        if exc.errno == errno.ENOSPC:
            reason = "no space left on device"
        elif exc.errno is not None:
            reason = os.strerror(exc.errno).lower()
        else:
            reason = str(exc) or type(exc).__name__
        return OutputError(f"cannot write output: {reason}")
