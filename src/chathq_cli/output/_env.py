"""The process's streams and TTY flags, injectable for tests (httpie's `Environment`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import IO, Any


def _isatty(stream: IO[Any]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or a stream without a file descriptor
        return False


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Env:
    """Where `Output` reads and writes, and whether each end is a terminal.

    Tests build one with `io.StringIO` streams and the TTY flags they want; the CLI uses
    `Env.from_system()`. `columns` fixes the table width (None: ask the terminal). `clock` is
    the current time, for relative dates typed (`--since 7d`) and shown ("3 days ago"): tests
    pin it to the sandbox's clock.
    """

    stdin: IO[str] = field(default_factory=lambda: sys.stdin)
    stdout: IO[str] = field(default_factory=lambda: sys.stdout)
    stderr: IO[str] = field(default_factory=lambda: sys.stderr)
    stdin_isatty: bool = False
    stdout_isatty: bool = False
    stderr_isatty: bool = False
    columns: int | None = None
    clock: Callable[[], datetime] = field(default=utc_now, repr=False, compare=False)

    @classmethod
    def from_system(cls) -> Env:
        return cls(
            stdin=sys.stdin,
            stdout=sys.stdout,
            stderr=sys.stderr,
            stdin_isatty=_isatty(sys.stdin),
            stdout_isatty=_isatty(sys.stdout),
            stderr_isatty=_isatty(sys.stderr),
        )

    @property
    def is_system_stdin(self) -> bool:
        """True when stdin is the real one, so a hidden prompt can use the terminal directly."""
        return self.stdin is sys.stdin
