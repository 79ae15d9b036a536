"""Accounts and organizations by ID or by exact name: the one place that turns what a person
typed (`--account "Acme Support"`, `portal org use Acme`) into an ID.

An ID is used as given (the server says 404 when it is not the caller's). A name is looked up
among what the caller can see; no match is "not found" (exit 6), several are a usage error
(exit 2) listing the candidates, so the user can pick one by ID.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chathq_cli import errors

if TYPE_CHECKING:
    from chathq_cli.api.accounts import Account
    from chathq_cli.api.orgs import Org
    from chathq_cli.client import PortalClient

ACCOUNT_PREFIX = "acct_"
ORG_PREFIX = "org_"


def is_account_id(ref: str) -> bool:
    return ref.startswith(ACCOUNT_PREFIX)


def is_org_id(ref: str) -> bool:
    return ref.startswith(ORG_PREFIX)


def find_account(client: PortalClient, ref: str, param: str) -> Account:
    """The account `ref` names (an ID, or the exact name of one the caller can see)."""
    if is_account_id(ref):
        return client.get_account(ref)
    matches = [
        acct
        for org in client.list_orgs()
        for acct in client.list_accounts(org.id)
        if acct.name == ref
    ]
    if not matches:
        raise errors.NotFound(
            f"no account named {ref!r}",
            status=404,
            code="account_name_unknown",
            param=param,
        )
    if len(matches) > 1:
        listed = ", ".join(f"{acct.id} (org {acct.org_id})" for acct in matches)
        raise errors.UsageError(
            f"{param}: several accounts are named {ref!r}: {listed}; give the ID", param=param
        )
    return matches[0]


def find_org(client: PortalClient, ref: str, param: str) -> Org:
    """The organization `ref` names (an ID, or the exact name of one the caller belongs to)."""
    if is_org_id(ref):
        return client.get_org(ref)
    matches = [org for org in client.list_orgs() if org.name == ref]
    if not matches:
        raise errors.NotFound(
            f"no organization named {ref!r}", status=404, code="org_name_unknown", param=param
        )
    if len(matches) > 1:
        listed = ", ".join(org.id for org in matches)
        raise errors.UsageError(
            f"{param}: several organizations are named {ref!r}: {listed}; give the ID",
            param=param,
        )
    return matches[0]
