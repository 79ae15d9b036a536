"""CSV and TSV keep a money amount's currency: two cells, `<path>.amount` and `<path>.currency`."""

from __future__ import annotations

import csv
import io

import pytest
from _output_helpers import make_output, stdout_of

from chathq_cli.output import Column

USAGE_COLUMNS = [
    Column("unit", "Unit"),
    Column("unit_price.amount", "Unit price", "money"),
    Column("amount", "Amount", "money"),
]
USAGE_ROWS = [
    {
        "unit": "sms",
        "unit_price": {"amount": "0.01", "currency": "usd"},
        "amount": {"amount": "12.30", "currency": "eur"},
    },
    {"unit": "chat", "unit_price": None, "amount": {"amount": "0", "currency": "usd"}},
]


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_keeps_the_currency_beside_each_amount() -> None:
    out, env = make_output(fmt="csv")
    out.list(USAGE_ROWS, USAGE_COLUMNS)
    assert _csv(stdout_of(env)) == [
        ["unit", "unit_price.amount", "unit_price.currency", "amount.amount", "amount.currency"],
        ["sms", "0.01", "usd", "12.30", "eur"],
        ["chat", "", "", "0", "usd"],  # no price: neither amount nor currency
    ]


def test_tsv_keeps_the_currency_beside_each_amount() -> None:
    out, env = make_output()
    out.list(USAGE_ROWS[:1], USAGE_COLUMNS)
    assert stdout_of(env).splitlines() == [
        "Unit\tUnit price\tUnit price currency\tAmount\tAmount currency",
        "sms\t0.01\tusd\t12.30\teur",
    ]


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("csv", "unit,unit_price.amount,unit_price.currency\nsms,0.01,usd\n"),
        (None, "Unit\tsms\nUnit price\t0.01\nUnit price currency\tusd\n"),
    ],
)
def test_an_object_keeps_the_currency_too(fmt: str | None, expected: str) -> None:
    out, env = make_output(fmt=fmt)
    out.object(USAGE_ROWS[0], USAGE_COLUMNS[:2])
    assert stdout_of(env) == expected


def test_a_bare_amount_takes_the_currency_of_its_money_object() -> None:
    out, env = make_output(fmt="csv")
    row = {"total": {"amount": "10.5", "currency": "eur"}}
    out.list([row], [Column("total.amount", "Total", "money")])
    assert _csv(stdout_of(env))[1] == ["10.5", "eur"]
