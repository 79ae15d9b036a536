"""`portal usage guard`: a spend limit for pipelines. One summary request; the figures in every
format; exit 0 within the limit, 1 over it; amounts compared exactly (Decimal) with the
server's summary. The sandbox clock is pinned (SANDBOX_NOW), never today's date.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chathq_cli.commands.usage.guard import guard_checks, guard_rows, over_limits
from chathq_cli.output import format_money
from support.demo import MEMBER, OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal


def _summary(portal: Portal, query: str = "") -> dict[str, Any]:
    token = portal.sandbox.sign_in(OWNER)
    account = portal.sandbox.get("me", token)["default_account_id"]
    return dict(portal.sandbox.get(f"accounts/{account}/usage_summary{query}", token)["total"])


def test_within_the_limit_exits_0_with_the_figures(portal: Portal) -> None:
    portal.sign_in(OWNER)
    total = _summary(portal)
    unpaid = Decimal(total["unpaid_amount"])
    assert unpaid > 0  # the current month is unpaid in the demo data
    limit = unpaid + Decimal("0.01")
    result = portal.run("usage", "guard", "--max-unpaid", str(limit))
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "Check",
        "Usage",
        "Usage currency",
        "Limit",
        "Limit currency",
        "Headroom",
        "Headroom currency",
        "Result",
    ]
    assert lines[1].split("\t") == [
        "unpaid",
        total["unpaid_amount"],
        "usd",
        str(limit),
        "usd",
        "0.01",
        "usd",
        "within",
    ]
    assert result.stderr == ""


def test_equal_to_the_limit_is_within(portal: Portal) -> None:
    portal.sign_in(OWNER)
    total = _summary(portal)
    portal.run("usage", "guard", "--max-unpaid", total["unpaid_amount"])
    portal.run("usage", "guard", "--max-amount", total["amount"])


def test_over_the_limit_exits_1_naming_both_amounts(portal: Portal) -> None:
    portal.sign_in(OWNER)
    total = _summary(portal)
    unpaid = Decimal(total["unpaid_amount"])
    limit = unpaid - Decimal("0.01")
    result = portal.run("usage", "guard", "--max-unpaid", str(limit), exit_code=1)
    line = assert_one_line_error(result)
    assert line == (
        f"error: unpaid usage {format_money(unpaid)} is over the limit {format_money(limit)}"
    )
    assert result.stdout.splitlines()[1].endswith("\tover")  # the figures are printed too


def test_max_amount_counts_paid_and_unpaid(portal: Portal) -> None:
    portal.sign_in(OWNER)
    total = _summary(portal)
    amount = Decimal(total["amount"])
    assert amount == Decimal(total["paid_amount"]) + Decimal(total["unpaid_amount"])
    big = str(amount + 1)
    portal.run("usage", "guard", "--max-unpaid", big, "--max-amount", big)
    result = portal.run(
        "usage", "guard", "--max-unpaid", big, "--max-amount", "1,000", exit_code=None
    )
    over = amount > 1000
    assert result.code == (1 if over else 0)
    result = portal.run("usage", "guard", "--max-amount", "$1.00", exit_code=1)
    line = assert_one_line_error(result)
    assert f"usage (paid + unpaid) {format_money(amount)} is over the limit $1.00" in line


def test_json_matches_the_servers_summary(portal: Portal) -> None:
    portal.sign_in(OWNER)
    total = _summary(portal, "?unit=sms&since=2026-11-01")
    result = portal.run(
        "usage",
        "guard",
        "--max-unpaid",
        "0",
        "--max-amount",
        "100000",
        "--unit",
        "sms",
        "--since",
        "2026-11-01",
        "--json",
        exit_code=1 if Decimal(total["unpaid_amount"]) > 0 else 0,
    )
    body = result.json()
    assert body["object"] == "usage_guard"
    assert body["total"] == total
    assert body["units"] == ["sms"] and body["since"] == "2026-11-01"
    assert body["within_limits"] is (Decimal(total["unpaid_amount"]) == 0)
    unpaid, amount = body["checks"]
    assert unpaid["usage"] == {"amount": total["unpaid_amount"], "currency": "usd"}
    assert unpaid["limit"] == {"amount": "0.00", "currency": "usd"}
    assert Decimal(unpaid["headroom"]["amount"]) == -Decimal(total["unpaid_amount"])
    assert amount["usage"]["amount"] == total["amount"]
    assert amount["result"] == "within"


def test_csv(portal: Portal) -> None:
    portal.sign_in(OWNER)
    total = _summary(portal)
    out = portal.run("usage", "guard", "--max-unpaid", "100000", "--format", "csv").stdout
    assert out.splitlines() == [
        "check,usage.amount,usage.currency,limit.amount,limit.currency,"
        "headroom.amount,headroom.currency,result",
        f"unpaid,{total['unpaid_amount']},usd,100000.00,usd,"
        f"{Decimal('100000.00') - Decimal(total['unpaid_amount'])},usd,within",
    ]


def test_since_after_all_usage_is_zero_and_within(portal: Portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("usage", "guard", "--max-unpaid", "0", "--since", "2026-11-16", "--json")
    assert result.json()["total"]["unpaid_amount"] == "0.00"


def test_one_summary_request(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    account = portal.sandbox.get("me", token)["default_account_id"]
    result = portal.run("usage", "guard", "--max-unpaid", "100000", "--debug", "--account", account)
    # --account given: the only request is the summary (no /me to find the default account).
    requests = [line for line in result.stderr.splitlines() if line.startswith("> GET")]
    assert len(requests) == 1 and "/usage_summary" in requests[0]


def test_any_member_may_guard(portal: Portal) -> None:
    portal.sign_in(MEMBER)
    portal.run("usage", "guard", "--max-unpaid", "100000")


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        ((), "--max-unpaid"),
        (("--max-unpaid", ""), "--max-unpaid"),
        (("--max-unpaid", "abc"), "--max-unpaid"),
        (("--max-unpaid", "-5"), "--max-unpaid"),
        (("--max-unpaid", "1e3"), "--max-unpaid"),
        (("--max-unpaid", "NaN"), "--max-unpaid"),
        (("--max-unpaid", "Infinity"), "--max-unpaid"),
        (("--max-unpaid", "1.234"), "--max-unpaid"),
        (("--max-unpaid", "١٠٠"), "--max-unpaid"),
        (("--max-unpaid", "1,00"), "--max-unpaid"),
        (("--max-unpaid", "$"), "--max-unpaid"),
        (("--max-unpaid", "10 000"), "--max-unpaid"),
        (("--max-unpaid", "0x10"), "--max-unpaid"),
        (("--max-unpaid", "9" * 40), "--max-unpaid"),
        (("--max-amount", "€5"), "--max-amount"),
        (("--max-unpaid", "5", "--max-amount", "five"), "--max-amount"),
        (("--max-unpaid", "5", "--since", "2026-02-30"), "--since"),
        (("--max-unpaid", "5", "--since", "last week"), "--since"),
        (("--max-unpaid", "5", "--unit", "fax"), "--unit"),
    ],
)
def test_bad_input(portal: Portal, args: tuple[str, ...], mentions: str) -> None:
    portal.sign_in(OWNER)
    result = portal.run("usage", "guard", *args, exit_code=2)
    assert_one_line_error(result, mentions=mentions)
    assert result.stdout == ""


def test_guard_checks_compare_exactly() -> None:
    # 0.1 + 0.2 is 0.30000000000000004 in float; the guard must see exactly 0.30.
    unpaid = Decimal("0.1") + Decimal("0.2")
    [check] = guard_checks(unpaid, unpaid, max_unpaid=Decimal("0.30"), max_amount=None)
    assert not check.over
    [check] = guard_checks(unpaid, unpaid, max_unpaid=Decimal("0.29"), max_amount=None)
    assert check.over


def test_guard_rows_and_the_error_line_as_plain_functions() -> None:
    checks = guard_checks(
        Decimal("120.50"), Decimal("30.00"), max_unpaid=Decimal("25"), max_amount=Decimal("500")
    )
    rows = guard_rows(checks, "usd")
    assert [(r["check"], r["headroom"]["amount"], r["result"]) for r in rows] == [
        ("unpaid", "-5.00", "over"),
        ("amount", "379.50", "within"),
    ]
    assert rows[0]["usage"] == {"amount": "30.00", "currency": "usd"}
    line = over_limits(checks, lambda amount: f"${amount}")
    assert line == "unpaid usage $30.00 is over the limit $25"
    assert over_limits(checks[1:], str) is None
