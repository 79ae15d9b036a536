"""`portal integrations` as a subprocess against a real sandbox: table on a pty, JSON, CSV, and
the server's state after each change."""

from __future__ import annotations

import json
from typing import Any

import pytest

from support.harness import OWNER, Cli

pytestmark = pytest.mark.e2e


def _integrations(cli: Cli, token: str) -> dict[str, dict[str, Any]]:
    account = cli.sandbox.get("me", token)["default_account_id"]
    return {i["type"]: i for i in cli.sandbox.list_all(f"accounts/{account}/integrations", token)}


def test_list_and_show_in_every_format(cli: Cli) -> None:
    cli.sign_in(OWNER)
    table = cli.run("integrations", "list", tty=True)
    assert "not configured" in table.stdout and "Slack" in table.stdout
    rows = cli.run("integrations", "list", "--json").json()
    assert {r["id"]: r["status"] for r in rows}["webhook"] == "disabled"
    csv = cli.run("integrations", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,name,status,integration.id,description" and len(csv) == 7
    shown = cli.run("integrations", "show", "slack", tty=True)
    assert "••••9f3a" in shown.stdout and "xoxb-demo-4471-9f3a" not in shown.stdout
    data = cli.run("integrations", "show", "slack", "--json").json()
    assert data["integration"]["settings"]["channel"] == "#support"


def test_configure_change_and_remove(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    secret = "zd-e2e-token-4242"
    created = cli.run(
        "integrations",
        "configure",
        "zendesk",
        "--set",
        "subdomain=acme",
        "--set",
        "email=agent@acme.test",
        "--from-file",
        "-",
        "--json",
        stdin=json.dumps({"api_token": secret}),
    )
    assert created.json()["settings"]["api_token"] == "••••4242"
    assert secret not in created.stdout + created.stderr
    assert _integrations(cli, token)["zendesk"]["settings"]["email"] == "agent@acme.test"

    updated = cli.run("integrations", "configure", "zendesk", "--set", "subdomain=acme-eu")
    assert updated.stdout.splitlines()[0] == "Type\tzendesk"
    settings = _integrations(cli, token)["zendesk"]["settings"]
    assert settings == {"subdomain": "acme-eu", "email": "agent@acme.test", "api_token": "••••4242"}

    disabled = cli.run("integrations", "disable", "zendesk", "--format", "csv").stdout
    assert "disabled" in disabled.splitlines()[1]
    assert _integrations(cli, token)["zendesk"]["status"] == "disabled"
    cli.run("integrations", "enable", "zendesk")
    assert _integrations(cli, token)["zendesk"]["status"] == "enabled"
    cli.run("integrations", "remove", "zendesk", "--yes")
    assert "zendesk" not in _integrations(cli, token)
