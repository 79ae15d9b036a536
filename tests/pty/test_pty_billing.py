"""`portal billing change-plan` and `cancel` confirmations on a real pseudo-terminal (pexpect):
accepted (exit 0, applied), declined (exit 3, nothing changed), Ctrl-C (exit 130, no
traceback, nothing changed). The server's state is read from the API after each run."""

from __future__ import annotations

from typing import Any

import pytest

from support.harness import OWNER, Cli, Sandbox
from support.terminal import Terminal

pytestmark = pytest.mark.pty

QUESTION = r"\[y/N\]"


def _state(sandbox: Sandbox, token: str) -> tuple[Any, ...]:
    account = sandbox.get("me", token)["default_account_id"]
    subscription = sandbox.get(f"accounts/{account}/subscription", token)
    dashboard = sandbox.get(f"accounts/{account}/dashboard", token)
    return subscription, dashboard["bots_paused"], dashboard["messages_used"]


def test_downgrade_accepted(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    session = Terminal(cli, "billing", "change-plan", "connect")
    session.expect("Plan change preview")
    session.expect(r"Downgrade Acme Support to Connect and pause 3 bots")
    session.expect(QUESTION)
    session.send_line("y")
    assert session.finish() == 0, session.text
    subscription, paused, used = _state(sandbox, token)
    assert (subscription["plan"], paused, used) == ("connect", 3, 0)
    assert "now on the Connect plan" in session.text


def test_downgrade_declined_is_3_and_changes_nothing(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    before = _state(sandbox, token)
    session = Terminal(cli, "billing", "change-plan", "connect")
    session.expect(QUESTION)
    session.send_line("n")
    assert session.finish() == 3, session.text
    assert "cancelled; nothing was changed" in session.text
    assert _state(sandbox, token) == before


def test_ctrl_c_at_the_plan_question_is_130_and_changes_nothing(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    before = _state(sandbox, token)
    session = Terminal(cli, "billing", "change-plan", "transact")
    session.expect(r"Upgrade Acme Support to Transact\?")
    session.expect(QUESTION)
    session.interrupt()
    assert session.finish() == 130, session.text
    assert "Traceback" not in session.text
    assert _state(sandbox, token) == before


def test_cancel_now_accepted(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    session = Terminal(cli, "billing", "cancel", "--now")
    session.expect("is lost")
    session.expect(QUESTION)
    session.send_line("yes")
    assert session.finish() == 0, session.text
    assert _state(sandbox, token)[0]["status"] == "canceled"
