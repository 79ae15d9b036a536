"""`portal config`: read and write the config file (profiles and preferences, never secrets).

`settings.ConfigFile` validates keys and values; it refuses `token`, `password` and the like
with a hint to `portal auth login`, so a secret can never be written here.
"""

from __future__ import annotations

from typing import Annotated

import typer

from chathq_cli.commands._options import (
    DebugOpt,
    FormatOpt,
    JqOpt,
    JsonOpt,
    NoColorOpt,
    ProfileOpt,
)

app = typer.Typer(
    help="Read and write settings (host, email, org, account, format, ...).", no_args_is_help=True
)

KeyArg = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help="host, email, org, account (per profile); format, no_color, no_prompt, "
        "keyring_timeout (preferences).",
    ),
]


@app.command()
def get(
    key: KeyArg,
    debug: DebugOpt = False,
    profile: ProfileOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Print one setting from the config file (nothing when unset).

    \b
    Examples:
      portal config get host
      portal config get format
      portal config get account --profile work
    """
    from chathq_cli.commands._runtime import runtime

    rt = runtime(debug=debug, profile=profile, no_color=no_color)
    value = rt.config().get(key, rt.settings.profile)
    if value is not None:
        rt.out.value(str(value).lower() if isinstance(value, bool) else str(value))


@app.command("set")
def set_(
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The new value.")],
    debug: DebugOpt = False,
    profile: ProfileOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Set a setting in the config file.

    \b
    Examples:
      portal config set format json
      portal config set host https://portal.example.com --profile work
      portal config set keyring_timeout 5
    """
    from chathq_cli.commands._runtime import runtime

    rt = runtime(debug=debug, profile=profile, no_color=no_color)
    rt.config().set(key, value, rt.settings.profile)
    rt.out.success(f"Set {key} to {value}")


@app.command()
def unset(
    key: KeyArg,
    debug: DebugOpt = False,
    profile: ProfileOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """Remove a setting from the config file (the default applies again).

    \b
    Examples:
      portal config unset format
      portal config unset account
    """
    from chathq_cli.commands._runtime import runtime

    rt = runtime(debug=debug, profile=profile, no_color=no_color)
    rt.config().unset(key, rt.settings.profile)
    rt.out.success(f"Unset {key}")


@app.command("list")
def list_(
    fmt: FormatOpt = None,
    json_: JsonOpt = False,
    jq: JqOpt = None,
    debug: DebugOpt = False,
    profile: ProfileOpt = None,
    no_color: NoColorOpt = False,
) -> None:
    """List the settings of the current profile and the preferences.

    \b
    Examples:
      portal config list
      portal config list --json
      portal config list --profile work
    """
    from chathq_cli.commands._runtime import runtime

    rt = runtime(fmt=fmt, json=json_, jq=jq, debug=debug, profile=profile, no_color=no_color)
    rt.out.object(rt.config().items(rt.settings.profile))


@app.command()
def path(
    debug: DebugOpt = False,
    no_color: NoColorOpt = False,
) -> None:
    """Print the path of the config file.

    \b
    Examples:
      portal config path
      "$EDITOR" "$(portal config path)"
    """
    from chathq_cli.commands._runtime import runtime

    rt = runtime(debug=debug, no_color=no_color)
    rt.out.value(str(rt.config().path))
