"""End to end: `portal usage` against the sandbox's demo data (clock at 2026-11-15 12:00 UTC)."""

from __future__ import annotations

import csv
import io
import json
import re
import signal
import subprocess
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from support.harness import MEMBER, Cli, Sandbox, assert_one_line_error

pytestmark = pytest.mark.e2e


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
def owner(cli: Cli, sandbox: Sandbox) -> tuple[str, str]:
    """Signed in as the demo owner: (token, the default account's id)."""
    cli.login()
    token = cli.token()
    return token, _account_id(sandbox, token)


def test_unit_sms_unpaid_as_written(cli: Cli, sandbox: Sandbox, owner: tuple[str, str]) -> None:
    token, account_id = owner
    result = cli.run("usage", "--unit", "sms", "--unpaid")
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
    cli: Cli, sandbox: Sandbox, owner: tuple[str, str]
) -> None:
    token, account_id = owner
    everything = _api_records(sandbox, token, account_id)
    assert len(everything) > 100, "the demo has 90 days of usage: more than one default page"
    assert len(_tsv(cli.run("usage").stdout)) == 100
    newest = cli.run("usage", "--limit", "5", "--json").json()
    assert [r["id"] for r in newest] == [r["id"] for r in everything[:5]]


def test_json_and_jq(cli: Cli, sandbox: Sandbox, owner: tuple[str, str]) -> None:
    token, account_id = owner
    records = cli.run("usage", "--unit", "calls", "--all", "--json").json()
    expected = _api_records(sandbox, token, account_id, "&unit=calls")
    assert records == expected  # the API's objects and field names, newest first
    first = cli.run("usage", "--unit", "calls", "--limit", "1", "--jq", ".[0].id")
    assert first.stdout == expected[0]["id"] + "\n"


def test_summary_equals_the_sum_of_the_records(cli: Cli, owner: tuple[str, str]) -> None:
    records = cli.run("usage", "--all", "--json").json()
    summary = cli.run("usage", "--summary", "--json").json()
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

    jq = cli.run("usage", "--summary", "--json", "--jq", ".total.amount")
    assert Decimal(jq.stdout.strip()) == total


def test_summary_table_has_units_prices_and_a_total_row(cli: Cli, owner: tuple[str, str]) -> None:
    summary = cli.run("usage", "--summary", "--unpaid", "--json").json()
    rows = _tsv(cli.run("usage", "--summary", "--unpaid").stdout)
    assert rows[-1]["Unit"] == "total"
    assert Decimal(rows[-1]["Amount"]) == Decimal(summary["total"]["amount"])
    assert Decimal(rows[-1]["Unpaid"]) == Decimal(summary["total"]["amount"])
    assert Decimal(rows[-1]["Paid"]) == 0
    prices = {"sms": "0.01", "calls": "0.06", "chat": "0.01", "numbers": "2.00"}
    for row in rows[:-1]:
        assert Decimal(row["Unit price"]) == Decimal(prices[row["Unit"]])


def test_by_month(cli: Cli, owner: tuple[str, str]) -> None:
    by_month = cli.run("usage", "--by", "month", "--json").json()
    periods = [row["period"] for row in by_month["data"]]
    assert set(periods) == {"2026-08", "2026-09", "2026-10", "2026-11"}
    total = sum((Decimal(row["amount"]) for row in by_month["data"]), Decimal(0))
    assert total == Decimal(by_month["total"]["amount"])
    # The current month is unpaid, the earlier ones are paid.
    november = next(row for row in by_month["data"] if row["period"] == "2026-11")
    assert Decimal(november["paid_amount"]) == 0
    rows = _tsv(cli.run("usage", "--summary", "--by", "month").stdout)
    assert [row["Period"] for row in rows][-1] == "total"
    assert sorted(row["Period"] for row in rows[:-1]) == sorted(periods)


def test_chart_piped_is_plain_bars(cli: Cli, owner: tuple[str, str]) -> None:
    by_month = cli.run("usage", "--by", "month", "--json").json()
    lines = cli.run("usage", "--chart").stdout.splitlines()
    assert [line.split()[0] for line in lines] == sorted(r["period"] for r in by_month["data"])
    pattern = re.compile(r"^\d{4}-\d{2}  [█▏▎▍▌▋▊▉]* +\$[\d,]+\.\d{2}$")
    for line in lines:
        assert pattern.match(line), line
    assert "\x1b[" not in "".join(lines)
    # The largest month has the full-width bar.
    largest = max(by_month["data"], key=lambda r: Decimal(r["amount"]))["period"]
    widest = max(lines, key=lambda line: line.count("█"))
    assert widest.startswith(largest)
    weekly = cli.run("usage", "--chart", "--by", "week").stdout.splitlines()
    assert all(re.match(r"^\d{4}-\d{2}-\d{2}  ", line) for line in weekly)


def test_chart_on_a_terminal_is_a_table_of_bars(cli: Cli, owner: tuple[str, str]) -> None:
    by_month = cli.run("usage", "--by", "month", "--json").json()
    result = cli.run("usage", "--chart", tty=True)
    lines = [line for line in result.stdout.splitlines() if "█" in line]
    assert [line.split()[0] for line in lines] == sorted(r["period"] for r in by_month["data"])
    assert all("$" in line for line in lines)


def test_export_csv_to_file(cli: Cli, sandbox: Sandbox, owner: tuple[str, str]) -> None:
    token, account_id = owner
    target = cli.home / "usage.csv"
    result = cli.run("usage", "--all", "--format", "csv", "--output", str(target))
    assert result.stdout == ""
    assert not Path(str(target) + ".part").exists()
    with target.open(newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    expected = _api_records(sandbox, token, account_id)
    assert len(rows) == len(expected)
    assert [row["id"] for row in rows] == [r["id"] for r in expected]
    assert [row["amount.amount"] for row in rows] == [r["amount"]["amount"] for r in expected]


def test_export_survives_failed_pages(cli: Cli, sandbox: Sandbox, owner: tuple[str, str]) -> None:
    """A 500 or a dropped connection on a GET page is retried, and the file is still complete."""
    token, account_id = owner
    expected = [r["id"] for r in _api_records(sandbox, token, account_id)]
    target = cli.home / "usage.csv"
    sandbox.faults(0.5, ["error_after"], seed=3)
    try:
        result = cli.run(
            *("usage", "--all", "--format", "csv", "--output", str(target), "--debug"),
            env={"PORTAL_RETRY_ATTEMPTS": "10", "PORTAL_RETRY_MAX_DELAY": "0.05"},
        )
    finally:
        sandbox.faults(0.0)
    assert "* retrying" in result.stderr  # otherwise the test proves nothing
    with target.open(newline="", encoding="utf-8") as stream:
        assert [row["id"] for row in csv.DictReader(stream)] == expected


def test_export_json_and_tsv_to_file(cli: Cli, owner: tuple[str, str]) -> None:
    as_json = cli.home / "usage.json"
    cli.run("usage", "--unit", "numbers", "--all", "--json", "-o", str(as_json))
    records = json.loads(as_json.read_text(encoding="utf-8"))
    assert records and {r["unit"] for r in records} == {"numbers"}
    as_tsv = cli.home / "usage.tsv"
    cli.run("usage", "--unit", "numbers", "--all", "--output", str(as_tsv))
    rows = _tsv(as_tsv.read_text(encoding="utf-8"))
    assert [row["ID"] for row in rows] == [r["id"] for r in records]


def test_failed_export_leaves_no_file(cli: Cli, owner: tuple[str, str]) -> None:
    target = cli.home / "usage.csv"
    # An unknown account: the first page is a 404, so nothing may be left behind.
    result = cli.run(
        "usage",
        "--all",
        "--format",
        "csv",
        "--output",
        str(target),
        "--account",
        "acct_doesnotexist",
        exit_code=6,
    )
    assert_one_line_error(result)
    assert not target.exists()
    assert not Path(str(target) + ".part").exists()


def test_export_failing_after_retries_leaves_no_file(
    cli: Cli, sandbox: Sandbox, owner: tuple[str, str]
) -> None:
    target = cli.home / "usage.csv"
    sandbox.faults(1.0, ["error_before"])  # every request: 503 + Retry-After
    result = cli.run(
        "usage",
        "--all",
        "--format",
        "csv",
        "--output",
        str(target),
        env={"PORTAL_RETRY_ATTEMPTS": "2", "PORTAL_RETRY_MAX_DELAY": "0.1"},
        exit_code=8,
    )
    assert_one_line_error(result)
    assert not target.exists()
    assert not Path(str(target) + ".part").exists()


def test_ctrl_c_during_export_leaves_no_file(
    cli: Cli, sandbox: Sandbox, owner: tuple[str, str]
) -> None:
    target = cli.home / "usage.csv"
    part = Path(str(target) + ".part")
    # The server answers 503 to everything and the client may retry for a minute, so the
    # export is still running, its .part file open, when the interrupt comes.
    sandbox.faults(1.0, ["error_before"])
    retry_for_long = {
        "PORTAL_RETRY_ATTEMPTS": "1000",
        "PORTAL_RETRY_TOTAL_TIMEOUT": "60",
        "PORTAL_RETRY_MAX_DELAY": "0.2",
    }
    proc = subprocess.Popen(
        cli.command("usage", "--all", "--format", "csv", "--output", str(target)),
        cwd=cli.home,
        env=cli.env(retry_for_long),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not part.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert part.exists(), "the export should write to FILE.part while it runs"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=20)
    # 130, or ended by the SIGINT itself (-2): a shell reports both as exit status 130. The
    # boundary returns 130; now and then the interpreter still ends by the signal at shutdown
    # (seen in about 1 run in 10 under load; the .part clean-up below holds either way).
    assert proc.returncode in (130, -signal.SIGINT), stderr
    assert "Traceback" not in stderr
    assert not target.exists()
    assert not part.exists()


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
def test_bad_input_is_one_line_exit_2(cli: Cli, args: list[str], option: str) -> None:
    # Not even signed in: the arguments are refused before any credential or request.
    result = cli.run("usage", *args, exit_code=2)
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
def test_bad_input_in_json_mode_is_one_json_error(cli: Cli, args: list[str], param: str) -> None:
    result = cli.run("usage", *args, exit_code=2)
    error = json.loads(result.stderr)["error"]  # one JSON object and nothing else
    assert error["param"] == param
    assert param in error["message"]
    assert result.stdout == ""


def test_a_member_can_read_usage(cli: Cli, sandbox: Sandbox) -> None:
    cli.login(MEMBER)
    token = cli.token()
    summary = cli.run("usage", "--summary", "--json").json()
    account_id = _account_id(sandbox, token)
    assert summary["total"]["count"] == len(_api_records(sandbox, token, account_id))
    assert len(cli.run("usage", "--limit", "3", "--json").json()) == 3


def test_not_signed_in_is_exit_4(cli: Cli) -> None:
    result = cli.run("usage", exit_code=4)
    assert_one_line_error(result)


def test_prices(cli: Cli, owner: tuple[str, str]) -> None:
    prices = cli.run("usage", "prices", "--json").json()
    assert {p["unit"]: (p["unit_price"]["amount"], p["per"]) for p in prices} == {
        "sms": ("0.01", "message"),
        "calls": ("0.06", "minute"),
        "chat": ("0.01", "turn"),
        "numbers": ("2.00", "month"),
    }
    rows = _tsv(cli.run("usage", "prices").stdout)
    assert {row["Unit"]: row["Price"] for row in rows}["numbers"] == "2.00"


def test_table_on_a_terminal_shows_money_with_its_currency(
    cli: Cli, owner: tuple[str, str]
) -> None:
    result = cli.run("usage", "--summary", tty=True)
    assert "$" in result.stdout and "total" in result.stdout
    records = cli.run("usage", "--unit", "numbers", "--limit", "2", tty=True)
    assert "$2.00" in records.stdout


def test_help_has_examples(cli: Cli) -> None:
    text = cli.run("usage", "--help").stdout
    assert "Examples" in text and "--unit sms --unpaid" in text
    assert "prices" in text
    assert "Examples" in cli.run("usage", "prices", "--help").stdout


def test_csv_export_is_parseable_with_the_csv_module(cli: Cli, owner: tuple[str, str]) -> None:
    text = cli.run("usage", "--unit", "chat", "--limit", "20", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 20 and {row["unit"] for row in rows} == {"chat"}
