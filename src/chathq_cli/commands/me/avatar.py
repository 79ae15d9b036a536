"""`portal me avatar`: set or remove the avatar (checked by `inputs.images` before upload)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.me._view import examples, print_user_if_json

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(
    help="Set or remove your avatar (JPEG, PNG or GIF, at most 5 MB).",
    epilog=examples("portal me avatar set me.png", "portal me avatar remove"),
    no_args_is_help=True,
)


@command(app, "set", data=True)
def avatar_set(
    rt: Runtime,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="A JPEG, PNG or GIF image of at most 5 MB; - reads stdin."
        ),
    ],
) -> None:
    """Upload a new avatar.

    The type is decided by the file's content, not its name; anything else, or a file over
    5 MB, is refused before uploading.

    \b
    Examples:
      portal me avatar set ~/Pictures/me.png
      curl -s https://example.com/me.jpg | portal me avatar set -
    """
    from chathq_cli.inputs.images import read_image

    data, content_type, ext = read_image(
        source, rt.out.env.stdin, stdin_isatty=rt.out.env.stdin_isatty, param="FILE"
    )
    user = rt.client().set_avatar(f"avatar.{ext}", data, content_type)
    print_user_if_json(rt, user)
    rt.out.success(f"Avatar updated ({ext.upper()}, {len(data):,} bytes)")


@command(app, "remove", data=True)
def avatar_remove(rt: Runtime) -> None:
    """Remove your avatar (the portal shows your initials instead).

    \b
    Examples:
      portal me avatar remove
    """
    user = rt.client().remove_avatar()
    print_user_if_json(rt, user)
    rt.out.success("Avatar removed")
