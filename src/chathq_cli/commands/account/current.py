"""`portal account show/id/rename/package/dashboard`: the current account."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.account._view import account_columns, messages_line

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, data=True, account=True)
def show(
    rt: Runtime,
) -> None:
    """Show the current account (or the one given with --account).

    \b
    Examples:
      portal account show
      portal account show --json
      portal account show --jq .name
      portal account show --account acct_123abc
    """

    client = rt.client()
    account_id = rt.account_id()
    acct = client.get_account(account_id)
    rt.out.object(acct.model_dump(mode="json"), account_columns())


@command(app, "id", account=True)
def id_(
    rt: Runtime,
) -> None:
    """Print the current account's id alone, for scripts.

    \b
    Examples:
      portal account id
      portal api "accounts/$(portal account id)/members"
      portal account id --account acct_123abc
    """
    from chathq_cli.inputs.ids import check_id

    given = rt.settings.account
    if not given or given == rt.config().get("account", rt.settings.profile):
        # The profile's own account (or the user's default): known, no request needed.
        rt.out.value(rt.account_id())
        return
    # --account or PORTAL_ACCOUNT: printed only once the server confirms it is an account
    # this user can reach, so a script never carries a typo or another tenant's ID further.
    checked = check_id(given, "account", "--account")
    rt.out.value(rt.client().get_account(checked).id)


@command(app, data=True, account=True)
def rename(
    rt: Runtime,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The new name (1-100 characters).")],
) -> None:
    """Rename the current account (admin or owner).

    \b
    Examples:
      portal account rename "Acme Support EU"
      portal account rename Helpdesk --account acct_123abc --json
    """
    from chathq_cli.inputs.names import check_name

    clean = check_name(name, "NAME")
    client = rt.client()
    account_id = rt.account_id()
    acct = client.rename_account(account_id, clean)
    rt.out.object(acct.model_dump(mode="json"), account_columns())
    rt.out.success(f"Renamed account {acct.id} to {acct.name}")


@command(app, data=True, account=True)
def package(
    rt: Runtime,
) -> None:
    """Show the account's package: price, what is included, usage against the limits.

    Message limits reset on the 1st of each month at 00:00 UTC; past the limit, bots
    stop until the reset.

    \b
    Examples:
      portal account package
      portal account package --json --jq .features
    """
    from chathq_cli.output import Column

    client = rt.client()
    account_id = rt.account_id()
    pkg = client.get_package(account_id)
    data = pkg.model_dump(mode="json")
    if rt.out.fmt != "table":
        rt.out.object(data)
        return
    view: dict[str, Any] = {
        **data,
        "package": f"{pkg.name} ({pkg.plan})",
        "messages": messages_line(rt.out, pkg.messages_used, pkg.message_limit),
        "bots": f"{pkg.bots_running} running, {pkg.bots_paused} paused (limit {pkg.bot_limit})",
        "included": ", ".join(pkg.features),
    }
    rt.out.object(
        view,
        [
            Column("package", "Package"),
            Column("price", "Price per month", "money"),
            Column("messages", "Messages this month"),
            Column("bots", "Bots"),
            Column("included", "Included"),
            Column("period_start", "Period start", "time"),
            Column("limits_reset_at", "Limits reset", "time"),
        ],
    )


@command(app, data=True, account=True)
def dashboard(
    rt: Runtime,
) -> None:
    """Show the account at a glance: plan, messages used, unpaid usage, team, integrations, bots.

    \b
    Examples:
      portal account dashboard
      portal account dashboard --json --jq .unpaid_this_month.amount
    """
    from chathq_cli.output import Column

    client = rt.client()
    account_id = rt.account_id()
    board = client.get_dashboard(account_id)
    data = board.model_dump(mode="json")
    if rt.out.fmt != "table":
        rt.out.object(data)
        return
    view: dict[str, Any] = {
        **data,
        "account": f"{board.account_name} ({board.account_id})",
        "messages": messages_line(rt.out, board.messages_used, board.message_limit),
        "bots": f"{board.bots_running} running, {board.bots_paused} paused",
    }
    rt.out.object(
        view,
        [
            Column("account", "Account"),
            Column("plan", "Plan"),
            Column("messages", "Messages this month"),
            Column("limits_reset_at", "Limits reset", "time"),
            Column("unpaid_this_month", "Unpaid pay-as-you-go", "money"),
            Column("members", "Members", "int"),
            Column("active_integrations", "Active integrations", "int"),
            Column("bots", "Bots"),
        ],
    )
