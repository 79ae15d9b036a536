"""`portal integrations configure` prompts on a real pseudo-terminal (pexpect): the hidden
secret prompt does not echo, an enum offers its choices and asks again on a bad one, a bool
takes yes/no; and `integrations remove` asks before deleting."""

from __future__ import annotations

from typing import Any

import pytest

from support.harness import OWNER, Cli
from support.terminal import Terminal

pytestmark = pytest.mark.pty


def _integrations(cli: Cli, token: str) -> dict[str, dict[str, Any]]:
    account = cli.sandbox.get("me", token)["default_account_id"]
    return {i["type"]: i for i in cli.sandbox.list_all(f"accounts/{account}/integrations", token)}


def test_guided_setup_hides_the_secret_and_asks_yes_no(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    secret = "shpat_pty_hidden_5150"
    session = Terminal(cli, "integrations", "configure", "shopify")
    session.answer("Shop domain:", "acme.myshopify.com")
    session.answer("Admin API access token:", secret)
    session.answer("Sync orders [y/n], optional (Enter skips):", "y")
    assert session.finish() == 0, session.text
    assert "acme.myshopify.com" in session.text  # plain input echoes...
    assert secret not in session.text  # ...the secret does not
    assert "••••5150" in session.text  # the result shows the server's mask
    settings = _integrations(cli, token)["shopify"]["settings"]
    assert settings == {
        "shop_domain": "acme.myshopify.com",
        "access_token": "••••5150",
        "sync_orders": True,
    }


def test_an_enum_offers_its_choices_and_asks_again(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    cli.run("integrations", "remove", "webhook", "--yes")
    session = Terminal(cli, "integrations", "configure", "webhook")
    session.answer("Endpoint URL:", "https://hooks.example.com/in")
    session.answer("Signing secret, optional (Enter skips):", "whsec_pty_8080")
    session.answer("Events (all/messages/tickets), optional (Enter skips):", "everything")
    session.answer("Events (all/messages/tickets), optional (Enter skips):", "messages")
    assert session.finish() == 0, session.text
    assert "must be one of all, messages, tickets" in session.text
    assert "whsec_pty_8080" not in session.text
    settings = _integrations(cli, token)["webhook"]["settings"]
    assert settings == {
        "url": "https://hooks.example.com/in",
        "signing_secret": "••••8080",
        "events": "messages",
    }


def test_a_bool_takes_no_and_remove_can_be_declined(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    session = Terminal(cli, "integrations", "configure", "shopify")
    session.answer("Shop domain:", "shop.example")
    session.answer("Admin API access token:", "shpat_no_0001")
    session.answer("Sync orders [y/n], optional (Enter skips):", "no")
    assert session.finish() == 0, session.text
    assert _integrations(cli, token)["shopify"]["settings"]["sync_orders"] is False

    remove = Terminal(cli, "integrations", "remove", "shopify")
    remove.answer("[y/N]", "n")
    assert remove.finish() == 3, remove.text
    assert "shopify" in _integrations(cli, token)
