"""End to end: `portal billing show` and `portal billing plans` against the sandbox."""

from __future__ import annotations

import subprocess
from decimal import Decimal
from typing import Any

import pytest

from chathq_cli.output import format_money
from support.harness import ADMIN, MEMBER, Cli, Sandbox, assert_one_line_error

pytestmark = pytest.mark.e2e


def _key_values(text: str) -> dict[str, str]:
    """A piped object view: one `Field<TAB>value` line per field."""
    return dict(line.split("\t", 1) for line in text.splitlines())


def test_show_as_owner(cli: Cli, sandbox: Sandbox) -> None:
    cli.login()
    token = cli.token()
    account_id = sandbox.get("me", token)["default_account_id"]
    expected = sandbox.get(f"accounts/{account_id}/subscription", token)

    assert cli.run("billing", "show", "--json").json() == expected
    assert cli.run("billing", "show", "--jq", ".plan").stdout == expected["plan"] + "\n"

    fields = _key_values(cli.run("billing", "show").stdout)
    assert fields["Plan"] == expected["plan"]
    assert fields["Status"] == expected["status"]
    assert fields["Price per month"] == expected["price"]["amount"]
    assert fields["Cancels at period end"] in ("true", "false")
    methods = sandbox.get(f"accounts/{account_id}/payment_methods", token)["data"]
    default = next(m for m in methods if m["id"] == expected["default_payment_method"])
    assert fields["Default payment method"].startswith(default["brand"])
    assert fields["Default payment method"].endswith(
        f"•••• {default['last4']} ({default['exp_month']:02d}/{default['exp_year']})"
    )


def test_show_on_a_terminal_formats_money(cli: Cli) -> None:
    cli.login()
    result = cli.run("billing", "show", tty=True)
    assert "Plan" in result.stdout and "$" in result.stdout and "••••" in result.stdout


@pytest.mark.parametrize("email", [MEMBER, ADMIN])
def test_show_is_owner_only(cli: Cli, email: str) -> None:
    cli.login(email)
    result = cli.run("billing", "show", exit_code=5)
    assert_one_line_error(result)
    assert result.stdout == ""


def test_plans(cli: Cli, sandbox: Sandbox) -> None:
    cli.login(MEMBER)  # any signed-in user may read the plans
    token = cli.token()
    expected = sandbox.get("plans", token)
    expected = expected["data"] if isinstance(expected, dict) else expected
    plans = cli.run("billing", "plans", "--json").json()
    assert plans == expected
    assert [p["id"] for p in plans] == ["connect", "interact", "transact"]

    lines = cli.run("billing", "plans").stdout.splitlines()
    header = lines[0].split("\t")
    assert header[:3] == ["ID", "Name", "Price per month"]
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert [row["ID"] for row in rows] == ["connect", "interact", "transact"]
    assert [row["Messages per month"] for row in rows] == [
        str(p["message_limit"]) for p in expected
    ]
    assert rows[0]["Features"] == ", ".join(expected[0]["features"])


def test_billing_help_has_examples(cli: Cli) -> None:
    for command in ("show", "plans"):
        assert "Examples" in cli.run("billing", command, "--help").stdout


# --------------------------------------------------------------------------------------------
# Changes, through the console script, with the server's state read back from the API.


class Account:
    """The demo owner's default account, read straight from the API."""

    def __init__(self, cli: Cli, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.token = cli.sign_in()
        self.id = sandbox.get("me", self.token)["default_account_id"]

    def get(self, path: str) -> Any:
        return self.sandbox.get(f"accounts/{self.id}/{path}", self.token)


def test_change_plan_preview_and_apply(cli: Cli, sandbox: Sandbox) -> None:
    account = Account(cli, sandbox)
    preview = cli.run("billing", "change-plan", "connect", "--dry-run", "--json").json()
    assert preview == account.get("subscription/preview?plan=connect")
    assert Decimal(preview["price_change"]["amount"]) == Decimal("-70.00")
    assert account.get("subscription")["plan"] == "interact"

    result = cli.run("billing", "change-plan", "connect", "--yes")
    assert "Bots paused" in result.stderr and "Order status" in result.stderr
    assert account.get("subscription")["plan"] == "connect"
    assert account.get("dashboard")["bots_paused"] == 3

    refused = cli.run("billing", "change-plan", "transact", exit_code=2)  # no terminal, no --yes
    assert_one_line_error(refused, mentions="--yes")
    assert account.get("subscription")["plan"] == "connect"


def test_cancel_at_period_end(cli: Cli, sandbox: Sandbox) -> None:
    account = Account(cli, sandbox)
    result = cli.run("billing", "cancel", "--yes")
    assert "will end on 2026-12-01" in result.stderr
    subscription = account.get("subscription")
    assert subscription["cancel_at_period_end"] is True and subscription["status"] == "active"


def test_payment_methods_set_default_and_remove(cli: Cli, sandbox: Sandbox) -> None:
    account = Account(cli, sandbox)
    methods = account.get("payment_methods")["data"]
    assert cli.run("billing", "payment-methods", "--json").json() == methods
    old = next(m for m in methods if m["is_default"])
    new = next(m for m in methods if not m["is_default"])
    cli.run("billing", "payment-methods", "set-default", new["id"])
    assert account.get("subscription")["default_payment_method"] == new["id"]
    cli.run("billing", "payment-methods", "remove", old["id"], "--yes")
    assert [m["id"] for m in account.get("payment_methods")["data"]] == [new["id"]]


def test_invoices_show_and_download(cli: Cli, sandbox: Sandbox) -> None:
    account = Account(cli, sandbox)
    invoices = account.get("invoices")["data"]
    assert cli.run("billing", "invoices", "--all", "--json").json() == invoices
    first = invoices[0]
    assert cli.run("billing", "invoices", "show", first["id"], "--json").json() == first
    pdf = sandbox.api("GET", f"accounts/{account.id}/invoices/{first['id']}/pdf", account.token)

    cli.run("billing", "invoices", "download", first["id"], "-o", "invoice.pdf")
    assert (cli.home / "invoice.pdf").read_bytes() == pdf.content
    cli.run("billing", "invoices", "download", first["id"])
    assert (cli.home / f"{first['number']}.pdf").read_bytes() == pdf.content

    # To stdout: the exact bytes, binary-safe.
    piped = subprocess.run(
        cli.command("billing", "invoices", "download", first["id"], "-o", "-"),
        cwd=cli.home,
        env=cli.env(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == pdf.content
    # ...but never onto a terminal.
    refused = cli.run(
        "billing", "invoices", "download", first["id"], "-o", "-", tty=True, exit_code=2
    )
    assert_one_line_error(refused, mentions="terminal")
    assert "--output FILE" in refused.stderr

    result = cli.run("billing", "invoices", "download", "--all", "-o", "pdfs", tty=True)
    assert "Downloaded 12 invoice(s)" in result.stderr
    assert sorted(p.name for p in (cli.home / "pdfs").iterdir()) == sorted(
        f"{inv['number']}.pdf" for inv in invoices
    )
    assert not list(cli.home.rglob("*.part"))


def test_portal_prints_the_link_when_piped(cli: Cli, sandbox: Sandbox) -> None:
    Account(cli, sandbox)
    url = cli.run("billing", "portal").stdout.strip()
    assert url.startswith(f"{sandbox.url}/billing/portal/")
    assert (
        cli.run("billing", "portal", "--print-url", tty=True)
        .stdout.strip()
        .startswith(f"{sandbox.url}/billing/portal/")
    )


@pytest.mark.parametrize("email", [MEMBER, ADMIN])
def test_changes_are_owner_only(cli: Cli, sandbox: Sandbox, email: str) -> None:
    account = Account(cli, sandbox)
    before = account.get("subscription")
    cli.sign_in(email)
    result = cli.run("billing", "change-plan", "connect", "--yes", exit_code=5)
    assert_one_line_error(result, mentions="owner role")
    assert account.get("subscription") == before


def test_usage_guard_exit_codes(cli: Cli, sandbox: Sandbox) -> None:
    account = Account(cli, sandbox)
    total = account.get("usage_summary")["total"]
    unpaid = Decimal(total["unpaid_amount"])
    cli.run("usage", "guard", "--max-unpaid", str(unpaid))
    over = cli.run("usage", "guard", "--max-unpaid", str(unpaid - 1), exit_code=1)
    line = assert_one_line_error(over)
    assert line == (
        f"error: unpaid usage {format_money(unpaid)} is over the limit {format_money(unpaid - 1)}"
    )
    bad = cli.run("usage", "guard", "--max-unpaid", "12.345", exit_code=2)
    assert_one_line_error(bad, mentions="--max-unpaid")
