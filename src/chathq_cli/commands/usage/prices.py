"""`portal usage prices`: the pay-as-you-go price list."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from chathq_cli.cli.frame import command

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, "prices", data=True)
def prices(rt: Runtime) -> None:
    """List the pay-as-you-go rates per unit.

    \b
    Examples:
      portal usage prices
      portal usage prices --json --jq '.[] | select(.unit == "sms") | .unit_price.amount'
    """
    from chathq_cli.output import Column

    rows = [p.model_dump(mode="json") for p in rt.client().list_usage_prices()]
    rt.out.list(
        rows,
        [
            Column("unit", "Unit"),
            Column("unit_price.amount", "Price", "money"),
            Column("per", "Per"),
            Column("description", "Description"),
        ],
    )
