"""`portal me show`, `set-name` and `theme`: the settings shown on the user's own page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.me._common import user_only
from chathq_cli.commands.me._view import print_user_if_json, show_user

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, data=True)
def show(rt: Runtime) -> None:
    """Show your name, e-mail (and a pending new one), 2FA, theme and notifications.

    \b
    Examples:
      portal me show
      portal me show --json
      portal me show --jq .totp_enabled
    """
    show_user(rt, user_only(rt.client()))


@command(app, "set-name", data=True)
def set_name(
    rt: Runtime,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Your display name (1-100 characters).")
    ],
) -> None:
    """Change your display name.

    \b
    Examples:
      portal me set-name "Ada Lovelace"
      portal me set-name Ada --json
    """
    from chathq_cli.inputs.names import check_name

    clean = check_name(name, "NAME")
    user = rt.client().update_me(display_name=clean)
    print_user_if_json(rt, user)
    rt.out.success(f"Your display name is now {user.display_name}")


@command(app, data=True)
def theme(
    rt: Runtime,
    choice: Annotated[
        Literal["light", "dark", "system"],
        typer.Argument(metavar="THEME", help="light, dark or system (follow the device)."),
    ],
) -> None:
    """Choose the portal's theme: light, dark or system.

    \b
    Examples:
      portal me theme dark
      portal me theme system
    """
    user = rt.client().update_me(theme=choice)
    print_user_if_json(rt, user)
    rt.out.success(f"Theme set to {user.theme}")
