"""The fast cell getters of CSV/TSV give exactly the general rule's cells (`plain_cell` and
`money_currency`) for every shape a row can take, not only the common one they speed up."""

from __future__ import annotations

from collections import OrderedDict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest

from chathq_cli.output import Column
from chathq_cli.output._format import money_currency, plain_cell
from chathq_cli.output._machine import _flattener

COLUMNS = [
    Column("id", "ID", "id"),
    Column("quantity", "Quantity", "int"),
    Column("meta.owner", "Owner"),
    Column("unit_price.amount", "Unit price", "money"),
    Column("amount", "Amount", "money"),
]

ROWS: list[dict[str, Any]] = [
    {
        "id": "ur_1",
        "quantity": 3,
        "meta": {"owner": "ann"},
        "unit_price": {"amount": "0.01", "currency": "usd"},
        "amount": {"amount": "0.03", "currency": "eur"},
    },
    {},
    {"id": None, "quantity": True, "meta": None, "unit_price": None, "amount": None},
    {"id": 7, "quantity": Decimal("1.50"), "meta": {"owner": ["a", "b"]}, "amount": "4.00"},
    {"meta": "flat", "unit_price": {"amount": None, "currency": "usd"}, "amount": {"amount": 5}},
    {"meta": {"owner": {"name": "x"}}, "unit_price": {"amount": "1", "currency": ""}},
    {"meta": OrderedDict(owner="od"), "unit_price": "2.00", "amount": {"currency": "usd"}},
    {"id": "ur_\x1b[31m", "unit_price": {"amount": Decimal("0.5"), "currency": None}},
]


def general(row: dict[str, Any]) -> list[str]:
    cells = []
    for column in COLUMNS:
        cells.append(plain_cell(row, column))
        if column.kind == "money":
            cells.append(money_currency(row, column))
    return cells


@pytest.mark.parametrize("row", ROWS, ids=range(len(ROWS)))
def test_fast_cells_equal_the_general_rule(row: dict[str, Any]) -> None:
    assert _flattener(COLUMNS)(row) == general(row)


def usage_row(n: int, description: str, invoice: str | None) -> dict[str, Any]:
    return {
        "id": f"ur_{n}",
        "occurred_at": "2026-11-01T00:00:00Z",
        "unit": "calls",
        "description": description,
        "quantity": n,
        "unit_price": {"amount": "0.06", "currency": "usd"},
        "amount": {"amount": f"{0.06 * n:.2f}", "currency": "eur"},
        "status": "paid",
        "invoice": invoice,
    }


def test_csv_pages_write_what_write_csv_writes() -> None:
    import io

    from chathq_cli.output._machine import write_csv, write_csv_pages

    columns = [
        Column("occurred_at", "Time", "time"),
        Column("unit", "Unit"),
        Column("description", "Description"),
        Column("quantity", "Quantity", "int"),
        Column("unit_price.amount", "Unit price", "money"),
        Column("amount.amount", "Amount", "money"),
        Column("status", "Status"),
        Column("invoice", "Invoice", "id"),
        Column("id", "ID", "id"),
    ]
    texts = ["AI call, 2 min", 'say "hi"', "two\nlines", "bell\x07 and \x1b[31m", "ünï ✓", ""]
    rows = [usage_row(n, texts[n % len(texts)], None if n % 3 else f"in_{n}") for n in range(25)]
    whole, paged = io.StringIO(), io.StringIO()
    write_csv(whole, columns, rows)
    # The export hands records decoded into objects read by attribute.
    records = [_by_attribute(row) for row in rows]
    write_csv_pages(paged, columns, [records[:10], records[10:20], records[20:]])
    assert paged.getvalue() == whole.getvalue()
    continued = io.StringIO()
    write_csv_pages(continued, columns, [records[10:]], header=False)
    assert whole.getvalue().endswith(continued.getvalue())
    empty = io.StringIO()
    write_csv_pages(empty, columns, [])
    assert empty.getvalue() == whole.getvalue().splitlines(keepends=True)[0]


def _by_attribute(value: Any) -> Any:
    if isinstance(value, dict):
        return SimpleNamespace(**{key: _by_attribute(item) for key, item in value.items()})
    return value
