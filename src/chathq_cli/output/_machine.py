"""Data for scripts: CSV, TSV and a streamed JSON array, written row by row."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from chathq_cli.output._format import (
    Column,
    dumps,
    escape_control,
    escape_control_keep_layout,
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
    stream: IO[str], columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]
) -> None:
    """A header of the column keys, then one line per row."""
    # CSV is often `cat`-ed: control characters are escaped in every cell, always.
    writer = csv.writer(_TerminalSafeWriter(stream), lineterminator="\n")
    writer.writerow([c.key for c in columns])
    for row in rows:
        writer.writerow([plain_cell(row, c) for c in columns])


def write_tsv(
    stream: IO[str], columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]
) -> None:
    """A header of the column titles, then one tab-separated line per row."""
    _tsv_line(stream, [c.header for c in columns])
    for row in rows:
        _tsv_line(stream, [plain_cell(row, c) for c in columns])


def write_tsv_fields(stream: IO[str], columns: Sequence[Column], obj: Mapping[str, Any]) -> None:
    """One resource as `title<TAB>value` lines."""
    for column in columns:
        _tsv_line(stream, [column.header, plain_cell(obj, column)])


def _tsv_line(stream: IO[str], cells: Sequence[str]) -> None:
    # Tabs and newlines inside a value would break the row: escape them like any control.
    stream.write("\t".join(escape_control(cell) for cell in cells) + "\n")


def stream_json_array(stream: IO[str], rows: Iterable[Mapping[str, Any]]) -> None:
    """A JSON array written one element at a time, so a long list never sits in memory."""
    first = True
    for row in rows:
        body = dumps(row, indent=2).replace("\n", "\n  ")
        stream.write(("[\n  " if first else ",\n  ") + body)
        first = False
    stream.write("[]\n" if first else "\n]\n")
