"""Accounts and organizations by ID or exact name, in one place for every command:
`--account "Acme Support"` works wherever `--account acct_...` does."""

from __future__ import annotations

import json

import pytest

from support.demo import OWNER


def test_account_option_takes_an_exact_name(portal) -> None:
    portal.sign_in(OWNER)
    token = portal.sandbox.sign_in(OWNER)
    sales = portal.sandbox.account_named(token, "Acme Sales")
    shown = portal.run("account", "show", "--account", "Acme Sales", "--json").json()
    assert shown["id"] == sales["id"]
    members = portal.run("team", "list", "--account", "Acme Sales", "--json").json()
    expected = portal.sandbox.list_all(f"accounts/{sales['id']}/members", token)
    assert sorted(m["id"] for m in members) == sorted(m["id"] for m in expected)


def test_org_option_takes_an_exact_name(portal) -> None:
    portal.sign_in(OWNER)
    token = portal.sandbox.sign_in(OWNER)
    acme = portal.sandbox.org_named(token, "Acme")
    assert portal.run("org", "show", "--org", "Acme", "--jq", ".id").stdout.strip() == acme["id"]


def test_an_unknown_account_name_is_not_found_with_the_list_to_pick_from(portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("account", "show", "--account", "No Such", exit_code=6)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: no account named 'No Such'",
        "hint: portal account list --all-orgs",
    ]


def test_an_ambiguous_account_name_is_exit_2_listing_the_candidates(portal) -> None:
    portal.sign_in(OWNER)
    token = portal.sandbox.sign_in(OWNER)
    acme = portal.sandbox.org_named(token, "Acme")
    twin = portal.sandbox.api(
        "POST", f"orgs/{acme['id']}/accounts", token, json={"name": "Acme Sales", "plan": "connect"}
    )
    assert twin.status_code < 300, twin.text
    result = portal.run("team", "list", "--account", "Acme Sales", "--json", exit_code=2)
    error = json.loads(result.stderr)["error"]
    assert error["param"] == "--account"
    assert twin.json()["id"] in error["message"]
    assert portal.sandbox.account_named(token, "Acme Support")["id"] not in error["message"]


def test_find_one_gives_one_shape_to_none_one_and_several() -> None:
    from types import SimpleNamespace

    from chathq_cli import errors
    from chathq_cli.cli.resolve import find_one

    keys = [SimpleNamespace(id="key_1", name="ci"), SimpleNamespace(id="key_2", name="ci")]
    assert find_one(keys, lambda k: k.id == "key_2", "API key", "key_2", "ID|NAME").id == "key_2"
    with pytest.raises(errors.NotFound) as missing:
        find_one(
            keys, lambda k: k.name == "x", "API key", "x", "ID|NAME", named=True, where=" here"
        )
    assert (str(missing.value), missing.value.param) == ("no API key named 'x' here", "ID|NAME")
    assert missing.value.exit_code == errors.ExitCode.NOT_FOUND
    with pytest.raises(errors.UsageError) as several:
        find_one(keys, lambda k: k.name == "ci", "API key", "ci", "ID|NAME", named=True)
    assert "several API keys are named 'ci': key_1, key_2; give the ID" in str(several.value)


def test_no_command_raises_not_found_itself() -> None:
    # Lookups after a listing go through cli/resolve.py, so the message, param and hint agree.
    import ast
    from pathlib import Path

    commands = Path(__file__).resolve().parents[2] / "src" / "chathq_cli" / "commands"
    offenders = [
        f"{path.name}:{node.lineno}"
        for path in sorted(commands.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("errors.NotFound")
    ]
    assert offenders == []
