"""`portal billing`: the account's subscription and the plans on offer.

`show` is owner-only (the server answers 403 to anyone else, exit 5); `plans` is public to any
signed-in user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from chathq_cli.commands._options import command

if TYPE_CHECKING:
    from chathq_cli.client import PortalClient
    from chathq_cli.commands._runtime import Runtime

app = typer.Typer(
    help=(
        "Subscription and plans.\n\n"
        "\b\nExamples:\n  portal billing show\n  portal billing plans --json"
    ),
    no_args_is_help=True,
)


@command(app, "show", data=True, account=True)
def show(
    rt: Runtime,
) -> None:
    """Show the subscription and its payment method (owner only).

    \b
    Examples:
      portal billing show
      portal billing show --json --jq .plan
      portal billing show --account acct_123abc
    """
    from chathq_cli.output import Column

    client = rt.client()
    account_id = rt.account_id()
    subscription = client.get_subscription(account_id).model_dump(mode="json")
    if rt.out.is_json:
        # Scripts get the API's object, field names unchanged.
        rt.out.object(subscription)
        return
    subscription["payment_method"] = _describe_payment_method(
        client, account_id, subscription.get("default_payment_method")
    )
    rt.out.object(
        subscription,
        [
            Column("id", "ID", "id"),
            Column("plan", "Plan"),
            Column("price.amount", "Price per month", "money"),
            Column("status", "Status"),
            Column("current_period_start", "Period start", "time"),
            Column("current_period_end", "Period end", "time"),
            Column("cancel_at_period_end", "Cancels at period end", "bool"),
            Column("canceled_at", "Canceled at", "time"),
            Column("payment_method", "Default payment method"),
        ],
    )


def _describe_payment_method(
    client: PortalClient, account_id: str, method_id: str | None
) -> str | None:
    """`visa •••• 4242 (12/2028)` for the default payment method, or None when there is none."""
    if not method_id:
        return None
    from chathq_cli.api.billing import PaymentMethod

    # An account has a handful of cards: one page is the whole list.
    for method in client.paginate(f"accounts/{account_id}/payment_methods", PaymentMethod):
        if method.id == method_id:
            return f"{method.brand} •••• {method.last4} ({method.exp_month:02d}/{method.exp_year})"
    return method_id


@command(app, "plans", data=True)
def plans(
    rt: Runtime,
) -> None:
    """List the plans: price, monthly message limit, bots and features.

    \b
    Examples:
      portal billing plans
      portal billing plans --json --jq '.[].id'
    """
    from chathq_cli.output import Column

    rows: list[dict[str, Any]] = [plan.model_dump(mode="json") for plan in rt.client().list_plans()]
    if not rt.out.is_json:
        # A readable cell for people; JSON keeps the API's list.
        for row in rows:
            row["features"] = ", ".join(row["features"])
    rt.out.list(
        rows,
        [
            Column("id", "ID"),
            Column("name", "Name"),
            Column("price.amount", "Price per month", "money"),
            Column("message_limit", "Messages per month", "int"),
            Column("bot_limit", "Bots", "int"),
            Column("features", "Features"),
        ],
    )
