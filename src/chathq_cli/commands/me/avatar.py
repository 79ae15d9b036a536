"""`portal me avatar`: set or remove the avatar.

The avatar's type is judged by its first bytes, and at most 5 MB + 1 byte is ever read, so
a huge file or an endless stream is refused before anything is uploaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import command
from chathq_cli.commands.me._view import examples, print_user_if_json

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(
    help="Set or remove your avatar (JPEG, PNG or GIF, at most 5 MB).",
    epilog=examples("portal me avatar set me.png", "portal me avatar remove"),
    no_args_is_help=True,
)

AVATAR_MAX_BYTES = 5 * 1024 * 1024


# Image types by their first bytes (SPEC §5: by content, never by the file's name).
_IMAGE_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG or GIF by its magic bytes; None otherwise."""
    for magic, mime, ext in _IMAGE_MAGIC:
        if head.startswith(magic):
            return mime, ext
    return None


def read_at_most(stream: IO[bytes], limit: int, chunk: int = 256 * 1024) -> bytes:
    """At most `limit + 1` bytes of `stream`: one byte more than allowed proves "too large"
    without reading (or holding) the rest of a huge file or an endless stream."""
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        data = stream.read(min(chunk, limit + 1 - total))
        if not data:
            break
        parts.append(data)
        total += len(data)
    return b"".join(parts)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_avatar(source: str, stdin: IO[str], *, stdin_isatty: bool) -> tuple[bytes, str, str]:
    """The image at `source` (a path, or `-` for stdin): (bytes, content type, extension).

    Everything wrong with it is a UsageError naming FILE, raised before any upload.
    """
    limit_text = "the limit is 5 MB"
    if source == "-":
        if stdin_isatty:
            raise errors.UsageError(
                "FILE is - but stdin is a terminal; pipe an image into it", param="FILE"
            )
        binary = getattr(stdin, "buffer", None)
        if binary is not None:
            data = read_at_most(binary, AVATAR_MAX_BYTES)
        else:  # an in-memory text stream (tests): its text as bytes
            data = stdin.read(AVATAR_MAX_BYTES + 1).encode("utf-8", "surrogateescape")
        label = "standard input"
    else:
        if not source.strip():
            raise errors.UsageError("FILE must not be empty", param="FILE")
        path = Path(source)
        label = str(path)
        try:
            info = path.stat()
        except FileNotFoundError:
            raise errors.UsageError(f"FILE {label}: no such file", param="FILE") from None
        except OSError as exc:
            raise errors.UsageError(f"FILE {label}: {exc.strerror}", param="FILE") from None
        import stat

        if stat.S_ISDIR(info.st_mode):
            raise errors.UsageError(f"FILE {label} is a directory, not an image", param="FILE")
        # A regular file's size is known: refuse a huge one without opening it.
        if stat.S_ISREG(info.st_mode) and info.st_size > AVATAR_MAX_BYTES:
            raise errors.UsageError(
                f"FILE {label} is {_megabytes(info.st_size)}; {limit_text}", param="FILE"
            )
        try:
            with path.open("rb") as handle:
                data = read_at_most(handle, AVATAR_MAX_BYTES)
        except OSError as exc:
            raise errors.UsageError(f"FILE {label}: {exc.strerror}", param="FILE") from None
    if not data:
        raise errors.UsageError(f"FILE {label} is empty", param="FILE")
    if len(data) > AVATAR_MAX_BYTES:
        raise errors.UsageError(f"FILE {label} is larger than the 5 MB limit", param="FILE")
    kind = sniff_image(data)
    if kind is None:
        raise errors.UsageError(
            f"FILE {label} is not a JPEG, PNG or GIF image (judged by its content, not its name)",
            param="FILE",
        )
    return data, kind[0], kind[1]


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
    data, content_type, ext = read_avatar(
        source, rt.out.env.stdin, stdin_isatty=rt.out.env.stdin_isatty
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
