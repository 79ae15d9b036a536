"""`portal config`: read and write the config file (profiles and preferences, never secrets).

`settings.ConfigFile` validates keys and values; it refuses `token`, `password` and the like
with a hint to `portal auth login`, so a secret can never be written here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

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


@command(app)
def get(
    rt: Runtime,
    key: KeyArg,
) -> None:
    """Print one setting from the config file (nothing when unset).

    \b
    Examples:
      portal config get host
      portal config get format
      portal config get account --profile work
    """

    value = rt.config().get(key, rt.settings.profile)
    if value is not None:
        rt.out.value(str(value).lower() if isinstance(value, bool) else str(value))


@command(app, "set")
def set_(
    rt: Runtime,
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The new value.")],
) -> None:
    """Set a setting in the config file.

    \b
    Examples:
      portal config set format json
      portal config set host https://portal.example.com --profile work
      portal config set keyring_timeout 5
    """

    rt.config().set(key, value, rt.settings.profile)
    rt.out.success(f"Set {key} to {value}")


@command(app)
def unset(
    rt: Runtime,
    key: KeyArg,
) -> None:
    """Remove a setting from the config file (the default applies again).

    \b
    Examples:
      portal config unset format
      portal config unset account
    """

    rt.config().unset(key, rt.settings.profile)
    rt.out.success(f"Unset {key}")


@command(app, "list", data=True)
def list_(
    rt: Runtime,
) -> None:
    """List the settings of the current profile and the preferences.

    \b
    Examples:
      portal config list
      portal config list --json
      portal config list --profile work
    """

    from chathq_cli.output import Column

    items = rt.config().items(rt.settings.profile)
    # Each row is labelled with the key `portal config set` takes, not a prettier name.
    rt.out.object(items, [Column(key, key) for key in items])


@command(app, profile=False)
def path(
    rt: Runtime,
) -> None:
    """Print the path of the config file.

    \b
    Examples:
      portal config path
      "$EDITOR" "$(portal config path)"
    """

    rt.out.value(str(rt.config().path))
