"""`portal usage` in-process against the sandbox's demo data (clock at 2026-11-15 12:00 UTC):
the records, summaries, charts and exports match what the API holds. Ctrl-C during an export
and a reader that closes the pipe need a real process: tests/e2e/."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from support.harness import MEMBER, Sandbox, assert_one_line_error
from support.inprocess import FAST_RETRIES, Portal


def _account_id(sandbox: Sandbox, token: str) -> str:
    return str(sandbox.get("me", token)["default_account_id"])


def _api_records(sandbox: Sandbox, token: str, account_id: str, query: str = "") -> list[dict]:
    """Every usage record matching `query`, paged straight from the API."""
    records: list[dict[str, Any]] = []
    cursor = None
    while True:
        path = f"accounts/{account_id}/usage_records?limit=1000{query}"
        if cursor:
            path += f"&starting_after={cursor}"
        page = sandbox.get(path, token)
        records += page["data"]
        if not page["has_more"]:
            return records
        cursor = page["next_cursor"]


def _tsv(text: str) -> list[dict[str, str]]:
    """A piped table: a header line, then tab-separated rows."""
    lines = text.splitlines()
    assert lines, "no output"
    header = lines[0].split("\t")
    assert all("\t" in line or len(header) == 1 for line in lines)
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


@pytest.fixture
def owner(portal: Portal, sandbox: Sandbox) -> tuple[str, str]:
    """Signed in as the demo owner: (token, the default account's id)."""
    portal.login()
    token = portal.token()
    return token, _account_id(sandbox, token)


def test_unit_sms_unpaid_as_written(
    portal: Portal, sandbox: Sandbox, owner: tuple[str, str]
) -> None:
    token, account_id = owner
    result = portal.run("usage", "--unit", "sms", "--unpaid")
    assert "\x1b[" not in result.stdout and "│" not in result.stdout  # plain TSV when piped
    rows = _tsv(result.stdout)
    expected = _api_records(sandbox, token, account_id, "&unit=sms&status=unpaid")
    assert expected, "the demo data should have unpaid SMS records this month"
    assert [row["ID"] for row in rows] == [r["id"] for r in expected[:100]]
    assert {row["Unit"] for row in rows} == {"sms"}
    assert {row["Status"] for row in rows} == {"unpaid"}
    # Money is a plain decimal in TSV, equal to the API's.
    assert [row["Amount"] for row in rows] == [r["amount"]["amount"] for r in expected[:100]]


def test_default_limit_and_explicit_limit(
    portal: Portal, sandbox: Sandbox, owner: tuple[str, str]
) -> None:
    token, account_id = owner
    everything = _api_records(sandbox, token, account_id)
    assert len(everything) > 100, "the demo has 90 days of usage: more than one default page"
    assert len(_tsv(portal.run("usage").stdout)) == 100
    newest = portal.json("usage", "--limit", "5")
    assert [r["id"] for r in newest] == [r["id"] for r in everything[:5]]


def test_json_and_jq(portal: Portal, sandbox: Sandbox, owner: tuple[str, str]) -> None:
    token, account_id = owner
    records = portal.json("usage", "--unit", "calls", "--all")
    expected = _api_records(sandbox, token, account_id, "&unit=calls")
    assert records == expected  # the API's objects and field names, newest first
    first = portal.run("usage", "--unit", "calls", "--limit", "1", "--jq", ".[0].id")
    assert first.stdout == expected[0]["id"] + "\n"


def test_summary_equals_the_sum_of_the_records(portal: Portal, owner: tuple[str, str]) -> None:
    records = portal.json("usage", "--all")
    summary = portal.json("usage", "--summary")
    per_unit: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"count": 0, "quantity": 0, "amount": Decimal(0), "paid": Decimal(0)}
    )
    for record in records:
        unit = per_unit[record["unit"]]
        amount = Decimal(record["amount"]["amount"])
        assert amount == record["quantity"] * Decimal(record["unit_price"]["amount"])
        unit["count"] += 1
        unit["quantity"] += record["quantity"]
        unit["amount"] += amount
        unit["paid"] += amount if record["status"] == "paid" else 0
    assert {row["unit"] for row in summary["data"]} == set(per_unit)
    for row in summary["data"]:
        expected = per_unit[row["unit"]]
        assert row["count"] == expected["count"]
        assert row["quantity"] == expected["quantity"]
        assert Decimal(row["amount"]) == expected["amount"]
        assert Decimal(row["paid_amount"]) == expected["paid"]
        assert Decimal(row["unpaid_amount"]) == expected["amount"] - expected["paid"]
    total = sum((Decimal(r["amount"]["amount"]) for r in records), Decimal(0))
    assert summary["total"]["count"] == len(records)
    assert Decimal(summary["total"]["amount"]) == total

    jq = portal.run("usage", "--summary", "--json", "--jq", ".total.amount")
    assert Decimal(jq.stdout.strip()) == total


def test_summary_table_has_units_prices_and_a_total_row(
    portal: Portal, owner: tuple[str, str]
) -> None:
    summary = portal.json("usage", "--summary", "--unpaid")
    rows = _tsv(portal.run("usage", "--summary", "--unpaid").stdout)
    assert rows[-1]["Unit"] == "total"
    assert Decimal(rows[-1]["Amount"]) == Decimal(summary["total"]["amount"])
    assert Decimal(rows[-1]["Unpaid"]) == Decimal(summary["total"]["amount"])
    assert Decimal(rows[-1]["Paid"]) == 0
    prices = {"sms": "0.01", "calls": "0.06", "chat": "0.01", "numbers": "2.00"}
    for row in rows[:-1]:
        assert Decimal(row["Unit price"]) == Decimal(prices[row["Unit"]])


def test_by_month(portal: Portal, owner: tuple[str, str]) -> None:
    by_month = portal.json("usage", "--by", "month")
    periods = [row["period"] for row in by_month["data"]]
    assert set(periods) == {"2026-08", "2026-09", "2026-10", "2026-11"}
    total = sum((Decimal(row["amount"]) for row in by_month["data"]), Decimal(0))
    assert total == Decimal(by_month["total"]["amount"])
    # The current month is unpaid, the earlier ones are paid.
    november = next(row for row in by_month["data"] if row["period"] == "2026-11")
    assert Decimal(november["paid_amount"]) == 0
    rows = _tsv(portal.run("usage", "--summary", "--by", "month").stdout)
    assert [row["Period"] for row in rows][-1] == "total"
    assert sorted(row["Period"] for row in rows[:-1]) == sorted(periods)


def test_chart_piped_is_plain_bars(portal: Portal, owner: tuple[str, str]) -> None:
    by_month = portal.json("usage", "--by", "month")
    lines = portal.run("usage", "--chart").stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(r["period"] for r in by_month["data"])
    pattern = re.compile(r"^\d{4}-\d{2}  [█▏▎▍▌▋▊▉]* +\$[\d,]+\.\d{2}$")
    for line in lines:
        assert pattern.match(line), line
    assert "\x1b[" not in "".join(lines)
    # The largest month has the full-width bar.
    largest = max(by_month["data"], key=lambda r: Decimal(r["amount"]))["period"]
    widest = max(lines, key=lambda line: line.count("█"))
    assert widest.startswith(largest)
    weekly = portal.run("usage", "--chart", "--by", "week").stdout.splitlines()
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}  ", line) for line in weekly)


def test_chart_on_a_terminal_is_a_table_of_bars(portal: Portal, owner: tuple[str, str]) -> None:
    by_month = portal.json("usage", "--by", "month")
    result = portal.run("usage", "--chart", tty=True)
    lines = [line for line in result.stdout.splitlines() if "█" in line]
    assert [line.split()[0] for line in lines] == sorted(r["period"] for r in by_month["data"])
    assert all("$" in line for line in lines)


def test_export_csv_to_file(
    portal: Portal, sandbox: Sandbox, owner: tuple[str, str], tmp_path: Path
) -> None:
    token, account_id = owner
    target = tmp_path / "usage.csv"
    result = portal.run("usage", "--all", "--format", "csv", "--output", str(target))
    assert result.stdout == ""
    assert not Path(str(target) + ".part").exists()
    with target.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    expected = _api_records(sandbox, token, account_id)
    assert len(rows) == len(expected)
    assert [row["id"] for row in rows] == [r["id"] for r in expected]
    assert [row["amount.amount"] for row in rows] == [r["amount"]["amount"] for r in expected]


def test_export_survives_failed_pages(
    portal: Portal, sandbox: Sandbox, owner: tuple[str, str], tmp_path: Path
) -> None:
    """A 500 or a dropped connection on a GET page is retried, and the file is still complete."""
    token, account_id = owner
    expected = [r["id"] for r in _api_records(sandbox, token, account_id)]
    target = tmp_path / "usage.csv"
    sandbox.faults(0.5, ["error_after"], seed=3)
    try:
        result = portal.run(
            *("usage", "--all", "--format", "csv", "--output", str(target), "--debug"),
            env=FAST_RETRIES,
        )
    finally:
        sandbox.faults(0.0)
    assert "* retrying" in result.stderr  # otherwise the test proves nothing
    with target.open(newline="", encoding="utf-8") as stream:
        assert [row["id"] for row in csv.DictReader(stream)] == expected


def test_export_json_and_tsv_to_file(
    portal: Portal, owner: tuple[str, str], tmp_path: Path
) -> None:
    as_json = tmp_path / "usage.json"
    portal.run("usage", "--unit", "numbers", "--all", "--json", "-o", str(as_json))
    records = json.loads(as_json.read_text(encoding="utf-8"))
    assert records and {r["unit"] for r in records} == {"numbers"}
    as_tsv = tmp_path / "usage.tsv"
    portal.run("usage", "--unit", "numbers", "--all", "--output", str(as_tsv))
    rows = _tsv(as_tsv.read_text(encoding="utf-8"))
    assert [row["ID"] for row in rows] == [r["id"] for r in records]


def test_failed_export_leaves_no_file(
    portal: Portal, owner: tuple[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    # An unknown account: the first page is a 404, so nothing may be left behind.
    result = portal.run(
        *("usage", "--all", "--format", "csv", "--output", str(target)),
        *("--account", "acct_doesnotexist"),
        exit_code=6,
    )
    assert_one_line_error(result)
    assert not target.exists()
    assert not Path(str(target) + ".part").exists()


def test_export_failing_after_retries_leaves_no_file(
    portal: Portal, sandbox: Sandbox, owner: tuple[str, str], tmp_path: Path
) -> None:
    target = tmp_path / "usage.csv"
    sandbox.faults(1.0, ["error_before"])  # every request: 503 + Retry-After
    result = portal.run(
        *("usage", "--all", "--format", "csv", "--output", str(target)),
        env={"PORTAL_RETRY_ATTEMPTS": "2", "PORTAL_RETRY_MAX_DELAY": "0.1"},
        exit_code=8,
    )
    assert_one_line_error(result)
    assert not target.exists()
    assert not Path(str(target) + ".part").exists()


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--since", "2026-11-01", "--until", "2026-10-01"], "--until"),
        (["--since", "2026-11-01", "--until", "2026-11-01"], "--until"),
        (["--since", "2026-02-30"], "--since"),
        (["--unit", "fax"], "--unit"),
        (["--paid", "--unpaid"], "--unpaid"),
        (["--limit", "0"], "--limit"),
        (["--limit", "-5"], "--limit"),
        (["--limit", "1000001"], "--limit"),
        (["--limit", "10", "--all"], "--limit"),
        (["--chart", "--format", "csv"], "--chart"),
        (["--by", "year"], "--by"),
        (["--output", "/nonexistent-dir/usage.csv"], "--output"),
    ],
)
def test_bad_input_is_one_line_exit_2(portal: Portal, args: list[str], option: str) -> None:
    # Not even signed in: the arguments are refused before any credential or request.
    result = portal.run("usage", *args, exit_code=2)
    assert_one_line_error(result, mentions=option)
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (["--json", "--until", "2026-13-01"], "--until"),
        (["--chart", "--json"], "--chart"),
        (["--chart", "--format", "json"], "--chart"),
    ],
)
def test_bad_input_in_json_mode_is_one_json_error(
    portal: Portal, args: list[str], param: str
) -> None:
    result = portal.run("usage", *args, exit_code=2)
    error = json.loads(result.stderr)["error"]  # one JSON object and nothing else
    assert error["param"] == param
    assert param in error["message"]
    assert result.stdout == ""


def test_a_member_can_read_usage(portal: Portal, sandbox: Sandbox) -> None:
    portal.login(MEMBER)
    token = portal.token()
    summary = portal.json("usage", "--summary")
    account_id = _account_id(sandbox, token)
    assert summary["total"]["count"] == len(_api_records(sandbox, token, account_id))
    assert len(portal.json("usage", "--limit", "3")) == 3


def test_not_signed_in_is_exit_4(portal: Portal) -> None:
    result = portal.run("usage", exit_code=4)
    assert_one_line_error(result)


def test_prices(portal: Portal, owner: tuple[str, str]) -> None:
    prices = portal.json("usage", "prices")
    assert {p["unit"]: (p["unit_price"]["amount"], p["per"]) for p in prices} == {
        "sms": ("0.01", "message"),
        "calls": ("0.06", "minute"),
        "chat": ("0.01", "turn"),
        "numbers": ("2.00", "month"),
    }
    rows = _tsv(portal.run("usage", "prices").stdout)
    assert {row["Unit"]: row["Price"] for row in rows}["numbers"] == "2.00"


def test_table_on_a_terminal_shows_money_with_its_currency(
    portal: Portal, owner: tuple[str, str]
) -> None:
    result = portal.run("usage", "--summary", tty=True)
    assert "$" in result.stdout and "total" in result.stdout
    records = portal.run("usage", "--unit", "numbers", "--limit", "2", tty=True)
    assert "$2.00" in records.stdout


def test_help_has_examples(portal: Portal, capsys: pytest.CaptureFixture[str]) -> None:
    portal.run("usage", "--help")
    text = capsys.readouterr().out  # Typer writes help to the process's stdout
    assert "Examples" in text and "--unit sms --unpaid" in text
    assert "prices" in text
    portal.run("usage", "prices", "--help")
    assert "Examples" in capsys.readouterr().out


def test_csv_export_is_parseable_with_the_csv_module(
    portal: Portal, owner: tuple[str, str]
) -> None:
    text = portal.run("usage", "--unit", "chat", "--limit", "20", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 20 and {row["unit"] for row in rows} == {"chat"}
