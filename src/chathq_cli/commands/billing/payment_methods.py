"""`portal billing payment-methods`: list, set-default, remove."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.cli.resolve import find_one
from chathq_cli.commands.billing._view import card, payment_method_row
from chathq_cli.inputs.ids import check_id

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
HERE = " on this account"


def _payment_method_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("brand", "Brand"),
        Column("card", "Card"),
        Column("expires", "Expires"),
        Column("is_default", "Default", "bool"),
        Column("created_at", "Added", "time"),
    ]


@command(
    app,
    callback=True,
    invoke_without_command=True,
    data=True,
    account=True,
)
def payment_methods(rt: Runtime, ctx: typer.Context) -> None:
    """List the payment methods (card brand, last 4 digits, expiry, default).

    Cards are added on the hosted billing page (`portal billing portal`): card numbers never
    pass through the CLI.

    \b
    Examples:
      portal billing payment-methods
      portal billing payment-methods set-default pm_123abc
      portal billing payment-methods remove pm_456def
    """
    client = rt.client()
    account_id = rt.account_id()
    methods = list(client.list_payment_methods(account_id))
    if rt.out.is_json:
        rt.out.list([m.model_dump(mode="json") for m in methods], _payment_method_columns())
        return
    rt.out.list([payment_method_row(m) for m in methods], _payment_method_columns())
    if not methods:
        rt.out.hint("add a card on the hosted billing page: portal billing portal")


@command(app, "set-default", data=True, account=True)
def set_default(
    rt: Runtime,
    method_id: Annotated[
        str, typer.Argument(metavar="ID", help="The payment method (pm_...).", show_default=False)
    ],
) -> None:
    """Make a payment method the default one (owner only).

    \b
    Examples:
      portal billing payment-methods set-default pm_123abc
    """
    method_id = check_id(method_id, "payment_method", "ID")
    client = rt.client()
    account_id = rt.account_id()
    method = client.set_default_payment_method(account_id, method_id)
    if rt.out.is_json:
        rt.out.object(method.model_dump(mode="json"))
    rt.out.success(f"{card(method)} is now the default payment method")


@command(app, "remove", data=True, account=True)
def remove(
    rt: Runtime,
    method_id: Annotated[
        str, typer.Argument(metavar="ID", help="The payment method (pm_...).", show_default=False)
    ],
    yes: YesOpt = False,
) -> None:
    """Remove a payment method, after confirmation (owner only).

    The default card cannot be removed while the account has others (exit 7): make another
    one the default first. Removing the only card leaves the account without one.

    \b
    Examples:
      portal billing payment-methods remove pm_456def
      portal billing payment-methods remove pm_456def --yes
    """
    from chathq_cli import errors

    method_id = check_id(method_id, "payment_method", "ID")
    out = rt.out
    rt.prompts.can_confirm(yes=yes)
    client = rt.client()
    account_id = rt.account_id()
    methods = list(client.list_payment_methods(account_id))
    method = find_one(
        methods, lambda m: m.id == method_id, "payment method", method_id, "ID", where=HERE
    )
    others = [m for m in methods if m.id != method_id]
    if method.is_default and others:
        raise errors.Conflict(
            f"{card(method)} is the default payment method; "
            "make another one the default before removing it",
            status=409,
            code="default_payment_method",
            param="ID",
            hint=f"portal billing payment-methods set-default {others[0].id}",
        )
    warning = (
        " It is the account's only payment method: add another on the hosted billing page."
        if not others
        else ""
    )
    rt.prompts.confirm(f"Remove {card(method)} ({method.id})?{warning}", yes=yes)
    client.remove_payment_method(account_id, method_id)
    if out.is_json:
        out.object({"id": method_id, "object": "payment_method", "deleted": True})
    out.success(f"Removed {card(method)}")
