"""Children on a real pseudo-terminal (pexpect): the one place the suite spawns them.

`spawn()` starts any program on a pty; `Terminal` runs `portal` there with a `Cli`'s isolated
environment and keeps everything the terminal showed.

Every child starts with SIGINT at its default action (`default_signals`). A shell without job
control starts a background job (`make test &`, a CI runner's `nohup`) with SIGINT ignored, and
an ignored signal stays ignored across fork and exec: Python would then install no
KeyboardInterrupt handler, and a test that presses Ctrl-C would wait for a reaction that never
comes. A terminal's Ctrl-C reaches a program that left SIGINT alone, so that is what the
children get.
"""

from __future__ import annotations

import io
import signal
import sys
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Mapping

    from support.harness import Cli

PROMPT_TIMEOUT = 15
EXIT_TIMEOUT = 30


def default_signals() -> None:
    """For `preexec_fn`: SIGINT back to its default action and not blocked, in the child only."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def spawn(command: str, args: list[str], **kwargs: Any) -> Any:
    """`pexpect.spawn(command, args, **kwargs)` with SIGINT at its default in the child."""
    import pexpect

    return pexpect.spawn(command, args, preexec_fn=default_signals, **kwargs)


class Terminal:
    """One `portal *args` on a pty `columns` wide (COLUMNS too), TERM=xterm.

    `expect()` waits for a regex (`expect_exact()` for plain text) and fails the test with the
    transcript when it does not come; `finish()` waits for the end and returns the exit status
    (a death by signal fails the test); `text` is the whole transcript with "\\n" line ends.
    """

    def __init__(
        self,
        cli: Cli,
        *args: str,
        env: Mapping[str, str | None] | None = None,
        columns: int = 100,
        rows: int = 40,
    ) -> None:
        self._transcript = io.StringIO()
        extra = {"TERM": "xterm", "COLUMNS": str(columns), **(env or {})}
        self.child = spawn(
            sys.executable,
            ["-m", "chathq_cli", *args],
            env=cli.env(extra),
            cwd=str(cli.home),
            encoding="utf-8",
            timeout=PROMPT_TIMEOUT,
            dimensions=(rows, columns),
        )
        self.child.logfile_read = self._transcript

    def expect(self, pattern: str) -> str:
        """Wait for the regex `pattern`; return what was shown before it, the match included."""
        return self._wait(self.child.expect, pattern)

    def expect_exact(self, text: str) -> str:
        return self._wait(self.child.expect_exact, text)

    def answer(self, prompt: str, text: str) -> None:
        """Wait for the plain text `prompt`, then type `text` and Enter."""
        self.expect_exact(prompt)
        self.send_line(text)

    def send_line(self, text: str) -> None:
        self.child.sendline(text)

    def interrupt(self) -> None:
        """Ctrl-C, as typed: the terminal's interrupt character."""
        self.child.sendintr()

    def finish(self) -> int:
        import pexpect

        self.child.expect(pexpect.EOF, timeout=EXIT_TIMEOUT)
        self.child.close()
        if self.child.signalstatus is not None:
            pytest.fail(
                f"portal was killed by signal {self.child.signalstatus}\n{self.text}",
                pytrace=False,
            )
        return int(self.child.exitstatus)

    @property
    def text(self) -> str:
        return self._transcript.getvalue().replace("\r\n", "\n")

    def _wait(self, method: Any, pattern: str) -> str:
        import pexpect

        try:
            method(pattern)
        except (pexpect.EOF, pexpect.TIMEOUT) as exc:
            pytest.fail(
                f"waited for {pattern!r}: {type(exc).__name__}\n--- transcript ---\n{self.text}",
                pytrace=False,
            )
        return (str(self.child.before) + str(self.child.after)).replace("\r\n", "\n")
