"""Interactive prompts under a real pseudo-terminal (pexpect): hidden password, e-mail and TOTP
prompts, typed confirmation of `account close` (accepted: exit 0; declined: exit 3), Ctrl-C at a
prompt (exit 130, no traceback)."""

from __future__ import annotations

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Cli, Sandbox
from support.terminal import Terminal

pytestmark = pytest.mark.pty

PASSWORD_PROMPT = r"(?i)password[^\n]*:"
EMAIL_PROMPT = r"(?i)e-?mail[^\n]*:"
CODE_PROMPT = r"(?i)(code|two-factor|2fa|authenticator)[^\n]*:"


def test_login_prompts_for_email_and_a_hidden_password(cli: Cli) -> None:
    session = Terminal(cli, "auth", "login")
    session.expect(EMAIL_PROMPT)
    session.send_line(OWNER)
    session.expect(PASSWORD_PROMPT)
    session.send_line(DEMO_PASSWORD)
    assert session.finish() == 0, session.text
    assert f"Signed in to {cli.sandbox.url} as {OWNER}" in session.text
    assert OWNER in session.text  # the e-mail is echoed as typed...
    assert DEMO_PASSWORD not in session.text  # ...the password is not
    assert "Traceback" not in session.text
    assert cli.run("api", "me").json()["email"] == OWNER


def test_login_asks_for_the_totp_code_when_the_server_wants_one(cli: Cli, sandbox: Sandbox) -> None:
    # A later time step, so the code differs from the one used to verify (codes are single-use).
    code = sandbox.enable_totp(OWNER).fresh_code(minutes=2)

    session = Terminal(cli, "auth", "login", "--email", OWNER)
    session.expect(PASSWORD_PROMPT)
    session.send_line(DEMO_PASSWORD)
    session.expect(CODE_PROMPT)
    session.send_line(code)
    assert session.finish() == 0, session.text
    assert DEMO_PASSWORD not in session.text
    assert cli.run("api", "me").json()["totp_enabled"] is True


def _owner_and_sales(cli: Cli, sandbox: Sandbox) -> tuple[str, dict]:
    cli.login(OWNER)
    token = sandbox.sign_in(OWNER)
    return token, sandbox.account_named(token, "Acme Sales")


def test_account_close_accepted_with_the_typed_name(cli: Cli, sandbox: Sandbox) -> None:
    token, sales = _owner_and_sales(cli, sandbox)
    session = Terminal(cli, "account", "close", "--account", sales["id"])
    session.expect("Acme Sales")  # the question names what to type (input is line-buffered)
    session.send_line("Acme Sales")
    session.expect(PASSWORD_PROMPT)
    session.send_line(DEMO_PASSWORD)
    assert session.finish() == 0, session.text
    assert DEMO_PASSWORD not in session.text
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 404


def test_account_close_declined_is_exit_3_and_changes_nothing(cli: Cli, sandbox: Sandbox) -> None:
    token, sales = _owner_and_sales(cli, sandbox)
    session = Terminal(cli, "account", "close", "--account", sales["id"])
    session.expect("Acme Sales")
    session.send_line("Acme Sale")  # not the exact name
    assert session.finish() == 3, session.text
    assert "Traceback" not in session.text
    assert "error:" in session.text
    after = sandbox.api("GET", f"accounts/{sales['id']}", token)
    assert after.status_code == 200 and after.json()["status"] == "open"


def test_account_close_yes_skips_the_name_but_never_the_password(
    cli: Cli, sandbox: Sandbox
) -> None:
    token, sales = _owner_and_sales(cli, sandbox)
    session = Terminal(cli, "account", "close", "--account", sales["id"], "--yes")
    session.expect(PASSWORD_PROMPT)
    session.send_line("wrong-password")
    assert session.finish() == 4, session.text
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 200


def test_ctrl_c_at_the_password_prompt_is_130_without_traceback(cli: Cli) -> None:
    session = Terminal(cli, "auth", "login", "--email", OWNER)
    session.expect(PASSWORD_PROMPT)
    session.interrupt()
    assert session.finish() == 130, session.text
    assert "Traceback" not in session.text
    assert not cli.keyring_file.exists()


def test_ctrl_c_at_the_close_confirmation_is_130_and_changes_nothing(
    cli: Cli, sandbox: Sandbox
) -> None:
    token, sales = _owner_and_sales(cli, sandbox)
    session = Terminal(cli, "account", "close", "--account", sales["id"])
    session.expect("Acme Sales")
    session.interrupt()
    assert session.finish() == 130, session.text
    assert "Traceback" not in session.text
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 200


def test_portal_no_prompt_refuses_to_ask_even_on_a_terminal(cli: Cli, sandbox: Sandbox) -> None:
    token, sales = _owner_and_sales(cli, sandbox)
    session = Terminal(
        cli, "account", "close", "--account", sales["id"], env={"PORTAL_NO_PROMPT": "1"}
    )
    assert session.finish() == 2, session.text
    assert "--yes" in session.text
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 200


def test_reset_password_asks_for_the_mailed_code_and_a_new_password_twice(
    cli: Cli, sandbox: Sandbox
) -> None:
    new_password = "a-new-long-password-42"
    session = Terminal(cli, "auth", "reset-password", "--email", OWNER)
    session.expect(CODE_PROMPT)
    mails = [m for m in sandbox.outbox() if m["to"] == OWNER and m.get("code")]
    assert mails, sandbox.outbox()
    session.send_line(mails[-1]["code"])
    session.expect(PASSWORD_PROMPT)
    session.send_line(new_password)
    session.expect(PASSWORD_PROMPT)
    session.send_line(new_password)
    assert session.finish() == 0, session.text
    assert new_password not in session.text
    assert sandbox.sign_in(OWNER, new_password)
    refused = sandbox.api("POST", "auth/sessions", json={"email": OWNER, "password": DEMO_PASSWORD})
    assert refused.status_code == 401


def test_ctrl_c_while_waiting_to_retry_is_130_without_traceback(cli: Cli, sandbox: Sandbox) -> None:
    cli.sign_in(OWNER)
    sandbox.faults(1.0, ["rate_limit"], seed=1)
    session = Terminal(
        cli,
        "account",
        "list",
        "--debug",
        env={"PORTAL_RETRY_ATTEMPTS": "20", "PORTAL_RETRY_MAX_DELAY": "5"},
    )
    session.expect(r"retrying in")  # it is now waiting between attempts
    session.interrupt()
    assert session.finish() == 130, session.text
    assert "Traceback" not in session.text
