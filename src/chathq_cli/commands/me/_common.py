"""What the families of `portal me` share: the signed-in user, and the password and code of
a sensitive change read from successive stdin lines or hidden prompts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli import errors

if TYPE_CHECKING:
    from chathq_cli.api.me import User
    from chathq_cli.client import PortalClient

PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from stdin (a two-factor code may follow on the next line).",
    ),
]


def user_only(client: PortalClient) -> User:
    """GET /me, saying clearly that an API key has no personal settings."""
    try:
        return client.get_me()
    except errors.PermissionDenied as exc:
        exc.hint = exc.hint or (
            "personal settings need a user's sign-in, not an API key: portal auth login"
        )
        raise
