"""Amounts (spend limits in dollars and cents) and --limit/--all counts as people type them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chathq_cli.errors import ExitCode, UsageError
from chathq_cli.inputs.amounts import DEFAULT_LIMIT, MAX_LIMIT, check_limit, parse_amount


def _usage_error(excinfo: pytest.ExceptionInfo[UsageError], param: str) -> str:
    err = excinfo.value
    assert err.exit_code == ExitCode.USAGE
    assert err.param == param
    assert param in err.message  # the one line names the option
    assert "\n" not in err.message
    return err.message


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("100", "100.00"),
        (" $1,234.5 ", "1234.50"),
        ("0", "0.00"),
        ("0.1", "0.10"),
        ("999,999,999.99", "999999999.99"),
        ("$7", "7.00"),
    ],
)
def test_parse_amount_is_exact_to_the_cent(text: str, amount: str) -> None:
    parsed = parse_amount(text, "--max-unpaid")
    assert parsed == Decimal(amount) and str(parsed) == amount


@pytest.mark.parametrize(
    ("text", "mentions"),
    [
        ("-0.01", "negative"),
        ("-5", "negative"),
        ("1E3", "not an amount"),
        ("NaN", "not an amount"),
        ("1.005", "not an amount"),
        ("1,00", "not an amount"),
        ("١٠٠", "not an amount"),  # Arabic-Indic digits
        ("", "not an amount"),
        ("1" * 100, "..."),  # a long value is cut in the one line
    ],
)
def test_parse_amount_refuses(text: str, mentions: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        parse_amount(text, "--max-amount")
    assert mentions in _usage_error(excinfo, "--max-amount")


def test_limit_defaults_and_all() -> None:
    assert check_limit(None, False) == DEFAULT_LIMIT == 100
    assert check_limit(None, True) is None
    assert check_limit(1, False) == 1
    assert check_limit(MAX_LIMIT, False) == MAX_LIMIT


@pytest.mark.parametrize("limit", [0, -1, -100, MAX_LIMIT + 1, 10**30])
def test_limit_out_of_range(limit: int) -> None:
    with pytest.raises(UsageError) as excinfo:
        check_limit(limit, False)
    _usage_error(excinfo, "--limit")


def test_limit_with_all_is_refused() -> None:
    with pytest.raises(UsageError) as excinfo:
        check_limit(10, True)
    _usage_error(excinfo, "--limit")
