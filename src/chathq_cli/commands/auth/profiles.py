"""`portal auth list/switch`: the profiles of the config file."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, "list", data=True)
def list_(
    rt: Runtime,
) -> None:
    """List the profiles in the config file, marking the current one.

    \b
    Examples:
      portal auth list
      portal auth list --json
    """
    from chathq_cli.output import Column

    config = rt.config()
    current = config.current_profile()
    rows = [
        {
            "profile": name,
            "current": name == current,
            "host": config.get("host", name),
            "email": config.get("email", name),
            "org": config.get("org", name),
            "account": config.get("account", name),
        }
        for name in config.profiles()
    ]
    rt.out.list(
        rows,
        [
            Column("current", "Current", "bool"),
            Column("profile", "Profile", priority=1),
            Column("host", "Host"),
            Column("email", "Email"),
            Column("account", "Account", "id"),
        ],
    )


@command(app, profile=False)
def switch(
    rt: Runtime,
    name: Annotated[str, typer.Argument(metavar="PROFILE", help="The profile to make current.")],
) -> None:
    """Make another profile the current one.

    \b
    Examples:
      portal auth switch work
      portal auth switch default
    """
    from chathq_cli import errors

    if not name.strip():
        raise errors.UsageError("PROFILE must not be empty", param="PROFILE")
    config = rt.config()
    known = config.profiles()
    if name not in known:
        listing = ", ".join(known) if known else "none yet"
        raise errors.UsageError(
            f"unknown profile {name!r} (known profiles: {listing})",
            param="PROFILE",
            hint=f"portal auth login --profile {name}",
        )
    config.set_current_profile(name)
    host = config.get("host", name)
    email = config.get("email", name)
    detail = f" ({email} on {host})" if email and host else ""
    rt.out.success(f"Switched to profile {name!r}{detail}")
