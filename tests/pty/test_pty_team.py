"""`portal team remove` asks on a real terminal: "y" removes the member, "n" is exit 3 and
changes nothing (pexpect)."""

from __future__ import annotations

import pytest

from support.harness import OWNER, Cli, Sandbox
from support.terminal import Terminal

pytestmark = pytest.mark.pty


def _remove_sam(cli: Cli, answer: str) -> tuple[int, str]:
    term = Terminal(cli, "team", "remove", "sam@demo.chathq.test")
    term.expect(r"Remove Sam Support <sam@demo\.chathq\.test> \(member\).*\[y/N\]")
    term.send_line(answer)
    return term.finish(), term.text


def _emails(sandbox: Sandbox, token: str) -> list[str]:
    account = sandbox.get("me", token)["default_account_id"]
    return [m["email"] for m in sandbox.list_all(f"accounts/{account}/members", token)]


def test_declining_keeps_the_member(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    code, transcript = _remove_sam(cli, "n")
    assert code == 3, transcript
    assert "Traceback" not in transcript
    assert "sam@demo.chathq.test" in _emails(sandbox, token)


def test_accepting_removes_the_member(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    code, transcript = _remove_sam(cli, "y")
    assert code == 0, transcript
    assert "Removed sam@demo.chathq.test" in transcript
    assert "sam@demo.chathq.test" not in _emails(sandbox, token)
