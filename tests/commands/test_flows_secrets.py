"""`portal secrets` flows in-process against the sandbox: the table on a terminal, JSON, CSV,
rolling and revoking, and an API key told to sign in as a person. The shell capture
`KEY=$(portal secrets add ci)` needs a real shell: tests/e2e/test_e2e_secrets.py."""

from __future__ import annotations

from support.harness import OWNER
from support.inprocess import Portal


def _account(portal: Portal, token: str) -> str:
    return str(portal.sandbox.get("me", token)["default_account_id"])


def test_list_as_a_table_json_and_csv(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    account = _account(portal, token)
    zapier = next(
        k
        for k in portal.sandbox.list_all(f"accounts/{account}/api_keys", token)
        if k["name"] == "Zapier"
    )
    table = portal.run("secrets", "list", tty=True)
    assert "Zapier" in table.stdout and f"{zapier['prefix']}…{zapier['last4']}" in table.stdout
    assert "\t" not in table.stdout  # a Rich table, not TSV
    rows = portal.run("secrets", "list", "--json").json()
    assert {r["name"] for r in rows} == {"CI deploy", "Zapier"}
    assert all("secret" not in r for r in rows)
    csv = portal.run("secrets", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,name,masked,status,created_at,expires_at,last_used_at"
    assert len(csv) == 3


def test_roll_and_revoke(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    account = _account(portal, token)
    old = portal.run("secrets", "add", "ci").stdout.strip()
    rolled = portal.run("secrets", "roll", "ci", "--old-expires-in", "0", "--yes", "--json").json()
    assert portal.sandbox.api("GET", f"accounts/{account}", old).status_code == 401
    assert portal.sandbox.api("GET", f"accounts/{account}", rolled["secret"]).status_code == 200
    csv = portal.run("secrets", "revoke", rolled["id"], "--yes", "--format", "csv").stdout
    assert rolled["id"] in csv and "revoked" in csv and rolled["secret"] not in csv
    assert portal.sandbox.api("GET", f"accounts/{account}", rolled["secret"]).status_code == 401


def test_an_api_key_is_told_to_sign_in_as_a_person(portal: Portal) -> None:
    portal.sign_in(OWNER)
    key = portal.run("secrets", "add", "ci").stdout.strip()
    result = portal.run("secrets", "list", env={"PORTAL_TOKEN": key}, exit_code=5)
    assert result.stderr.startswith("error: an API key cannot manage API keys; sign in as a person")
    assert key not in result.stderr
