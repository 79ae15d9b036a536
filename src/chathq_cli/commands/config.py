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

# The keys as config_file.PROFILE_KEYS and PREFERENCE_KEYS have them (a test holds them
# equal); written out, so that `portal config --help` need not import the config file module.
app = typer.Typer(
    help="Read and write settings (host, email, org, account, format, ...).",
    # "\b" keeps Click from re-wrapping each block into one paragraph.
    epilog="""\
\b
Keys of config.toml (`portal config path` prints where it is):
  current_profile   the profile used without --profile (`portal auth switch`)
\b
Per profile, under [profiles.NAME]:
  host              URL of the portal API
  email             the e-mail address you sign in with
  org               the current organization (`portal org use`)
  account           the current account (`portal account use`)
\b
Preferences, under [preferences] (a profile may set them too):
  format            table, json or csv
  no_color          true or false
  no_prompt         true or false: never prompt, fail naming the flag
  keyring_timeout   seconds to wait for the system keyring (0-120)
  pager             pager for output longer than the screen (cat: none)
\b
A flag wins over a PORTAL_* variable (`portal help environment`), which wins over
config.toml. Tokens are never stored here: they go to the system keyring.
\b
Examples:
  portal config list
  portal config set format json
  portal config set host https://portal.example.com --profile work
  portal config unset format
""",
    no_args_is_help=True,
)

KeyArg = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help="host, email, org, account (per profile); format, no_color, no_prompt, "
        "keyring_timeout, pager (preferences).",
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
