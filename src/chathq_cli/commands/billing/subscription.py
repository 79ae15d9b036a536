"""`portal billing show`, `plans`, `change-plan` and `cancel`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.commands.billing._checks import check_plan
from chathq_cli.commands.billing._view import (
    cancel_question,
    card,
    change_question,
    day,
    preview_fields,
    preview_text,
)

if TYPE_CHECKING:
    from chathq_cli.api.billing import Plan, SubscriptionPreview
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Output

app = typer.Typer()


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
    # An account has a handful of cards: one page is the whole list.
    for method in client.list_payment_methods(account_id):
        if method.id == method_id:
            return card(method)
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


@command(app, "change-plan", data=True, account=True)
def change_plan(
    rt: Runtime,
    plan: Annotated[
        str,
        typer.Argument(metavar="PLAN", help="connect, interact or transact.", show_default=False),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the preview and change nothing.")
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Change the plan, after a preview of what changes (owner only).

    The preview shows the price change per month, the prorated amount charged (or credited)
    today, the new monthly message limit, that usage limits reset now, and which bots a
    downgrade pauses. Then it asks for confirmation (--yes skips it; without a terminal
    --yes is required).

    \b
    Examples:
      portal billing change-plan transact --dry-run
      portal billing change-plan transact
      portal billing change-plan connect --yes --json
    """
    plan_id = check_plan(plan)
    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    subscription = client.get_subscription(account_id)
    if subscription.plan == plan_id:
        out.info(f"The account is already on the {plan_id} plan; nothing to change.")
        if out.is_json:
            out.object(subscription.model_dump(mode="json"))
        return
    if not dry_run:
        rt.prompts.can_confirm(yes=yes)
    preview = client.preview_subscription(account_id, plan_id)
    catalog: dict[str, Plan] = {p.id: p for p in client.list_plans()}
    account = client.get_account(account_id)
    fields = preview_fields(preview, catalog, account.name)
    if dry_run:
        _print_preview(out, preview, fields)
        out.info("Dry run: nothing was changed.")
        return
    out.info(preview_text(fields))
    rt.prompts.confirm(change_question(preview, account.name, catalog[plan_id].name), yes=yes)
    changed = client.change_plan(account_id, plan_id)
    if out.is_json:
        out.object(changed.model_dump(mode="json"))
    paused = f"; paused: {', '.join(preview.bots_paused)}" if preview.bots_paused else ""
    out.success(
        f"{account.name} is now on the {catalog[plan_id].name} plan; "
        f"usage limits were reset{paused}"
    )


def _print_preview(
    out: Output, preview: SubscriptionPreview, fields: list[tuple[str, str]]
) -> None:
    """--dry-run: the preview as data (the API's object in JSON, plain figures in TSV/CSV)."""
    from chathq_cli.output import Column

    if out.is_json:
        out.object(preview.model_dump(mode="json"))
        return
    if out.is_terminal_table:
        out.object(dict(fields), [Column(label, label) for label, _ in fields])
        return
    row = preview.model_dump(mode="json")
    row["bots_paused"] = ", ".join(preview.bots_paused)
    out.object(
        row,
        [
            Column("current_plan", "Current plan"),
            Column("new_plan", "New plan"),
            Column("is_downgrade", "Downgrade", "bool"),
            Column("price_change.amount", "Price change per month", "money"),
            Column("proration.amount", "Proration today", "money"),
            Column("message_limit", "Message limit", "int"),
            Column("limits_reset", "Limits reset now", "bool"),
            Column("bots_paused", "Bots paused"),
        ],
    )


@command(app, "cancel", data=True, account=True)
def cancel(
    rt: Runtime,
    now: Annotated[
        bool, typer.Option("--now", help="End the subscription now, not at the period's end.")
    ] = False,
    yes: YesOpt = False,
) -> None:
    """Cancel the subscription: at the end of the period, or --now (owner only).

    \b
    Examples:
      portal billing cancel
      portal billing cancel --now
      portal billing cancel --yes --json
    """
    from chathq_cli import errors

    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    subscription = client.get_subscription(account_id)
    if subscription.status == "canceled":
        raise errors.Conflict(
            "the subscription is already canceled",
            status=409,
            code="subscription_canceled",
            hint="portal billing show",
        )
    ends = day(subscription.current_period_end)
    if subscription.cancel_at_period_end and not now:
        out.info(f"The subscription already ends on {ends}; nothing to change.")
        if out.is_json:
            out.object(subscription.model_dump(mode="json"))
        return
    rt.prompts.can_confirm(yes=yes)
    account = client.get_account(account_id)
    plan = subscription.plan
    question = cancel_question(plan, account.name, ends, now=now)
    rt.prompts.confirm(question, yes=yes)
    result = client.cancel_subscription(account_id, at_period_end=not now)
    if out.is_json:
        out.object(result.model_dump(mode="json"))
    if now:
        out.success(f"Canceled the {plan} plan of {account.name}; it has ended.")
    else:
        out.success(f"The {plan} plan of {account.name} will end on {ends}.")
