"""Everyday account and org flows in-process against the sandbox: look, rename, switch the
current org and account, the package and dashboard views, close an account; the server's state
read back from the API after each change."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest

from support.harness import DEMO_PASSWORD, MEMBER, OWNER, Sandbox, assert_one_line_error
from support.inprocess import Portal


def _config(config_dir: Path) -> dict:
    path = config_dir / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


@pytest.fixture
def owner(portal: Portal, sandbox: Sandbox) -> dict[str, str]:
    """Signed in as the demo owner; the ids of the first Acme account and its org."""
    portal.login(OWNER)
    token = sandbox.sign_in(OWNER)
    account = sandbox.account_named(token, "Acme Support")
    return {"token": token, "account": account["id"], "org": account["org_id"]}


def test_account_show_uses_the_default_account_and_leaves_the_profile(
    portal: Portal, sandbox: Sandbox, config_dir: Path
) -> None:
    api_token = portal.sign_in(OWNER)
    default = sandbox.get("me", api_token)["default_account_id"]
    expected = sandbox.get(f"accounts/{default}", api_token)
    shown = portal.run("account", "show")
    assert expected["name"] in shown.stdout
    assert default in shown.stdout
    assert portal.run("account", "id").stdout == default + "\n"
    assert "account" not in _config(config_dir).get("profiles", {}).get("default", {})


def test_account_rename_changes_the_name_on_the_server(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    portal.run("account", "rename", "Acme Helpdesk")
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == "Acme Helpdesk"
    assert portal.json("account", "show")["name"] == "Acme Helpdesk"


def test_account_use_switches_by_name_and_by_id(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    support = sandbox.account_named(token, "Acme Support")
    sales = sandbox.account_named(token, "Acme Sales")

    portal.run("account", "use", "Acme Sales")
    shown = portal.json("account", "show")
    assert (shown["id"], shown["name"]) == (sales["id"], "Acme Sales")

    portal.run("account", "use", support["id"])
    assert portal.json("account", "show")["id"] == support["id"]

    # --account and PORTAL_ACCOUNT override for one command only.
    assert portal.json("account", "show", "--account", sales["id"])["id"] == sales["id"]
    shown = portal.json("account", "show", env={"PORTAL_ACCOUNT": sales["id"]})
    assert shown["id"] == sales["id"]
    assert portal.run("account", "id").stdout.strip() == support["id"]


def test_account_list_shows_the_current_orgs_accounts(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    acme = sandbox.org_named(token, "Acme")
    expected = {a["id"] for a in sandbox.list_all(f"orgs/{acme['id']}/accounts", token)}
    listed = portal.json("account", "list")
    assert {row["id"] for row in listed} == expected


def test_account_list_all_orgs_id_and_csv(
    portal: Portal, sandbox: Sandbox, owner: dict[str, str]
) -> None:
    everything = portal.json("account", "list", "--all-orgs")
    names = {row["name"] for row in everything}
    assert {"Acme Support", "Acme Sales"} <= names

    assert portal.run("account", "id").stdout == owner["account"] + "\n"
    sales = sandbox.account_named(owner["token"], "Acme Sales")
    portal.run("account", "use", "Acme Sales")
    assert portal.run("account", "id").stdout.strip() == sales["id"]

    listing = portal.run("account", "list", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(listing)))
    assert {row["id"] for row in rows} >= {owner["account"], sales["id"]}


def test_org_create_list_and_use_switch_the_current_org(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    acme = sandbox.org_named(token, "Acme")

    portal.run("org", "create", "Initech")
    initech = sandbox.org_named(token, "Initech")
    created = sandbox.api(
        "POST",
        f"orgs/{initech['id']}/accounts",
        token,
        json={"name": "Initech Main", "plan": "connect"},
    )
    assert created.status_code == 201, created.text

    names = {org["name"] for org in portal.json("org", "list")}
    assert {"Acme", "Initech"} <= names

    portal.run("org", "use", "Initech")
    assert portal.json("org", "show")["id"] == initech["id"]
    assert [a["name"] for a in portal.json("account", "list")] == ["Initech Main"]
    # The remembered account belonged to Acme; after the switch the current account is Initech's.
    assert portal.json("account", "show")["org_id"] == initech["id"]

    portal.run("org", "use", acme["id"])
    assert portal.json("org", "show")["name"] == "Acme"
    listed = {a["name"] for a in portal.json("account", "list")}
    assert {"Acme Support", "Acme Sales"} <= listed


def test_org_show_update_and_permissions(
    portal: Portal, sandbox: Sandbox, owner: dict[str, str]
) -> None:
    shown = portal.json("org", "show")
    assert shown["id"] == owner["org"]

    updated = portal.json(
        *("org", "update", "--legal-name", "Acme Incorporated"),
        *("--billing-email", "billing@acme.test"),
    )
    assert updated["legal_name"] == "Acme Incorporated"
    assert sandbox.get(f"orgs/{owner['org']}", owner["token"])["billing_email"] == (
        "billing@acme.test"
    )

    bad = portal.run("org", "update", "--billing-email", "not-an-email", exit_code=2)
    assert_one_line_error(bad, mentions="--billing-email")

    portal.login(MEMBER)
    denied = portal.run("org", "update", "--name", "Hijacked", "--org", owner["org"], exit_code=5)
    assert_one_line_error(denied)
    assert sandbox.get(f"orgs/{owner['org']}", owner["token"])["name"] == "Acme"


def test_package_and_dashboard_as_tsv_and_json(portal: Portal, owner: dict[str, str]) -> None:
    package = portal.json("account", "package")
    assert package["object"] == "package"
    assert set(package["price"]) == {"amount", "currency"}

    piped = portal.run("account", "package").stdout
    assert "Messages this month\t" in piped
    used, limit = package["messages_used"], package["message_limit"]
    assert f"{used:,} / {limit:,}" in piped
    assert "█" not in piped  # the bar is for terminals only

    board = portal.json("account", "dashboard")
    assert board["account_id"] == owner["account"]
    assert portal.run("account", "dashboard", "--jq", ".plan").stdout.strip() == board["plan"]

    on_tty = portal.run("account", "dashboard", tty=True).stdout
    assert "█" in on_tty or "░" in on_tty
    assert "Unpaid pay-as-you-go" in on_tty and "$" in on_tty


def test_close_with_yes_and_password_on_stdin(
    portal: Portal, sandbox: Sandbox, owner: dict[str, str]
) -> None:
    sales = sandbox.account_named(owner["token"], "Acme Sales")
    close = ("account", "close", "--account", sales["id"], "--yes", "--password-stdin")
    wrong = portal.run(*close, stdin="wrong-password\n", exit_code=4)
    assert_one_line_error(wrong)
    assert sandbox.get(f"accounts/{sales['id']}", owner["token"])["status"] == "open"

    closed = portal.run(*close, stdin=DEMO_PASSWORD + "\n")
    assert "Acme Sales" in closed.stderr
    assert sandbox.api("GET", f"accounts/{sales['id']}", owner["token"]).status_code == 404
    others = {a["id"] for a in sandbox.accounts(owner["token"])}
    assert sales["id"] not in others and others, "only that account is closed"
    gone = portal.run("account", "show", "--account", sales["id"], exit_code=6)
    assert "portal account use" in gone.stderr


def test_close_asks_for_the_code_when_2fa_is_on(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)  # before 2FA is on: an existing session stays valid
    two_factor = sandbox.enable_totp(OWNER)
    sales = sandbox.account_named(token, "Acme Sales")
    args = ("account", "close", "--account", sales["id"], "--yes", "--password-stdin")
    # Password only: the server wants a code; with no terminal and no second line, exit 4.
    missing = portal.run(*args, stdin=DEMO_PASSWORD + "\n", exit_code=4)
    assert_one_line_error(missing)
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 200
    code = two_factor.fresh_code(minutes=3)
    portal.run(*args, stdin=f"{DEMO_PASSWORD}\n{code}\n")
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 404
