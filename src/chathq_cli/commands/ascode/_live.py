"""The live state of accounts, read through the client, in the planner's terms (`_diff.py`),
and the document `portal export` writes from it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from chathq_cli import errors
from chathq_cli.commands.ascode._diff import LiveAccount, LiveIntegration, LiveKey, LiveMember

if TYPE_CHECKING:
    from chathq_cli.client import PortalClient
    from chathq_cli.inputs.account_file import Catalog


def catalog(client: PortalClient) -> Catalog:
    from chathq_cli.inputs.account_file import catalog_of

    return catalog_of(client.list_integration_types())


def account_exists(client: PortalClient, account_id: str) -> bool:
    try:
        return client.get_account(account_id).status == "open"
    except errors.NotFound:
        return False


def read(client: PortalClient, account_id: str, sections: Iterable[str]) -> LiveAccount:
    """The live state of the sections asked for (the others are left empty: not managed)."""
    wanted = set(sections)
    live = LiveAccount(account_id, client.get_account(account_id).name)
    if "members" in wanted:
        for member in client.list_members(account_id):
            live.members[member.email.lower()] = LiveMember(member.id, member.role)
        for invitation in client.list_invitations(account_id, status="pending"):
            email = invitation.email.lower()
            if email not in live.members:  # someone who joined is a member, not an invitation
                live.members[email] = LiveMember(invitation.id, invitation.role, pending=True)
    if "integrations" in wanted:
        for integration in client.list_integrations(account_id):
            live.integrations[integration.type] = LiveIntegration(
                integration.id, integration.status == "enabled", dict(integration.settings)
            )
    if "api_keys" in wanted:
        for key in client.list_api_keys(account_id):
            if key.status != "active":
                continue  # revoked and expired keys are history, not state
            expires = key.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ") if key.expires_at else None
            live.api_keys.setdefault(key.name, []).append(LiveKey(key.id, expires))
    return live


def all_accounts(client: PortalClient) -> Iterator[str]:
    """Every open account of every org the caller belongs to."""
    for org in client.list_orgs():
        for account in client.list_accounts(org.id):
            if account.status == "open":
                yield account.id


def export_document(accounts: Iterable[LiveAccount], secret_settings: Catalog) -> dict[str, Any]:
    """The file `portal plan` finds clean: secret settings as ${TYPE_FIELD}, never a value."""
    from chathq_cli.inputs.account_file import env_name

    document: dict[str, Any] = {"version": 1, "accounts": {}}
    for live in accounts:
        integrations = {}
        for kind, integration in sorted(live.integrations.items()):
            rules = secret_settings.get(kind, {})
            settings = {
                name: f"${{{env_name(kind, name)}}}"
                if name in rules and rules[name].secret
                else value
                for name, value in integration.settings.items()
            }
            integrations[kind] = {"enabled": integration.enabled, "settings": settings}
        keys = {
            name: {"expires_at": found[0].expires_at} if found[0].expires_at else {}
            for name, found in sorted(live.api_keys.items())
        }
        document["accounts"][live.id] = {
            "name": live.name,
            "members": {email: m.role for email, m in sorted(live.members.items())},
            "integrations": integrations,
            "api_keys": keys,
        }
    return document
