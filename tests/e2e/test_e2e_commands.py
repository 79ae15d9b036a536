"""End-to-end checks of the auth, org, account, config and api commands.

They complement test_e2e_*.py: the commands those do not reach (package, dashboard, org
show/update, auth list/switch/reset-password, API-key sign-in, account close, api fields).
"""

from __future__ import annotations

import csv
import io
import json

import pytest

from support.harness import (
    ADMIN,
    DEMO_PASSWORD,
    MEMBER,
    OWNER,
    Cli,
    Sandbox,
    assert_one_line_error,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def owner(cli: Cli, sandbox: Sandbox) -> dict[str, str]:
    """Signed in as the demo owner; the ids of the first Acme account and its org."""
    cli.login(OWNER)
    token = sandbox.sign_in(OWNER)
    account = sandbox.account_named(token, "Acme Support")
    return {"token": token, "account": account["id"], "org": account["org_id"]}


def test_package_and_dashboard_as_tsv_and_json(cli: Cli, owner: dict[str, str]) -> None:
    package = cli.run("account", "package", "--json").json()
    assert package["object"] == "package"
    assert set(package["price"]) == {"amount", "currency"}

    piped = cli.run("account", "package").stdout
    assert "Messages this month\t" in piped
    used, limit = package["messages_used"], package["message_limit"]
    assert f"{used:,} / {limit:,}" in piped
    assert "█" not in piped  # the bar is for terminals only

    board = cli.run("account", "dashboard", "--json").json()
    assert board["account_id"] == owner["account"]
    assert cli.run("account", "dashboard", "--jq", ".plan").stdout.strip() == board["plan"]

    on_tty = cli.run("account", "dashboard", tty=True).stdout
    assert "█" in on_tty or "░" in on_tty
    assert "Unpaid pay-as-you-go" in on_tty and "$" in on_tty


def test_org_show_update_and_permissions(cli: Cli, sandbox: Sandbox, owner: dict[str, str]) -> None:
    shown = cli.run("org", "show", "--json").json()
    assert shown["id"] == owner["org"]

    updated = cli.run(
        "org",
        "update",
        "--legal-name",
        "Acme Incorporated",
        "--billing-email",
        "billing@acme.test",
        "--json",
    ).json()
    assert updated["legal_name"] == "Acme Incorporated"
    assert sandbox.get(f"orgs/{owner['org']}", owner["token"])["billing_email"] == (
        "billing@acme.test"
    )

    bad = cli.run("org", "update", "--billing-email", "not-an-email", exit_code=2)
    assert_one_line_error(bad, mentions="--billing-email")

    cli.login(MEMBER)
    denied = cli.run("org", "update", "--name", "Hijacked", "--org", owner["org"], exit_code=5)
    assert_one_line_error(denied)
    assert sandbox.get(f"orgs/{owner['org']}", owner["token"])["name"] == "Acme"


def test_account_list_all_orgs_id_and_csv(
    cli: Cli, sandbox: Sandbox, owner: dict[str, str]
) -> None:
    everything = cli.run("account", "list", "--all-orgs", "--json").json()
    names = {row["name"] for row in everything}
    assert {"Acme Support", "Acme Sales"} <= names

    assert cli.run("account", "id").stdout == owner["account"] + "\n"
    sales = sandbox.account_named(owner["token"], "Acme Sales")
    cli.run("account", "use", "Acme Sales")
    assert cli.run("account", "id").stdout.strip() == sales["id"]

    rows = list(csv.DictReader(io.StringIO(cli.run("account", "list", "--format", "csv").stdout)))
    assert {row["id"] for row in rows} >= {owner["account"], sales["id"]}


def test_auth_list_and_switch_between_profiles(cli: Cli) -> None:
    cli.login(OWNER)
    cli.login(ADMIN, DEMO_PASSWORD, "--profile", "work")
    listed = {row["profile"]: row for row in cli.run("auth", "list", "--json").json()}
    assert listed["work"]["email"] == ADMIN and listed["work"]["current"] is True
    assert listed["default"]["email"] == OWNER and listed["default"]["current"] is False

    cli.run("auth", "switch", "default")
    assert cli.run("auth", "status", "--jq", ".user").stdout.strip() == OWNER
    unknown = cli.run("auth", "switch", "nope", exit_code=2)
    assert "work" in assert_one_line_error(unknown, mentions="nope")


def test_reset_password_with_the_emailed_code(cli: Cli, sandbox: Sandbox) -> None:
    # No terminal: nothing is sent, and the error names the flag to use.
    first = cli.run("auth", "reset-password", "--email", MEMBER, exit_code=2)
    assert "--password-stdin" in first.stderr
    assert sandbox.outbox() == []
    sandbox.api("POST", "auth/password_resets", json={"email": MEMBER})
    code = next(m["code"] for m in reversed(sandbox.outbox()) if m["to"] == MEMBER)

    new_password = "a-much-better-password"
    cli.run(
        "auth",
        "reset-password",
        "--email",
        MEMBER,
        "--have-code",
        "--password-stdin",
        stdin=f"{code}\n{new_password}\n",
    )
    cli.login(MEMBER, DEMO_PASSWORD, exit_code=4)
    cli.login(MEMBER, new_password)


def test_login_with_an_api_key_remembers_its_account(
    cli: Cli, sandbox: Sandbox, owner: dict[str, str]
) -> None:
    created = sandbox.api(
        "POST", f"accounts/{owner['account']}/api_keys", owner["token"], json={"name": "ci"}
    )
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]

    login = cli.run("auth", "login", "--with-token", "--profile", "ci", stdin=secret + "\n")
    assert "API key" in login.stderr and secret not in login.stderr
    status = cli.run("auth", "status", "--json").json()
    assert status["token_kind"] == "api_key" and status["account"] == owner["account"]
    assert cli.run("account", "show", "--jq", ".id").stdout.strip() == owner["account"]

    cli.run("auth", "login", "--with-token", stdin="sk_test_bogus\n", exit_code=4)


def test_close_with_yes_and_password_on_stdin(
    cli: Cli, sandbox: Sandbox, owner: dict[str, str]
) -> None:
    sales = sandbox.account_named(owner["token"], "Acme Sales")
    wrong = cli.run(
        "account",
        "close",
        "--account",
        sales["id"],
        "--yes",
        "--password-stdin",
        stdin="wrong-password\n",
        exit_code=4,
    )
    assert_one_line_error(wrong)
    assert sandbox.get(f"accounts/{sales['id']}", owner["token"])["status"] == "open"

    cli.run(
        "account",
        "close",
        "--account",
        sales["id"],
        "--yes",
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
    )
    gone = cli.run("account", "show", "--account", sales["id"], exit_code=6)
    assert "portal account use" in gone.stderr


def test_api_fields_placeholders_and_methods(
    cli: Cli, sandbox: Sandbox, owner: dict[str, str]
) -> None:
    assert cli.run("api", "accounts/{account}", "--jq", ".id").stdout.strip() == owner["account"]

    renamed = cli.run("api", "PATCH", "accounts/{account}", "-f", "name=Renamed via api").json()
    assert renamed["name"] == "Renamed via api"

    invited = cli.run(
        "api",
        "accounts/{account}/invitations",
        "-f",
        "emails[]=new1@example.test",
        "-f",
        "emails[]=new2@example.test",
        "-f",
        "role=member",
    )
    body = invited.json()
    emails = {row["email"] for row in body["data"]} if "data" in body else {body["email"]}
    assert "new1@example.test" in emails

    records = cli.run(
        "api",
        "accounts/{account}/usage_records",
        "-f",
        "unit=sms",
        "--paginate",
    ).json()
    assert records and {row["unit"] for row in records} == {"sms"}

    bad_method = cli.run("api", "FETCH", "me", exit_code=2)
    assert_one_line_error(bad_method, mentions="FETCH")
    missing = cli.run("api", "accounts/acct_doesnotexist", exit_code=6)
    assert_one_line_error(missing)
    typed = cli.run("api", "-F", "x[=1", "me", exit_code=2)
    assert_one_line_error(typed, mentions="-F")
    assert json.loads(cli.run("api", "me").stdout)["email"] == OWNER
