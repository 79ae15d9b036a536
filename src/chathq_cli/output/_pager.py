"""A pager for data longer than the screen, as gh and git have.

stdout at a terminal is held until it runs past the screen's height: then the pager command
starts and gets everything, held and still to come; output that fits is written as it
would have been. Before a question, what is held goes straight to the terminal
(`release()`), so a prompt never waits under invisible text. A pager the user quits early
(q) ends the command quietly: the write that finds it gone raises BrokenPipeError, which
the error boundary takes for a reader that has what it wanted.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
from collections.abc import Mapping
from typing import IO, Any


def screen_rows(stream: IO[str]) -> int | None:
    """The height of the terminal `stream` writes to; None when it is not one."""
    try:
        return os.get_terminal_size(stream.fileno()).lines
    except (AttributeError, OSError, ValueError):  # no file descriptor, or not a terminal
        return None


class PagedStream:
    """`stream` (a terminal), handing its text to `command` once it is taller than `rows`."""

    def __init__(
        self,
        stream: IO[str],
        command: str,
        rows: int,
        variables: Mapping[str, str] | None = None,
    ) -> None:
        self._stream = stream
        self._variables = variables
        self._command = command
        self._rows = rows
        self._held: list[str] = []
        self._lines = 0
        self._pager: subprocess.Popen[str] | None = None
        self._pipe: IO[str] | None = None  # the pager's stdin
        self._released = False

    def write(self, text: str) -> int:
        if self._pipe is not None:
            return self._pipe.write(text)
        if self._released:
            return self._stream.write(text)
        self._held.append(text)
        self._lines += text.count("\n")
        # A full screen of lines would scroll the first ones away (the last row is the prompt's).
        if self._lines >= self._rows:
            self._start()
        return len(text)

    def flush(self) -> None:
        # Held text stays held: whether it fits on the screen is known only at the end.
        if self._pipe is not None:
            self._pipe.flush()
        elif self._released:
            self._stream.flush()

    def release(self) -> None:
        """Write what is held to the terminal now and page nothing more (a question follows)."""
        if self._pager is None and not self._released:
            self._released = True
            self._stream.write("".join(self._held))
            self._stream.flush()
            self._held = []

    def close(self) -> None:
        """The end of the output: show what is held, and wait for the pager to be quit."""
        if self._pager is None or self._pipe is None:
            self.release()
            return
        # A pager quit before it read everything is the user's choice, not an error.
        with contextlib.suppress(BrokenPipeError):
            self._pipe.close()
        self._pager.wait()

    @property
    def terminal(self) -> IO[str]:
        return self._stream

    def isatty(self) -> bool:
        return True

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def _start(self) -> None:
        self._stream.flush()
        try:
            self._pager = subprocess.Popen(  # noqa: S603 - the user's own pager command
                shlex.split(self._command),
                stdin=subprocess.PIPE,
                stdout=self._stream,
                env=self._variables,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except (OSError, ValueError):
            self.release()  # no such pager (or an unparsable command): the terminal it is
            return
        self._pipe = self._pager.stdin
        held, self._held = "".join(self._held), []
        self.write(held)
