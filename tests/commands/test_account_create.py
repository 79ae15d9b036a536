"""`portal account create`, the `*` that marks the account in use in `account list`, and the
way on after closing the account in use."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from support.demo import ADMIN, DEMO_PASSWORD, OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal


def _profile(config_dir: Path) -> dict[str, Any]:
    path = config_dir / "config.toml"
    data = tomllib.loads(path.read_text()) if path.exists() else {}
    return dict(data.get("profiles", {}).get("default", {}))


def _account_names(portal: Portal, token: str) -> set[str]:
    org = portal.sandbox.get("orgs", token)["data"][0]["id"]
    return {a["name"] for a in portal.sandbox.get(f"orgs/{org}/accounts", token)["data"]}


def test_create_makes_the_account_on_the_plan_and_prints_it(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    created = portal.json("account", "create", "Acme Labs", "--plan", "Interact")
    assert (created["name"], created["plan"], created["role"]) == ("Acme Labs", "interact", "owner")
    assert created["id"].startswith("acct_")
    assert portal.sandbox.get(f"accounts/{created['id']}", token)["name"] == "Acme Labs"


def test_create_without_use_leaves_the_current_account(portal: Portal, config_dir: Path) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", "Acme Support")
    before = _profile(config_dir)
    result = portal.run("account", "create", "Acme Labs")
    assert "Acme Labs" in result.stdout
    assert _profile(config_dir) == before


def test_create_with_use_selects_it(portal: Portal, config_dir: Path) -> None:
    portal.sign_in(OWNER)
    created = portal.json("account", "create", "Acme Labs", "--use")
    assert _profile(config_dir)["account"] == created["id"]
    assert portal.run("account", "id").stdout.strip() == created["id"]


def test_create_by_an_admin_is_exit_5_with_a_hint_and_creates_nothing(portal: Portal) -> None:
    token = portal.sign_in(ADMIN)
    before = _account_names(portal, token)
    result = portal.run("account", "create", "Sneaky", exit_code=5)
    assert_one_line_error(result)
    assert "org's owner" in result.stderr and "hint:" in result.stderr
    assert _account_names(portal, token) == before


@pytest.mark.parametrize(
    ("args", "param"),
    [(("",), "NAME"), (("x" * 101,), "NAME"), (("Labs", "--plan", "gold"), "--plan")],
)
def test_bad_input_is_exit_2_naming_it_before_any_request(
    portal: Portal, args: tuple[str, ...], param: str
) -> None:
    # Signed out: a request would be exit 4.
    result = portal.run("account", "create", *args, "--json", exit_code=2)
    assert json.loads(result.stderr)["error"]["param"] == param


def test_create_at_a_terminal_ends_with_the_next_command(portal: Portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "create", "Acme Labs", tty=True)
    jq = '.[] | select(.name == "Acme Labs") | .id'
    created = portal.run("account", "list", "--jq", jq).stdout.strip()
    assert f"Next: portal account use {created}" in result.stderr
    # Not for scripts: neither piped nor with --json.
    assert "Next:" not in portal.run("account", "create", "Acme Labs 2").stderr
    assert "Next:" not in portal.run("account", "create", "Acme Labs 3", "--json", tty=True).stderr


def _marked(screen: str) -> list[str]:
    return [line for line in screen.splitlines() if line.lstrip().startswith("*")]


def test_list_marks_the_account_in_use_at_a_terminal(portal: Portal) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", "Acme Sales")
    marked = _marked(portal.run("account", "list", tty=True, columns=120).stdout)
    assert len(marked) == 1 and "Acme Sales" in marked[0]
    portal.run("account", "use", "Acme Support")
    marked = _marked(portal.run("account", "list", tty=True, columns=120).stdout)
    assert len(marked) == 1 and "Acme Support" in marked[0]


def test_list_marks_nothing_for_scripts(portal: Portal) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", "Acme Sales")
    tsv = portal.run("account", "list").stdout
    assert "*" not in tsv
    assert all("in_use" not in row for row in portal.json("account", "list"))


def test_closing_the_account_in_use_names_list_and_use(portal: Portal) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", "Acme Sales")
    result = portal.run("account", "close", "--yes", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert "portal account list" in result.stderr
    assert "portal account use" in result.stderr


def test_list_times_are_relative_at_a_terminal_and_absolute_for_scripts(portal: Portal) -> None:
    portal.sign_in(OWNER)
    created = portal.json("account", "create", "Acme Labs")["created_at"]
    assert created.startswith("2026-11-15T12:00")  # the sandbox's clock
    screen = portal.run("account", "list", tty=True, columns=160).stdout
    row = next(line for line in screen.splitlines() if "Acme Labs" in line)
    assert "less than a minute ago" in row
    assert "2026-11-15" not in screen
    tsv = portal.run("account", "list").stdout
    assert created in tsv and "ago" not in tsv
    assert "ago" not in portal.run("account", "list", "--format", "csv", tty=True).stdout
