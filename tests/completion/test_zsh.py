"""zsh: an interactive `zsh -f -i` on a real pseudo-terminal (pexpect), with compinit and
portal.zsh loaded; TAB goes through ZLE and compsys exactly as for a user, and the test reads
the candidates zsh lists (or the word it inserts when there is only one)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from shells_support import SCRIPTS, RealPortal, Spy

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed"),
]

PROMPT = "READY> "
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]|\r")


class Zsh:
    def __init__(self, spy: Spy | RealPortal) -> None:
        env = spy.env()
        env.update(TERM="dumb")
        self.child = pexpect.spawn(
            "zsh", ["-f", "-i"], env=env, encoding="utf-8", timeout=10, dimensions=(200, 250)
        )
        self.child.sendline(
            "autoload -Uz compinit && compinit -u -D; "
            f"source {SCRIPTS / 'portal.zsh'}; "
            # Quoted apart so the echoed command line does not match the prompt.
            "LISTMAX=0; unsetopt beep list_ambiguous; PROMPT='READ''Y> '"
        )
        self.child.expect(PROMPT)

    def listing(self, line: str) -> set[str]:
        """Every word of the list zsh prints for TAB after `line` (candidates in columns, or
        one per row followed by its description)."""
        self.child.send(line + "\t")
        self.child.expect(PROMPT)  # the list is printed, then the prompt is redrawn
        text = _ANSI.sub("", self.child.before)
        rows = text.split("\n")[1:]  # the first row is the command line itself
        self.clear()
        return {word for row in rows for word in row.split()}

    def inserted(self, line: str, expected: str) -> None:
        """TAB after `line` completes the buffer to `expected` (one candidate)."""
        self.child.send(line + "\t")
        self.child.expect_exact(expected)
        self.clear()

    def clear(self) -> None:
        self.child.send("\x15")  # kill-whole-line
        self.child.sendline("")
        self.child.expect(PROMPT)

    def close(self) -> None:
        self.child.sendline("exit")
        self.child.close(force=True)


@pytest.fixture
def zsh(spy: Spy) -> Iterator[Zsh]:
    shell = Zsh(spy)
    try:
        yield shell
    finally:
        shell.close()


def test_groups_nested_commands_and_options(zsh: Zsh, spy: Spy, model) -> None:  # type: ignore[no-untyped-def]
    assert set(model.commands) <= zsh.listing("portal ")
    assert set(model.commands["account"].commands) <= zsh.listing("portal account ")
    assert zsh.listing("portal usage --u") >= {"--unit", "--unpaid", "--until"}
    zsh.inserted("portal acc", "portal account ")
    zsh.inserted("portal account sh", "portal account show ")
    assert spy.calls() == []


def test_choices(zsh: Zsh, spy: Spy, model) -> None:  # type: ignore[no-untyped-def]
    usage = model.commands["usage"]
    unit = next(o for o in usage.options if "--unit" in o.names)
    assert set(unit.values.choices) <= zsh.listing("portal usage --unit ")
    zsh.inserted("portal usage --by w", "portal usage --by week ")
    zsh.inserted("portal account show --format cs", "--format csv ")
    assert spy.calls() == []


def test_a_dynamic_value_and_a_file(zsh: Zsh, spy: Spy, cached: Path, tmp_path: Path) -> None:
    zsh.inserted("portal account use ", "portal account use acct_demo1 ")
    zsh.inserted("portal org show --org ", "--org org_demo1 ")
    (tmp_path / "invoice-march.pdf").write_text("")
    zsh.inserted(f"portal usage --output {tmp_path}/invoice-", "invoice-march.pdf ")
    assert spy.calls() == []


def test_a_cold_cache_is_fetched_on_the_first_tab(
    signed_in: RealPortal, open_accounts: list[str]
) -> None:
    shell = Zsh(signed_in)
    try:
        assert set(open_accounts) <= shell.listing("portal account use ")
    finally:
        shell.close()
