"""Options shared by every command, declared once as `Annotated` aliases.

Usage in a command::

    def show(fmt: FormatOpt = None, json: JsonOpt = False, jq: JqOpt = None, ...) -> None:
        rt = runtime(fmt=fmt, json=json, jq=jq, ...)

Environment variables other than PORTAL_FORMAT are read by `settings.load_settings()`, so that
flag > env > config file holds in one place.
"""

from __future__ import annotations

from typing import Annotated, Literal

import typer

OUTPUT_PANEL = "Output"
GLOBAL_PANEL = "Global options"

FormatChoice = Literal["table", "json", "csv"]

FormatOpt = Annotated[
    FormatChoice | None,
    typer.Option(
        "--format",
        envvar="PORTAL_FORMAT",
        help="Output format: table (a terminal; TSV when piped), json or csv.",
        rich_help_panel=OUTPUT_PANEL,
        show_default=False,
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Shorthand for --format json.", rich_help_panel=OUTPUT_PANEL),
]
JqOpt = Annotated[
    str | None,
    typer.Option(
        "--jq",
        metavar="EXPR",
        help="Filter the JSON output with a jq expression (implies --json).",
        rich_help_panel=OUTPUT_PANEL,
        show_default=False,
    ),
]
DebugOpt = Annotated[
    bool,
    typer.Option(
        "--debug",
        help="Log HTTP requests (secrets redacted) and show tracebacks. Env: PORTAL_DEBUG.",
        rich_help_panel=GLOBAL_PANEL,
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME",
        help="Configuration profile to use. Env: PORTAL_PROFILE.",
        rich_help_panel=GLOBAL_PANEL,
        show_default=False,
    ),
]
NoColorOpt = Annotated[
    bool,
    typer.Option(
        "--no-color",
        help="Disable colour. Env: NO_COLOR, PORTAL_NO_COLOR.",
        rich_help_panel=GLOBAL_PANEL,
    ),
]
AccountOpt = Annotated[
    str | None,
    typer.Option(
        "--account",
        metavar="ACCOUNT",
        help="Account ID for this command. Env: PORTAL_ACCOUNT.",
        show_default=False,
    ),
]
OrgOpt = Annotated[
    str | None,
    typer.Option(
        "--org",
        metavar="ORG",
        help="Organization ID for this command. Env: PORTAL_ORG.",
        show_default=False,
    ),
]
YesOpt = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Do not ask for confirmation."),
]
HostOpt = Annotated[
    str | None,
    typer.Option(
        "--host",
        metavar="URL",
        help="Portal API URL. Env: PORTAL_HOST.",
        rich_help_panel=GLOBAL_PANEL,
        show_default=False,
    ),
]
