"""Ctrl-C reaches the pty children even when the suite itself ignores SIGINT.

`make test &`, `nohup make test` and CI runners without job control start the suite with
SIGINT ignored, and an ignored signal is inherited across exec. support/terminal.py puts it
back to its default in every child; these tests ignore SIGINT in the test process while
spawning, as such a background job would, and fail if the child inherited that.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from support.harness import OWNER, Cli
from support.terminal import Terminal, spawn

pytestmark = pytest.mark.pty

PRINT_SIGINT_HANDLER = "import signal; print('SIGINT:', signal.getsignal(signal.SIGINT))"


@contextmanager
def sigint_ignored() -> Iterator[None]:
    """SIGINT ignored in this process for the block, as in a background job."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_child_spawned_while_sigint_is_ignored_has_the_default_handler() -> None:
    with sigint_ignored():
        child = spawn(sys.executable, ["-c", PRINT_SIGINT_HANDLER], encoding="utf-8", timeout=15)
    child.expect("SIGINT: .*\n")
    child.close()
    # Python installs its KeyboardInterrupt handler only when SIGINT is not ignored at start;
    # an inherited SIG_IGN would print "Handlers.SIG_IGN" here.
    assert "default_int_handler" in child.after, child.after


def test_ctrl_c_at_a_prompt_is_130_when_the_suite_ignores_sigint(cli: Cli) -> None:
    with sigint_ignored():
        term = Terminal(cli, "auth", "login", "--email", OWNER)
    term.expect(r"(?i)password[^\n]*:")
    term.interrupt()
    assert term.finish() == 130, term.text
    assert "Traceback" not in term.text
