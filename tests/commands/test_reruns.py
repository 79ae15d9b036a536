"""Safe to re-run in CI: running the same command again leaves the state as the first run
did, exits 0 and says what it found (README, "Safe to re-run in CI")."""

from __future__ import annotations

from typing import Any

import pytest

from support.demo import ADMIN, OWNER
from support.inprocess import Portal


class Account:
    def __init__(self, portal: Portal) -> None:
        self.sandbox = portal.sandbox
        self.token = portal.sign_in(OWNER)
        self.id = self.sandbox.get("me", self.token)["default_account_id"]

    def listing(self, what: str) -> list[dict[str, Any]]:
        return self.sandbox.list_all(f"accounts/{self.id}/{what}", self.token)


def mails_to(portal: Portal, address: str) -> int:
    return sum(mail["to"] == address for mail in portal.sandbox.outbox())


@pytest.fixture
def account(portal: Portal) -> Account:
    return Account(portal)


def test_inviting_again_leaves_one_invitation_and_says_so(portal: Portal, account: Account) -> None:
    first = portal.json("team", "invite", "ana@example.com")
    again = portal.run("team", "invite", "ana@example.com", "ben@example.com", "--json")
    listed = again.json()
    assert [i["email"] for i in listed] == ["ana@example.com", "ben@example.com"]
    assert listed[0]["id"] == first[0]["id"]  # the same invitation, not a second one
    assert "Invited 1 person as member" in again.stderr
    assert "Already invited (pending, left as is): ana@example.com" in again.stderr
    emails = [i["email"] for i in account.listing("invitations")]
    assert emails.count("ana@example.com") == 1
    assert mails_to(portal, "ana@example.com") == 1
    # Everyone already invited: nothing sent, still exit 0.
    third = portal.run("team", "invite", "ana@example.com", "ben@example.com")
    assert "Invited" not in third.stderr
    assert "ana@example.com, ben@example.com" in third.stderr
    assert mails_to(portal, "ana@example.com") == 1


def test_invite_resend_mails_the_pending_ones_again(portal: Portal, account: Account) -> None:
    portal.run("team", "invite", "ana@example.com")
    result = portal.run("team", "invite", "ana@example.com", "--resend")
    assert "Sent again: ana@example.com" in result.stderr
    assert mails_to(portal, "ana@example.com") == 2
    assert [i["email"] for i in account.listing("invitations")].count("ana@example.com") == 1


def test_invite_again_with_another_role_keeps_the_pending_one_and_warns(
    portal: Portal, account: Account
) -> None:
    portal.run("team", "invite", "ana@example.com")
    result = portal.run("team", "invite", "ana@example.com", "--role", "admin")
    assert "warning: pending with another role than admin: ana@example.com (member)" in (
        result.stderr
    )
    [ana] = [i for i in account.listing("invitations") if i["email"] == "ana@example.com"]
    assert ana["role"] == "member"


def test_revoking_a_revoked_key_again_is_exit_0(portal: Portal, account: Account) -> None:
    portal.run("secrets", "add", "rerun key")
    portal.run("secrets", "revoke", "rerun key", "--yes")
    # Without --yes and without a terminal: nothing is asked, because nothing is to be done.
    again = portal.run("secrets", "revoke", "rerun key")
    assert "already revoked; nothing changed" in again.stderr
    as_json = portal.json("secrets", "revoke", "rerun key")
    assert as_json["status"] == "revoked"
    [key] = [k for k in account.listing("api_keys") if k["name"] == "rerun key"]
    assert key["status"] == "revoked"


def test_set_role_to_the_same_role_is_exit_0(portal: Portal, account: Account) -> None:
    result = portal.run("team", "set-role", ADMIN, "admin")
    assert f"{ADMIN} is already admin; nothing changed" in result.stderr


def test_configure_with_the_same_settings_changes_nothing(portal: Portal, account: Account) -> None:
    changed = portal.run("integrations", "configure", "slack", "--set", "channel=#rerun")
    assert "Updated slack" in changed.stderr
    before = {i["type"]: i for i in account.listing("integrations")}["slack"]
    again = portal.run("integrations", "configure", "slack", "--set", "channel=#rerun")
    assert "slack" in again.stderr and "already has these settings; nothing changed" in (
        again.stderr
    )
    after = {i["type"]: i for i in account.listing("integrations")}["slack"]
    assert after == before
