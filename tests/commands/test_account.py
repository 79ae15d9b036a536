"""`portal account` in-process against the real sandbox: listing and choosing accounts, the
current account's details, renaming and closing. Each bad input is one line, exit 2 naming what
the user typed, and changes nothing on the server or in config.toml."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.demo import ADMIN, DEMO_PASSWORD, MEMBER, OUTSIDER, OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal


class Accounts:
    """The demo accounts as the owner sees them, and another tenant's (Globex Ops)."""

    def __init__(self, portal: Portal) -> None:
        self.sandbox = portal.sandbox
        self.token = self.sandbox.sign_in(OWNER)
        self.support = self.sandbox.account_named(self.token, "Acme Support")
        self.sales = self.sandbox.account_named(self.token, "Acme Sales")
        outsider = self.sandbox.sign_in(OUTSIDER)
        self.globex = self.sandbox.account_named(outsider, "Globex Ops")

    def get(self, account: dict[str, Any]) -> dict[str, Any]:
        return dict(self.sandbox.get(f"accounts/{account['id']}", self.token))


@pytest.fixture
def accounts(portal: Portal) -> Accounts:
    return Accounts(portal)


def config_toml(config_dir: Path) -> dict[str, Any]:
    path = config_dir / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


def no_requests(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request: {request.method} {request.url}")


# --------------------------------------------------------------------------------------------
# list, use


def test_list_shows_the_current_orgs_accounts_in_every_format(
    portal: Portal, accounts: Accounts
) -> None:
    portal.sign_in(OWNER)
    rows = portal.json("account", "list")
    assert {row["name"] for row in rows} == {"Acme Support", "Acme Sales"}
    assert all(row["role"] == "owner" for row in rows)
    tsv = portal.run("account", "list").stdout.splitlines()
    assert tsv[0].split("\t") == ["ID", "Name", "Plan", "Role", "Status", "Created"]
    csv = portal.run("account", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,name,plan,role,status,created_at"


@pytest.mark.parametrize(
    ("email", "names"),
    [
        (ADMIN, {"Acme Support"}),
        (MEMBER, {"Acme Support"}),
        (OUTSIDER, {"Globex Ops"}),
    ],
)
def test_list_all_orgs_shows_only_what_the_user_belongs_to(
    portal: Portal, email: str, names: set[str]
) -> None:
    portal.sign_in(email)
    assert {row["name"] for row in portal.json("account", "list", "--all-orgs")} == names


def test_use_by_name_and_by_id(portal: Portal, accounts: Accounts, config_dir: Path) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "use", "Acme Sales")
    assert f"Using account Acme Sales ({accounts.sales['id']})" in result.stderr
    profile = config_toml(config_dir)["profiles"]["default"]
    assert (profile["account"], profile["org"]) == (accounts.sales["id"], accounts.sales["org_id"])
    portal.run("account", "use", accounts.support["id"])
    assert config_toml(config_dir)["profiles"]["default"]["account"] == accounts.support["id"]
    assert portal.json("account", "show")["id"] == accounts.support["id"]


@pytest.mark.parametrize(
    ("ref", "code", "mentions"),
    [
        ("", 2, "ACCOUNT"),
        ("   ", 2, "ACCOUNT"),
        ("No Such Account", 6, "no account named"),
        ("acct_0000000000000000", 6, "acct_0000000000000000"),
    ],
)
def test_use_of_a_bad_account_is_one_line_and_changes_nothing(
    portal: Portal, config_dir: Path, ref: str, code: int, mentions: str
) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "use", ref, exit_code=code)
    assert_one_line_error(result, mentions=mentions)
    assert not (config_dir / "config.toml").exists()


def test_use_of_another_tenants_account_is_not_found(
    portal: Portal, accounts: Accounts, config_dir: Path
) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", accounts.globex["id"], exit_code=6)
    portal.run("account", "use", "Globex Ops", exit_code=6)
    assert not (config_dir / "config.toml").exists()


# --------------------------------------------------------------------------------------------
# show, id, package, dashboard


def test_show_is_the_servers_account(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(OWNER)
    assert portal.json("account", "show") == accounts.get(accounts.support)
    assert portal.json("account", "show", "--account", accounts.sales["id"])["name"] == (
        "Acme Sales"
    )
    assert portal.run("account", "show", "--jq", ".name").stdout == "Acme Support\n"
    table = portal.run("account", "show").stdout
    assert "Acme Support" in table


def test_show_of_another_tenants_account_is_not_found(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(MEMBER)
    result = portal.run("account", "show", "--account", accounts.globex["id"], exit_code=6)
    assert_one_line_error(result)
    error = json.loads(
        portal.run(
            "account", "show", "--account", accounts.sales["id"], "--json", exit_code=6
        ).stderr
    )["error"]
    assert error["type"] == "not_found" or error["code"] == "resource_missing"


def test_id_prints_the_default_account(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(ADMIN)
    assert portal.run("account", "id").stdout == accounts.support["id"] + "\n"


def test_id_of_the_profiles_account_needs_no_request(
    portal: Portal, accounts: Accounts, config_dir: Path
) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", "Acme Sales")
    transport = httpx.MockTransport(no_requests)
    result = portal.run("account", "id", transport=transport)
    assert result.stdout == accounts.sales["id"] + "\n"


@pytest.mark.parametrize("via", ["flag", "env"])
def test_id_checks_the_account_it_is_given(portal: Portal, accounts: Accounts, via: str) -> None:
    portal.sign_in(OWNER)

    def run(ref: str, code: int) -> Any:
        if via == "flag":
            return portal.run("account", "id", "--account", ref, exit_code=code)
        return portal.run("account", "id", env={"PORTAL_ACCOUNT": ref}, exit_code=code)

    assert run(accounts.sales["id"], 0).stdout == accounts.sales["id"] + "\n"
    unknown = run("acct_0000000000000000", 6)
    assert unknown.stdout == ""
    assert_one_line_error(unknown, mentions="acct_0000000000000000")
    assert run(accounts.globex["id"], 6).stdout == ""


@pytest.mark.parametrize("ref", ["Acme Sales", "acct_\x1b[31mred", "acct_", "org_1234"])
def test_id_of_a_malformed_account_is_exit_2_naming_the_flag(portal: Portal, ref: str) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "id", "--account", ref, exit_code=2)
    assert result.stdout == ""
    assert "\x1b" not in result.stderr
    assert_one_line_error(result, mentions="--account")


def test_package_and_dashboard(portal: Portal) -> None:
    portal.sign_in(MEMBER)
    package = portal.json("account", "package")
    assert package["plan"] == "interact"
    assert {"messages_used", "message_limit", "features", "price"} <= set(package)
    text = portal.run("account", "package").stdout
    assert "Messages this month" in text and "%" in text
    board = portal.json("account", "dashboard")
    assert board["account_name"] == "Acme Support"
    assert portal.run("account", "dashboard", "--jq", ".plan").stdout == "interact\n"


# --------------------------------------------------------------------------------------------
# rename


@pytest.mark.parametrize("email", [OWNER, ADMIN])
def test_rename_as_owner_or_admin(portal: Portal, accounts: Accounts, email: str) -> None:
    portal.sign_in(email)
    renamed = portal.json("account", "rename", "  Helpdesk  ")
    assert renamed["name"] == "Helpdesk"
    assert accounts.get(accounts.support)["name"] == "Helpdesk"


def test_rename_as_a_member_is_exit_5(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(MEMBER)
    result = portal.run("account", "rename", "Helpdesk", exit_code=5)
    assert_one_line_error(result)
    assert accounts.get(accounts.support)["name"] == "Acme Support"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "bad\x1bname", "two\nlines"])
def test_a_bad_new_name_is_exit_2_naming_NAME(
    portal: Portal, accounts: Accounts, name: str
) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "rename", name, exit_code=2)
    assert_one_line_error(result, mentions="NAME")
    error = json.loads(portal.run("account", "rename", name, "--json", exit_code=2).stderr)
    assert error["error"]["param"] == "NAME"
    assert accounts.get(accounts.support)["name"] == "Acme Support"


# --------------------------------------------------------------------------------------------
# close


def test_close_as_the_owner(portal: Portal, accounts: Accounts, config_dir: Path) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", "Acme Sales")
    closed = portal.run(
        "account", "close", "--yes", "--password-stdin", "--json", stdin=DEMO_PASSWORD + "\n"
    ).json()
    assert (closed["id"], closed["status"]) == (accounts.sales["id"], "closed")
    assert "account" not in config_toml(config_dir)["profiles"]["default"]


def test_close_typing_the_name_on_a_terminal(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(OWNER)
    result = portal.run(
        "account",
        "close",
        "--account",
        accounts.sales["id"],
        tty=True,
        stdin=f"Acme Sales\n{DEMO_PASSWORD}\n",
    )
    assert "Closed account Acme Sales" in result.stderr
    portal.run("account", "show", "--account", accounts.sales["id"], exit_code=6)


def test_close_with_the_wrong_name_is_cancelled(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "close", tty=True, stdin="Acme\n", exit_code=3)
    assert accounts.get(accounts.support)["status"] == "open"


def test_close_with_a_wrong_password_keeps_the_account(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(OWNER)
    result = portal.run(
        "account", "close", "--yes", "--password-stdin", stdin="wrong-password\n", exit_code=None
    )
    assert result.code in (2, 4)
    assert_one_line_error(result)
    assert accounts.get(accounts.support)["status"] == "open"


def test_close_without_a_terminal_needs_yes(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "close", exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    assert accounts.get(accounts.support)["status"] == "open"


def test_close_as_a_member_is_exit_5(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(MEMBER)
    portal.run(
        "account", "close", "--yes", "--password-stdin", stdin=DEMO_PASSWORD + "\n", exit_code=5
    )
    assert accounts.get(accounts.support)["status"] == "open"


@pytest.mark.parametrize("email", [ADMIN, MEMBER])
def test_close_by_a_non_owner_is_refused_before_any_question(
    portal: Portal, accounts: Accounts, email: str
) -> None:
    portal.sign_in(email)
    result = portal.run(
        "account", "close", tty=True, stdin=f"Acme Support\n{DEMO_PASSWORD}\n", exit_code=5
    )
    assert "Type" not in result.stderr and "Password" not in result.stderr
    assert_one_line_error(result, mentions="owner")
    assert accounts.get(accounts.support)["status"] == "open"


def test_close_of_another_tenants_account_is_not_found(portal: Portal, accounts: Accounts) -> None:
    portal.sign_in(OWNER)
    portal.run(
        "account",
        "close",
        "--account",
        accounts.globex["id"],
        "--yes",
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
        exit_code=6,
    )
