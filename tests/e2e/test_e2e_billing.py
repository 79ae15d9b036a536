"""End to end: `portal billing show` and `portal billing plans` against the sandbox."""

from __future__ import annotations

import pytest

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
