"""`portal me notifications`: which e-mails the portal sends (in-app alerts are not affected)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.me._view import NOTIFICATIONS

if TYPE_CHECKING:
    from chathq_cli.api.me import User
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(  # its help is the callback's docstring
    invoke_without_command=True,
    no_args_is_help=False,
)


def _notification_rows(user: User) -> list[dict[str, Any]]:
    current = user.notifications.model_dump(mode="json")
    return [
        {"key": key, "description": label, "enabled": bool(current.get(key))}
        for key, label in NOTIFICATIONS.items()
    ]


def _show_notifications(rt: Runtime, user: User) -> None:
    from chathq_cli.output import Column

    if rt.out.is_json:
        rt.out.object(user.notifications.model_dump(mode="json"))
        return
    rows = [{**row, "state": "on" if row["enabled"] else "off"} for row in _notification_rows(user)]
    rt.out.list(
        rows, [Column("key", "Key"), Column("state", "E-mail"), Column("description", "For")]
    )


@command(app, data=True, callback=True, invoke_without_command=True)
def notifications(rt: Runtime, ctx: typer.Context) -> None:
    """E-mail notification preferences (in-app alerts are not affected).

    \b
    Examples:
      portal me notifications
      portal me notifications set notes=off reminders=on
      portal me notifications --json
    """
    _show_notifications(rt, rt.client().get_me())


@command(app, "show", data=True)
def notifications_show(rt: Runtime) -> None:
    """Show which e-mail notifications are on.

    \b
    Examples:
      portal me notifications show
      portal me notifications show --jq .notes
    """
    _show_notifications(rt, rt.client().get_me())


def _complete_notification(incomplete: str) -> list[str]:
    return [
        f"{key}={state}"
        for key in NOTIFICATIONS
        for state in ("on", "off")
        if f"{key}={state}".startswith(incomplete)
    ]


@command(app, "set", data=True)
def notifications_set(
    rt: Runtime,
    pairs: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE",
            help="KEY=on or KEY=off; keys: " + ", ".join(NOTIFICATIONS) + ".",
            autocompletion=_complete_notification,
            show_default=False,
        ),
    ],
) -> None:
    """Turn e-mail notifications on or off.

    Keys: assigned_conversations, assigned_tickets, notes (in assigned conversations),
    reminders, inquiries.

    \b
    Examples:
      portal me notifications set notes=off
      portal me notifications set assigned_tickets=on inquiries=off
    """
    from chathq_cli.api import rules
    from chathq_cli.inputs.pairs import parse_switches

    chosen = parse_switches(pairs, "KEY=VALUE", rules.NOTIFICATION_KEYS)
    user = rt.client().update_me(notifications=chosen)
    if rt.out.is_json:
        rt.out.object(user.notifications.model_dump(mode="json"))
    summary = ", ".join(f"{key} {'on' if on else 'off'}" for key, on in chosen.items())
    rt.out.success(f"E-mail notifications: {summary}")
