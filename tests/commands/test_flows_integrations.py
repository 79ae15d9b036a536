"""`portal integrations` flows in-process against the sandbox: a terminal table, JSON, CSV, and
the server's state after each change. More in tests/commands/test_integrations.py."""

from __future__ import annotations

import json
from typing import Any

from support.harness import OWNER
from support.inprocess import Portal


def _integrations(portal: Portal, token: str) -> dict[str, dict[str, Any]]:
    account = portal.sandbox.get("me", token)["default_account_id"]
    return {
        i["type"]: i for i in portal.sandbox.list_all(f"accounts/{account}/integrations", token)
    }


def test_list_and_show_in_every_format(portal: Portal) -> None:
    portal.sign_in(OWNER)
    table = portal.run("integrations", "list", tty=True)
    assert "not configured" in table.stdout and "Slack" in table.stdout
    rows = portal.run("integrations", "list", "--json").json()
    assert {r["id"]: r["status"] for r in rows}["webhook"] == "disabled"
    csv = portal.run("integrations", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "id,name,status,integration.id,description" and len(csv) == 7
    shown = portal.run("integrations", "show", "slack", tty=True)
    assert "••••9f3a" in shown.stdout and "xoxb-demo-4471-9f3a" not in shown.stdout
    data = portal.run("integrations", "show", "slack", "--json").json()
    assert data["integration"]["settings"]["channel"] == "#support"


def test_configure_change_and_remove(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    secret = "zd-e2e-token-4242"
    created = portal.run(
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
    assert _integrations(portal, token)["zendesk"]["settings"]["email"] == "agent@acme.test"

    updated = portal.run("integrations", "configure", "zendesk", "--set", "subdomain=acme-eu")
    assert updated.stdout.splitlines()[0] == "Type\tzendesk"
    settings = _integrations(portal, token)["zendesk"]["settings"]
    assert settings == {"subdomain": "acme-eu", "email": "agent@acme.test", "api_token": "••••4242"}

    disabled = portal.run("integrations", "disable", "zendesk", "--format", "csv").stdout
    assert "disabled" in disabled.splitlines()[1]
    assert _integrations(portal, token)["zendesk"]["status"] == "disabled"
    portal.run("integrations", "enable", "zendesk")
    assert _integrations(portal, token)["zendesk"]["status"] == "enabled"
    portal.run("integrations", "remove", "zendesk", "--yes")
    assert "zendesk" not in _integrations(portal, token)
