"""`portal apply` asks on a real terminal after showing the plan: "n" is exit 3 and changes
nothing, "y" applies (pexpect)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.harness import OWNER, Cli, Sandbox
from support.terminal import Terminal

pytestmark = pytest.mark.pty


@pytest.mark.parametrize(("answer", "code", "role"), [("n", 3, "member"), ("y", 0, "admin")])
def test_apply_shows_the_plan_then_asks(
    cli: Cli, sandbox: Sandbox, tmp_path: Path, answer: str, code: int, role: str
) -> None:
    token = cli.sign_in(OWNER)
    path = tmp_path / "portal.yaml"
    cli.run("export", "-o", str(path), exit_code=0)
    edited = path.read_text().replace("sam@demo.chathq.test: member", "sam@demo.chathq.test: admin")
    path.write_text(edited)
    term = Terminal(cli, "apply", "-f", str(path))
    term.expect(r"~ sam@demo\.chathq\.test: member -> admin")
    term.expect(r"Apply 1 change\? \[y/N\]")
    term.send_line(answer)
    assert term.finish() == code, term.text
    account = sandbox.get("me", token)["default_account_id"]
    members = {
        m["email"]: m["role"] for m in sandbox.list_all(f"accounts/{account}/members", token)
    }
    assert members["sam@demo.chathq.test"] == role
