"""`portal account`: list, select, create, inspect, rename and close accounts."""

from __future__ import annotations

import typer

from chathq_cli.commands.account import close, create, current, select

app = typer.Typer(
    help="Work with accounts (the current one, or pick another).",
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    epilog="""\
\b
Examples:
  portal account list
  portal account use "Acme Sales"
  portal account show --json
  portal account dashboard
  ACCOUNT=$(portal account id)
""",
    no_args_is_help=True,
)
app.add_typer(select.app)
app.add_typer(create.app)
app.add_typer(current.app)
app.add_typer(close.app)
