"""What one run of `portal` gets from the outside world, injectable for tests.

As httpie's `Environment` does, `main(argv, env)` takes the streams, their TTY flags and the
HTTP transport from here instead of reaching for `sys.stdin` and the network directly, so a
test can run a whole command in-process with a `StringIO` stdin, a pretend terminal, and a
transport of its choosing (respx, or the default one talking to a sandbox on loopback).
Environment variables stay in `os.environ`: pydantic-settings reads them from there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from chathq_cli.output._env import Env

if TYPE_CHECKING:
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

    def terminal(self) -> Env:
        return self.term if self.term is not None else Env.from_system()


_current = Environment()


def current() -> Environment:
    return _current


def set_current(env: Environment | None) -> Environment:
    """Install `env` (a fresh default one when None) for this invocation and return it."""
    global _current
    _current = env if env is not None else Environment()
    return _current


def note_error(exc: BaseException) -> None:
    _current.error = exc


__all__ = ["Environment", "current", "note_error", "set_current"]
