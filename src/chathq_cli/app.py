"""The root Typer app of `portal`: global options and the command groups.

Only this module imports `chathq_cli.commands`. The command modules keep their module level
light, so building this app (what `--help` and argument errors need) stays fast.
"""

from __future__ import annotations

from typing import Annotated

import typer

from chathq_cli import __version__
from chathq_cli.commands import (
    _runtime,
    account,
    api,
    auth,
    billing,
    config,
    org,
    sandbox,
    usage,
)
from chathq_cli.commands._options import DebugOpt, NoColorOpt, ProfileOpt

HELP = """\
The administrative command line of the ChatHQ portal.

Sign in with `portal auth login`, then manage organizations, accounts, usage and settings.
Data goes to stdout (a table on a terminal, TSV when piped, or --format json/csv); messages
and errors go to stderr.
"""

# "\b" keeps Click from re-wrapping the example block into one paragraph.
EPILOG = """\
\b
Examples:
  portal auth login
  portal account list --json
  portal usage --unit sms --unpaid
  portal sandbox serve
"""

app = typer.Typer(
    name="portal",
    help=HELP,
    epilog=EPILOG,
    no_args_is_help=True,
    # Never render locals in a traceback (they can hold a token); the boundary prints errors.
    pretty_exceptions_enable=False,
    # Plain help: `portal --help` ~115 ms vs ~210 ms with Rich panels (the minimal Typer app
    # --help, Rich, is ~155 ms; SPEC §7 allows 1.15x of it). Also keeps Rich off that path.
    rich_markup_mode=None,
    # Typer's completion installer would add start-up cost to every command.
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    # `portal --version` is answered in __main__ before Typer loads; this covers e.g.
    # `portal --debug --version`.
    if value:
        from chathq_cli import output

        output.current().value(f"portal {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    debug: DebugOpt = False,
    profile: ProfileOpt = None,
    no_color: NoColorOpt = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    _runtime.set_global_flags(debug=debug, profile=profile, no_color=no_color)


app.add_typer(auth.app, name="auth")
app.add_typer(org.app, name="org")
app.add_typer(account.app, name="account")
app.add_typer(billing.app, name="billing")
app.add_typer(usage.app, name="usage")
app.add_typer(config.app, name="config")
app.command("api")(api.api)  # a single command: `portal api [METHOD] PATH`
app.add_typer(sandbox.app, name="sandbox")
