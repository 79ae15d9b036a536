"""inputs/images.py: images judged by their first bytes, read at most one byte past the limit,
and every refusal a UsageError naming the parameter."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from chathq_cli import errors
from chathq_cli.inputs.images import AVATAR_MAX_BYTES, read_at_most, read_image, sniff_image

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
GIF = b"GIF89a" + b"\x01\x00\x01\x00\x00\x00\x00;"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"\xff\xd8\xff\xe0rest", ("image/jpeg", "jpg")),
        (b"\x89PNG\r\n\x1a\nrest", ("image/png", "png")),
        (b"GIF87a...", ("image/gif", "gif")),
        (b"GIF89a...", ("image/gif", "gif")),
        (b"\x7fELF\x02\x01", None),
        (b"MZ\x90\x00", None),
        (b"<svg xmlns=", None),
        (b"\x89PNG", None),  # a prefix of the magic is not the magic
        (b"", None),
    ],
)
def test_sniff_image_by_magic_bytes(head: bytes, expected: tuple[str, str] | None) -> None:
    assert sniff_image(head) == expected


class _Endless(io.RawIOBase):
    """An endless stream that counts what was read from it."""

    def __init__(self) -> None:
        self.served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = len(buffer)
        buffer[:size] = b"\x00" * size
        self.served += size
        return size


def test_read_at_most_stops_one_byte_past_the_limit() -> None:
    stream = _Endless()
    data = read_at_most(stream, 1000, chunk=64)  # type: ignore[arg-type]
    assert len(data) == 1001
    assert stream.served == 1001


def test_read_at_most_returns_a_short_stream_whole() -> None:
    assert read_at_most(io.BytesIO(b"abc"), 1000) == b"abc"


def test_read_image_takes_a_png_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(PNG)
    assert read_image(str(path), io.StringIO(), stdin_isatty=False) == (PNG, "image/png", "png")


def test_read_image_of_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "big.gif"
    path.write_bytes(GIF + b"\x00" * (1000 - len(GIF)))
    data, _, ext = read_image(str(path), io.StringIO(), stdin_isatty=False, limit=1000)
    assert (len(data), ext) == (1000, "gif")


def _bad(tmp_path: Path, case: str) -> str:
    if case == "missing":
        return str(tmp_path / "nope.png")
    if case == "blank":
        return "  "
    if case == "directory":
        return str(tmp_path)
    path = tmp_path / "file.png"
    content = {
        "empty": b"",
        "text": b"#!/bin/sh\necho hi\n",
        "svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "over the limit": PNG + b"\x00" * AVATAR_MAX_BYTES,
    }[case]
    path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("case", "says"),
    [
        ("missing", "no such file"),
        ("blank", "must not be empty"),
        ("directory", "is a directory"),
        ("empty", "is empty"),
        ("text", "is not a JPEG, PNG or GIF image"),
        ("svg", "is not a JPEG, PNG or GIF image"),
        ("over the limit", "the limit is 5 MB"),
    ],
)
def test_read_image_refusals_name_the_parameter(tmp_path: Path, case: str, says: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        read_image(_bad(tmp_path, case), io.StringIO(), stdin_isatty=False, param="IMAGE")
    assert caught.value.param == "IMAGE"
    assert caught.value.message.startswith("IMAGE ")
    assert says in caught.value.message


def test_read_image_from_stdin() -> None:
    stdin = io.StringIO(GIF.decode("latin-1"))
    with pytest.raises(errors.UsageError, match="FILE standard input is not a JPEG"):
        read_image("-", io.StringIO("hello"), stdin_isatty=False)
    with pytest.raises(errors.UsageError, match="stdin is a terminal"):
        read_image("-", stdin, stdin_isatty=True)


def test_read_image_from_an_endless_stdin_stops_past_the_limit() -> None:
    stream = _Endless()
    stdin: Any = type("Stdin", (), {"buffer": stream})()
    with pytest.raises(errors.UsageError, match="larger than the 5 MB limit"):
        read_image("-", stdin, stdin_isatty=False)
    assert stream.served == AVATAR_MAX_BYTES + 1
