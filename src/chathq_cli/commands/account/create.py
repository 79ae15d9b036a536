"""`portal account create`: a new account in the current org (the org's owner only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.account._view import account_columns

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, data=True, org=True)
def create(
    rt: Runtime,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The new account's name (1-100 characters).")
    ],
    plan: Annotated[
        str,
        typer.Option(
            "--plan",
            metavar="PLAN",
            help="connect, interact or transact (see `portal billing plans`).",
        ),
    ] = "connect",
    use: Annotated[
        bool, typer.Option("--use", help="Make the new account the current one.")
    ] = False,
) -> None:
    """Create an account in the current org (or the one given with --org); org owner only.

    You become the new account's owner; its subscription starts on PLAN (default connect).

    \b
    Examples:
      portal account create "Acme Sales"
      portal account create "Acme Sales" --plan interact --use
      portal account create Helpdesk --org org_123abc --json --jq .id
    """
    from chathq_cli.commands.billing._checks import check_plan
    from chathq_cli.inputs.names import check_name

    clean = check_name(name, "NAME")
    plan_id = check_plan(plan, "--plan")
    acct = rt.client().create_account(rt.org_id(), clean, plan_id)
    if use:
        rt.config().update_profile(rt.settings.profile, account=acct.id, org=acct.org_id)
    rt.out.object(acct.model_dump(mode="json"), account_columns())
    if use:
        rt.out.success(f"Created account {acct.name} ({acct.id}); it is now the current account")
        rt.out.next_step("portal team invite EMAIL", "to invite people to it")
    else:
        rt.out.success(f"Created account {acct.name} ({acct.id})")
        rt.out.next_step(f"portal account use {acct.id}", "to work in it")
