"""Accounts and organizations by ID or by exact name: the one place that turns what a person
typed (`--account "Acme Support"`, `portal org use Acme`) into an ID.

An ID is used as given (the server says 404 when it is not the caller's). A name is looked up
among what the caller can see; no match is "not found" (exit 6), several are a usage error
(exit 2) listing the candidates, so the user can pick one by ID.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from chathq_cli import errors
from chathq_cli.inputs.names import shown

if TYPE_CHECKING:
    from chathq_cli.api.accounts import Account
    from chathq_cli.api.orgs import Org
    from chathq_cli.client import PortalClient

T = TypeVar("T")


class Missing(errors.NotFound):
    """Nothing of `kind` answers to `ref` among what the caller can see: a 404 (exit 6) found by
    a command's lookup rather than said by the server. The hints table words the next step."""

    def __init__(self, message: str, *, kind: str, ref: str, code: str, param: str) -> None:
        super().__init__(message, status=404, code=code, param=param)
        self.kind = kind
        self.ref = ref


def not_found(
    kind: str,
    ref: str,
    param: str,
    *,
    named: bool = False,
    where: str = "",
    code: str = "resource_missing",
) -> Missing:
    """The one form of "not found": `no API key named 'ci'` (a name) or `no member 'x@y.z'`
    (an ID or an address), then `where` (" on this account"), naming `param` as typed."""
    what = f"no {kind} named {shown(ref)}" if named else f"no {kind} {shown(ref)}"
    return Missing(what + where, kind=kind, ref=ref, code=code, param=param)


def find_one(
    items: Iterable[T],
    match: Callable[[T], bool],
    kind: str,
    ref: str,
    param: str,
    *,
    named: bool = False,
    where: str = "",
    code: str = "resource_missing",
    describe: Callable[[T], str] = lambda item: str(getattr(item, "id", item)),
) -> T:
    """The one item `match` picks: none is `not_found` (exit 6), several a UsageError (exit 2)
    listing them as `describe` says, so the user can give the ID."""
    found = [item for item in items if match(item)]
    if not found:
        raise not_found(kind, ref, param, named=named, where=where, code=code)
    if len(found) > 1:
        listed = ", ".join(describe(item) for item in found)
        raise errors.UsageError(
            f"{param}: several {kind}s are named {shown(ref)}: {listed}; give the ID", param=param
        )
    return found[0]


def is_id(ref: str, kind: str) -> bool:
    """`ref` is written as an ID of `kind` (a key of `rules.ID_PREFIXES`), not a name."""
    from chathq_cli.api.rules import ID_PREFIXES

    return ref.startswith(ID_PREFIXES[kind])


def is_account_id(ref: str) -> bool:
    return is_id(ref, "account")


def is_org_id(ref: str) -> bool:
    return is_id(ref, "org")


def find_account(client: PortalClient, ref: str, param: str) -> Account:
    """The account `ref` names (an ID, or the exact name of one the caller can see)."""
    if is_account_id(ref):
        return client.get_account(ref)
    accounts = (acct for org in client.list_orgs() for acct in client.list_accounts(org.id))
    return find_one(
        accounts,
        lambda acct: acct.name == ref,
        "account",
        ref,
        param,
        named=True,
        code="account_name_unknown",
        describe=lambda acct: f"{acct.id} (org {acct.org_id})",
    )


def find_org(client: PortalClient, ref: str, param: str) -> Org:
    """The organization `ref` names (an ID, or the exact name of one the caller belongs to)."""
    if is_org_id(ref):
        return client.get_org(ref)
    return find_one(
        client.list_orgs(),
        lambda org: org.name == ref,
        "org",
        ref,
        param,
        named=True,
        code="org_name_unknown",
    )
