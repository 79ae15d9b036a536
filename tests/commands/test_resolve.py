"""Accounts and organizations by ID or exact name, in one place for every command:
`--account "Acme Support"` works wherever `--account acct_...` does."""

from __future__ import annotations

import json

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
