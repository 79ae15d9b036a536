"""`portal account list/use`: the accounts within reach, and choosing the current one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.account._view import account_columns
from chathq_cli.output import Column

if TYPE_CHECKING:
    from chathq_cli.api.accounts import Account
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

app = typer.Typer()


def _find_account(client: PortalClient, ref: str) -> Account:
    """An account by id, or by exact name across the caller's orgs."""
    from chathq_cli.cli.resolve import find_account

    return find_account(client, ref, "ACCOUNT")


@command(app, "list", data=True, org=True)
def list_(
    rt: Runtime,
    all_orgs: Annotated[
        bool, typer.Option("--all-orgs", help="List the accounts of every org you belong to.")
    ] = False,
) -> None:
    """List the accounts of the current org (or of every org with --all-orgs).

    At a terminal, `*` marks the account in use (`portal account use` changes it).

    \b
    Examples:
      portal account list
      portal account list --all-orgs
      portal account list --org org_123abc --format csv
      portal account list --json --jq '.[] | select(.plan == "transact") | .id'
    """

    client = rt.client()
    org_ids = (o.id for o in client.list_orgs()) if all_orgs else iter([rt.org_id()])
    from chathq_cli.cli.completion_feed import tee

    rows = (
        acct.model_dump(mode="json") for org_id in org_ids for acct in client.list_accounts(org_id)
    )
    # IDs for TAB completion, at no extra request.
    cached = tee(rt, "accounts", rows, complete=all_orgs)
    # The org column only when several orgs are listed: the table stays narrow otherwise.
    columns = [c for c in account_columns() if all_orgs or c.key != "org_id"]
    if rt.out.is_terminal_table:  # for people: a `*` before the account in use, as git branch
        in_use = _in_use(rt)
        cached = (dict(row, in_use="*" if row["id"] == in_use else "") for row in cached)
        columns = [Column("in_use", " ", priority=1), *columns]
    rt.out.list(cached, columns)


def _in_use(rt: Runtime) -> str | None:
    """The account commands act on when no --account is given; None when there is none."""
    from chathq_cli import errors

    try:
        return rt.account_id()
    except errors.PortalError:  # none selected, or no longer reachable: nothing to mark
        return None


@command(app)
def use(
    rt: Runtime,
    ref: Annotated[
        str, typer.Argument(metavar="ACCOUNT", help="Account id (acct_...) or exact name.")
    ],
) -> None:
    """Make an account the current one for this profile (its org becomes current too).

    \b
    Examples:
      portal account use "Acme Sales"
      portal account use acct_123abc
    """
    from chathq_cli.inputs.names import not_blank

    not_blank(ref, "ACCOUNT")
    acct = _find_account(rt.client(), ref)
    rt.config().update_profile(rt.settings.profile, account=acct.id, org=acct.org_id)
    rt.out.success(f"Using account {acct.name} ({acct.id})")
