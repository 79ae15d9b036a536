"""`portal me show`, `set-name` and `theme`: the settings shown on the user's own page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import command
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
    show_user(rt, rt.client().get_me())


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


def complete_theme(incomplete: str) -> list[str]:
    from chathq_cli.api import rules

    return [name for name in rules.THEMES if name.startswith(incomplete.lower())]


def check_theme(value: str) -> str:
    """A theme of rules.THEMES, in any case; otherwise a UsageError naming THEME (Typer's own
    choice check would name the Python parameter instead)."""
    from chathq_cli.api import rules
    from chathq_cli.inputs.names import shown

    theme = value.strip().lower()
    if theme not in rules.THEMES:
        *first, last = rules.THEMES
        raise errors.UsageError(
            f"THEME must be {', '.join(first)} or {last}, not {shown(value)}", param="THEME"
        )
    return theme


@command(app, data=True)
def theme(
    rt: Runtime,
    choice: Annotated[
        str,
        typer.Argument(
            metavar="THEME",
            help="light, dark or system (follow the device).",
            autocompletion=complete_theme,
            show_default=False,
        ),
    ],
) -> None:
    """Choose the portal's theme: light, dark or system.

    \b
    Examples:
      portal me theme dark
      portal me theme system
    """
    chosen = check_theme(choice)  # before rt.client(): a typo needs no sign-in
    user = rt.client().update_me(theme=chosen)
    print_user_if_json(rt, user)
    rt.out.success(f"Theme set to {user.theme}")
