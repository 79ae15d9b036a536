"""`portal billing` flows in-process against the sandbox: what `show` and `plans` print in each
format, and each change read back from the API. The invoice PDF's exact bytes on a real stdout
need a real process: tests/e2e/test_e2e_billing.py."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chathq_cli.output import format_money
from support.harness import ADMIN, MEMBER, Sandbox, assert_one_line_error
from support.inprocess import Portal


def _key_values(text: str) -> dict[str, str]:
    """A piped object view: one `Field<TAB>value` line per field."""
    return dict(line.split("\t", 1) for line in text.splitlines())


def test_show_as_owner(portal: Portal, sandbox: Sandbox) -> None:
    portal.login()
    token = portal.token()
    account_id = sandbox.get("me", token)["default_account_id"]
    expected = sandbox.get(f"accounts/{account_id}/subscription", token)

    assert portal.json("billing", "show") == expected
    assert portal.run("billing", "show", "--jq", ".plan").stdout == expected["plan"] + "\n"

    fields = _key_values(portal.run("billing", "show").stdout)
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


def test_show_on_a_terminal_formats_money(portal: Portal) -> None:
    portal.login()
    result = portal.run("billing", "show", tty=True)
    assert "Plan" in result.stdout and "$" in result.stdout and "••••" in result.stdout


@pytest.mark.parametrize("email", [MEMBER, ADMIN])
def test_show_is_owner_only(portal: Portal, email: str) -> None:
    portal.login(email)
    result = portal.run("billing", "show", exit_code=5)
    assert_one_line_error(result)
    assert result.stdout == ""


def test_plans(portal: Portal, sandbox: Sandbox) -> None:
    portal.login(MEMBER)  # any signed-in user may read the plans
    token = portal.token()
    expected = sandbox.get("plans", token)
    expected = expected["data"] if isinstance(expected, dict) else expected
    plans = portal.json("billing", "plans")
    assert plans == expected
    assert [p["id"] for p in plans] == ["connect", "interact", "transact"]

    lines = portal.run("billing", "plans").stdout.splitlines()
    header = lines[0].split("\t")
    assert header[:3] == ["ID", "Name", "Price per month"]
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert [row["ID"] for row in rows] == ["connect", "interact", "transact"]
    assert [row["Messages per month"] for row in rows] == [
        str(p["message_limit"]) for p in expected
    ]
    assert rows[0]["Features"] == ", ".join(expected[0]["features"])


def test_billing_help_has_examples(portal: Portal, capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("show", "plans"):
        portal.run("billing", command, "--help")
        assert "Examples" in capsys.readouterr().out  # Typer writes help to sys.stdout


# --------------------------------------------------------------------------------------------
# Changes, with the server's state read back from the API.


class Account:
    """The demo owner's default account, read straight from the API."""

    def __init__(self, portal: Portal, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.token = portal.sign_in()
        self.id = sandbox.get("me", self.token)["default_account_id"]

    def get(self, path: str) -> Any:
        return self.sandbox.get(f"accounts/{self.id}/{path}", self.token)


def test_change_plan_preview_and_apply(portal: Portal, sandbox: Sandbox) -> None:
    account = Account(portal, sandbox)
    preview = portal.json("billing", "change-plan", "connect", "--dry-run")
    assert preview == account.get("subscription/preview?plan=connect")
    assert Decimal(preview["price_change"]["amount"]) == Decimal("-70.00")
    assert account.get("subscription")["plan"] == "interact"

    result = portal.run("billing", "change-plan", "connect", "--yes")
    assert "Bots paused" in result.stderr and "Order status" in result.stderr
    assert account.get("subscription")["plan"] == "connect"
    assert account.get("dashboard")["bots_paused"] == 3

    refused = portal.run("billing", "change-plan", "transact", exit_code=2)  # no terminal
    assert_one_line_error(refused, mentions="--yes")
    assert account.get("subscription")["plan"] == "connect"


def test_cancel_at_period_end(portal: Portal, sandbox: Sandbox) -> None:
    account = Account(portal, sandbox)
    result = portal.run("billing", "cancel", "--yes")
    assert "will end on 2026-12-01" in result.stderr
    subscription = account.get("subscription")
    assert subscription["cancel_at_period_end"] is True and subscription["status"] == "active"


def test_payment_methods_set_default_and_remove(portal: Portal, sandbox: Sandbox) -> None:
    account = Account(portal, sandbox)
    methods = account.get("payment_methods")["data"]
    assert portal.json("billing", "payment-methods") == methods
    old = next(m for m in methods if m["is_default"])
    new = next(m for m in methods if not m["is_default"])
    portal.run("billing", "payment-methods", "set-default", new["id"])
    assert account.get("subscription")["default_payment_method"] == new["id"]
    portal.run("billing", "payment-methods", "remove", old["id"], "--yes")
    assert [m["id"] for m in account.get("payment_methods")["data"]] == [new["id"]]


def test_invoices_show_and_download(
    portal: Portal, sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    account = Account(portal, sandbox)
    invoices = account.get("invoices")["data"]
    assert portal.json("billing", "invoices", "--all") == invoices
    first = invoices[0]
    assert portal.json("billing", "invoices", "show", first["id"]) == first
    pdf = sandbox.api("GET", f"accounts/{account.id}/invoices/{first['id']}/pdf", account.token)

    portal.run("billing", "invoices", "download", first["id"], "-o", "invoice.pdf")
    assert (tmp_path / "invoice.pdf").read_bytes() == pdf.content
    portal.run("billing", "invoices", "download", first["id"])
    assert (tmp_path / f"{first['number']}.pdf").read_bytes() == pdf.content

    # Never onto a terminal (the bytes on a piped stdout: tests/e2e/test_e2e_billing.py).
    refused = portal.run(
        "billing", "invoices", "download", first["id"], "-o", "-", tty=True, exit_code=2
    )
    assert_one_line_error(refused, mentions="terminal")
    assert "--output FILE" in refused.stderr

    result = portal.run("billing", "invoices", "download", "--all", "-o", "pdfs", tty=True)
    assert "Downloaded 12 invoice(s)" in result.stderr
    assert sorted(p.name for p in (tmp_path / "pdfs").iterdir()) == sorted(
        f"{inv['number']}.pdf" for inv in invoices
    )
    assert not list(tmp_path.rglob("*.part"))


def test_portal_prints_the_link_when_piped(portal: Portal, sandbox: Sandbox) -> None:
    Account(portal, sandbox)
    url = portal.run("billing", "portal").stdout.strip()
    assert url.startswith(f"{sandbox.url}/billing/portal/")
    assert (
        portal.run("billing", "portal", "--print-url", tty=True)
        .stdout.strip()
        .startswith(f"{sandbox.url}/billing/portal/")
    )


@pytest.mark.parametrize("email", [MEMBER, ADMIN])
def test_changes_are_owner_only(portal: Portal, sandbox: Sandbox, email: str) -> None:
    account = Account(portal, sandbox)
    before = account.get("subscription")
    portal.sign_in(email)
    result = portal.run("billing", "change-plan", "connect", "--yes", exit_code=5)
    assert_one_line_error(result, mentions="owner role")
    assert account.get("subscription") == before


def test_usage_guard_exit_codes(portal: Portal, sandbox: Sandbox) -> None:
    account = Account(portal, sandbox)
    total = account.get("usage_summary")["total"]
    unpaid = Decimal(total["unpaid_amount"])
    portal.run("usage", "guard", "--max-unpaid", str(unpaid))
    over = portal.run("usage", "guard", "--max-unpaid", str(unpaid - 1), exit_code=1)
    line = assert_one_line_error(over)
    assert line == (
        f"error: unpaid usage {format_money(unpaid)} is over the limit {format_money(unpaid - 1)}"
    )
    bad = portal.run("usage", "guard", "--max-unpaid", "12.345", exit_code=2)
    assert_one_line_error(bad, mentions="--max-unpaid")
