"""Images people hand over (an avatar): judged by their first bytes, never by the file's name,
and read at most one byte past the size limit, so a huge file or an endless stream is refused
without being read whole or held in memory."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import IO

from chathq_cli import errors
from chathq_cli.api import rules

MEGABYTE = 1024 * 1024
AVATAR_MAX_BYTES = rules.AVATAR_MAX_BYTES

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


def megabytes(size: int) -> str:
    """`size` bytes in megabytes with one decimal: "50.0 MB"."""
    return f"{size / MEGABYTE:.1f} MB"


def _read_stdin(stdin: IO[str], limit: int, param: str, *, stdin_isatty: bool) -> bytes:
    if stdin_isatty:
        raise errors.UsageError(
            f"{param} is - but stdin is a terminal; pipe an image into it", param=param
        )
    binary = getattr(stdin, "buffer", None)
    if binary is not None:
        return read_at_most(binary, limit)
    # An in-memory text stream (tests): its text as bytes.
    return stdin.read(limit + 1).encode("utf-8", "surrogateescape")


def _read_path(path: Path, limit: int, param: str) -> bytes:
    label = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise errors.UsageError(f"{param} {label}: no such file", param=param) from None
    except OSError as exc:
        raise errors.UsageError(f"{param} {label}: {exc.strerror}", param=param) from None
    if stat.S_ISDIR(info.st_mode):
        raise errors.UsageError(f"{param} {label} is a directory, not an image", param=param)
    # A regular file's size is known: refuse a huge one without opening it.
    if stat.S_ISREG(info.st_mode) and info.st_size > limit:
        raise errors.UsageError(
            f"{param} {label} is {megabytes(info.st_size)}; the limit is {limit / MEGABYTE:g} MB",
            param=param,
        )
    try:
        with path.open("rb") as handle:
            return read_at_most(handle, limit)
    except OSError as exc:
        raise errors.UsageError(f"{param} {label}: {exc.strerror}", param=param) from None


def read_image(
    source: str,
    stdin: IO[str],
    *,
    stdin_isatty: bool,
    param: str = "FILE",
    limit: int = AVATAR_MAX_BYTES,
) -> tuple[bytes, str, str]:
    """The image at `source` (a path, or `-` for stdin): (bytes, content type, extension).

    Everything wrong with it is a UsageError naming `param`, raised before any upload.
    """
    if source == "-":
        data = _read_stdin(stdin, limit, param, stdin_isatty=stdin_isatty)
        label = "standard input"
    else:
        if not source.strip():
            raise errors.UsageError(f"{param} must not be empty", param=param)
        data = _read_path(Path(source), limit, param)
        label = str(Path(source))
    if not data:
        raise errors.UsageError(f"{param} {label} is empty", param=param)
    if len(data) > limit:
        raise errors.UsageError(
            f"{param} {label} is larger than the {limit / MEGABYTE:g} MB limit", param=param
        )
    kind = sniff_image(data)
    if kind is None:
        raise errors.UsageError(
            f"{param} {label} is not a JPEG, PNG or GIF image "
            "(judged by its content, not its name)",
            param=param,
        )
    return data, kind[0], kind[1]
