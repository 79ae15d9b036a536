"""`portal secrets` as a subprocess against a real sandbox: the table on a pty, JSON, CSV, and
the shell capture `KEY=$(portal secrets add ci)` that CI scripts rely on."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from support.harness import OWNER, Cli

pytestmark = pytest.mark.e2e


def _account(cli: Cli, token: str) -> str:
    return str(cli.sandbox.get("me", token)["default_account_id"])


def test_list_as_a_table_json_and_csv(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    account = _account(cli, token)
    zapier = next(
        k
        for k in cli.sandbox.list_all(f"accounts/{account}/api_keys", token)
        if k["name"] == "Zapier"
    )
    table = cli.run("secrets", "list", tty=True)
    assert "Zapier" in table.stdout and f"{zapier['prefix']}…{zapier['last4']}" in table.stdout
    assert "\t" not in table.stdout  # a Rich table, not TSV
    rows = cli.run("secrets", "list", "--json").json()
    assert {r["name"] for r in rows} == {"CI deploy", "Zapier"}
    assert all("secret" not in r for r in rows)
    csv = cli.run("secrets", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,name,masked,status,created_at,expires_at,last_used_at"
    assert len(csv) == 3


def test_shell_capture_gets_only_the_secret(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    account = _account(cli, token)
    command = shlex.join(cli.command("secrets", "add", "ci"))
    script = f'KEY=$({command}) || exit 9; printf "[%s]" "$KEY"'
    proc = subprocess.run(
        ["bash", "-c", script],
        env=cli.env(),
        cwd=cli.home,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    secret = proc.stdout.removeprefix("[").removesuffix("]")
    assert secret.startswith("sk_") and "\n" not in secret and " " not in secret
    assert "will not be shown again" in proc.stderr and secret not in proc.stderr
    assert cli.sandbox.api("GET", f"accounts/{account}", secret).status_code == 200


def test_roll_and_revoke(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    account = _account(cli, token)
    old = cli.run("secrets", "add", "ci").stdout.strip()
    rolled = cli.run("secrets", "roll", "ci", "--old-expires-in", "0", "--yes", "--json").json()
    assert cli.sandbox.api("GET", f"accounts/{account}", old).status_code == 401
    assert cli.sandbox.api("GET", f"accounts/{account}", rolled["secret"]).status_code == 200
    csv = cli.run("secrets", "revoke", rolled["id"], "--yes", "--format", "csv").stdout
    assert rolled["id"] in csv and "revoked" in csv and rolled["secret"] not in csv
    assert cli.sandbox.api("GET", f"accounts/{account}", rolled["secret"]).status_code == 401


def test_an_api_key_is_told_to_sign_in_as_a_person(cli: Cli) -> None:
    cli.sign_in(OWNER)
    key = cli.run("secrets", "add", "ci").stdout.strip()
    result = cli.run("secrets", "list", env={"PORTAL_TOKEN": key}, exit_code=5)
    assert result.stderr.startswith("error: an API key cannot manage API keys; sign in as a person")
    assert key not in result.stderr
