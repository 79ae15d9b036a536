"""What one run of `portal` gets from the outside world, injectable for tests.

As httpie's `Environment` does, `main(argv, env)` takes the streams, their TTY flags and the
HTTP transport from here instead of reaching for `sys.stdin` and the network directly, so a
test can run a whole command in-process with a `StringIO` stdin, a pretend terminal, and a
transport of its choosing (respx, or the default one talking to a sandbox on loopback).

The frame reads environment variables only here, from the snapshot taken when the invocation
starts (`variable()`, `preferred_format()`, `wants_plain()`); settings read theirs through
pydantic-settings (state/settings.py), the one other reader.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chathq_cli.output._env import Env

if TYPE_CHECKING:
    from datetime import datetime

    import httpx


@dataclass
class Environment:
    """The terminal side (`term`) and the network side (`transport`) of one invocation.

    `term` None means the process's own streams (`Env.from_system()`, looked up each time,
    so a `sys.stdout` swapped by a test harness is honoured). `transport` None means
    httpx's default. `error` is the last exception the error boundary handled, so a test
    that expected success can show its traceback; `command` is what the hints table matches.
    """

    term: Env | None = None
    transport: httpx.BaseTransport | None = None
    error: BaseException | None = field(default=None, compare=False)
    # The command that ran, without "portal " ("team remove"), once the frame knows it.
    command: str = ""
    # Its arguments by metavar ({"ID": "inv_..."}), for the table's rewording of an error.
    arguments: dict[str, str] = field(default_factory=dict)
    # The process environment as it was when this invocation started.
    variables: Mapping[str, str] = field(default_factory=lambda: dict(os.environ), repr=False)

    def terminal(self) -> Env:
        return self.term if self.term is not None else Env.from_system()


_current = Environment()


def current() -> Environment:
    return _current


def set_current(env: Environment | None) -> Environment:
    """Install `env` (a fresh default one when None) for this invocation and return it."""
    from chathq_cli.output._clock import set_clock

    global _current
    _current = env if env is not None else Environment()
    set_clock(_current.term.clock if _current.term is not None else None)
    return _current


def now() -> datetime:
    """The current time of this invocation (its terminal's clock: pinned by tests)."""
    return _current.terminal().clock()


def note_error(exc: BaseException) -> None:
    _current.error = exc


_TRUE = ("1", "true", "yes", "on")
FORMATS = ("table", "json", "csv")


def variable(name: str) -> str:
    """An environment variable of this invocation, trimmed ("" when unset)."""
    return _current.variables.get(name, "").strip()


def is_true(name: str) -> bool:
    return variable(name).lower() in _TRUE


def preferred_format() -> str | None:
    """PORTAL_FORMAT when it names a format: what errors raised before the settings load use."""
    value = variable("PORTAL_FORMAT").lower()
    return value if value in FORMATS else None


def wants_plain() -> bool:
    """No colour, no style, no escape at all: NO_COLOR (no-color.org: any value),
    PORTAL_NO_COLOR (a boolean), or TERM=dumb (a terminal that shows escapes as junk)."""
    return bool(variable("NO_COLOR")) or is_true("PORTAL_NO_COLOR") or variable("TERM") == "dumb"


def pager(configured: str | None) -> str | None:
    """The pager command: PORTAL_PAGER or config.toml's `pager` (`configured`, from the
    settings), else PAGER, else `less -FRX` when installed; None for none, or for `cat`."""
    import shutil

    command = (configured or "").strip() or variable("PAGER")
    if not command and shutil.which("less"):
        command = "less -FRX"  # -F: quit if it fits; -R: keep colours; -X: leave it on screen
    return None if command in ("", "cat") else command


def pager_variables() -> dict[str, str]:
    """The pager's environment: this invocation's, with LESS=FRX unless LESS is set (as git
    does), so PAGER=less keeps a table's colours (-R) and leaves it on the screen (-X)."""
    return {**_current.variables, "LESS": _current.variables.get("LESS") or "FRX"}


__all__ = [
    "Environment",
    "current",
    "is_true",
    "note_error",
    "now",
    "pager",
    "pager_variables",
    "preferred_format",
    "set_current",
    "variable",
    "wants_plain",
]
