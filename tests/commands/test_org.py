"""`portal org` in-process against the real sandbox: listing, choosing, creating, showing and
updating organizations. Each bad input is one line, exit 2 naming what the user typed, and
changes nothing on the server or in config.toml."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from support.demo import ADMIN, MEMBER, OUTSIDER, OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal


class Orgs:
    def __init__(self, portal: Portal) -> None:
        self.sandbox = portal.sandbox
        self.token = self.sandbox.sign_in(OWNER)
        self.acme = self.sandbox.org_named(self.token, "Acme")
        self.globex = self.sandbox.org_named(self.sandbox.sign_in(OUTSIDER), "Globex")

    def get(self, org: dict[str, Any]) -> dict[str, Any]:
        return dict(self.sandbox.get(f"orgs/{org['id']}", self.token))

    def names(self) -> list[str]:
        return sorted(org["name"] for org in self.sandbox.list_all("orgs", self.token))


@pytest.fixture
def orgs(portal: Portal) -> Orgs:
    return Orgs(portal)


def config_toml(config_dir: Path) -> dict[str, Any]:
    path = config_dir / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


@pytest.mark.parametrize(
    ("email", "names"),
    [(OWNER, ["Acme"]), (ADMIN, ["Acme"]), (MEMBER, ["Acme"]), (OUTSIDER, ["Globex"])],
)
def test_list_shows_the_users_orgs(portal: Portal, email: str, names: list[str]) -> None:
    portal.sign_in(email)
    assert sorted(org["name"] for org in portal.json("org", "list")) == names
    tsv = portal.run("org", "list").stdout.splitlines()
    assert tsv[0].split("\t") == ["ID", "Name", "Role", "Created"]


def test_use_by_name_and_id(portal: Portal, orgs: Orgs, config_dir: Path) -> None:
    portal.sign_in(OWNER)
    result = portal.run("org", "use", "Acme")
    assert f"Using org Acme ({orgs.acme['id']})" in result.stderr
    profile = config_toml(config_dir)["profiles"]["default"]
    assert profile["org"] == orgs.acme["id"]
    assert profile["account"].startswith("acct_")
    portal.run("org", "use", orgs.acme["id"])
    assert portal.json("org", "show")["id"] == orgs.acme["id"]


@pytest.mark.parametrize(
    ("ref", "code", "mentions"),
    [("", 2, "ORG"), ("  ", 2, "ORG"), ("Initech", 6, "no org named"), ("Globex", 6, "Globex")],
)
def test_use_of_a_bad_org_is_one_line_and_changes_nothing(
    portal: Portal, config_dir: Path, ref: str, code: int, mentions: str
) -> None:
    portal.sign_in(OWNER)
    result = portal.run("org", "use", ref, exit_code=code)
    assert_one_line_error(result, mentions=mentions)
    assert not (config_dir / "config.toml").exists()


def test_use_of_another_tenants_org_id_is_not_found(
    portal: Portal, orgs: Orgs, config_dir: Path
) -> None:
    portal.sign_in(MEMBER)
    portal.run("org", "use", orgs.globex["id"], exit_code=6)
    assert not (config_dir / "config.toml").exists()


def test_create_makes_the_user_its_owner(portal: Portal, orgs: Orgs) -> None:
    portal.sign_in(MEMBER)
    created = portal.json("org", "create", "  Initech  ")
    assert (created["name"], created["role"]) == ("Initech", "owner")
    assert portal.run("org", "create", "Umbrella", "--jq", ".name").stdout == "Umbrella\n"


@pytest.mark.parametrize("name", ["", "   ", "x" * 101, "bad\x1bname"])
def test_create_with_a_bad_name_is_exit_2_naming_NAME(
    portal: Portal, orgs: Orgs, name: str
) -> None:
    portal.sign_in(OWNER)
    result = portal.run("org", "create", name, exit_code=2)
    assert_one_line_error(result, mentions="NAME")
    error = json.loads(portal.run("org", "create", name, "--json", exit_code=2).stderr)["error"]
    assert error["param"] == "NAME"
    assert orgs.names() == ["Acme"]


def test_show_in_every_format(portal: Portal, orgs: Orgs) -> None:
    portal.sign_in(OWNER)
    assert portal.json("org", "show") == orgs.get(orgs.acme)
    assert portal.run("org", "show", "--jq", ".legal_name").stdout == "Acme Corporation\n"
    assert "Acme Corporation" in portal.run("org", "show").stdout


def test_show_of_another_tenants_org_is_not_found(portal: Portal, orgs: Orgs) -> None:
    portal.sign_in(ADMIN)
    result = portal.run("org", "show", "--org", orgs.globex["id"], exit_code=None)
    assert result.code in (5, 6)
    assert_one_line_error(result)


def test_update_as_the_owner(portal: Portal, orgs: Orgs) -> None:
    portal.sign_in(OWNER)
    updated = portal.json(
        "org",
        "update",
        "--legal-name",
        "Acme Incorporated",
        "--billing-email",
        "billing@acme.test",
        "--tax-id",
        " DE123456789 ",
    )
    assert (updated["legal_name"], updated["billing_email"], updated["tax_id"]) == (
        "Acme Incorporated",
        "billing@acme.test",
        "DE123456789",
    )
    assert orgs.get(orgs.acme)["legal_name"] == "Acme Incorporated"


@pytest.mark.parametrize("email", [ADMIN, MEMBER])
def test_update_by_a_non_owner_is_exit_5(portal: Portal, orgs: Orgs, email: str) -> None:
    portal.sign_in(email)
    before = orgs.get(orgs.acme)
    assert_one_line_error(portal.run("org", "update", "--name", "Hacked", exit_code=5))
    assert orgs.get(orgs.acme) == before


@pytest.mark.parametrize(
    ("args", "param"),
    [
        ((), "--name"),
        (("--name", ""), "--name"),
        (("--legal-name", "x" * 101), "--legal-name"),
        (("--billing-email", "billing@"), "--billing-email"),
        (("--billing-email", "a\x1bb@acme.test"), "--billing-email"),
    ],
)
def test_bad_update_is_exit_2_naming_the_flag(
    portal: Portal, orgs: Orgs, args: tuple[str, ...], param: str
) -> None:
    portal.sign_in(OWNER)
    before = orgs.get(orgs.acme)
    assert_one_line_error(portal.run("org", "update", *args, exit_code=2), mentions=param)
    error = json.loads(portal.run("org", "update", *args, "--json", exit_code=2).stderr)["error"]
    assert error["param"] == param
    assert orgs.get(orgs.acme) == before


@pytest.mark.parametrize(
    ("flag", "value"),
    [("--address", "1 Main St\x1b[2J"), ("--address", "   "), ("--tax-id", "DE\x00123")],
)
def test_bad_free_text_is_refused_before_the_request_naming_the_flag(
    portal: Portal, orgs: Orgs, flag: str, value: str
) -> None:
    portal.sign_in(OWNER)
    before = orgs.get(orgs.acme)
    error = json.loads(portal.run("org", "update", flag, value, "--json", exit_code=2).stderr)
    assert error["error"]["param"] == flag
    assert flag in error["error"]["message"]
    assert orgs.get(orgs.acme) == before
