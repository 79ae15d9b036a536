"""Two-factor authentication without a terminal: the code (or a recovery code) on the second
line of stdin with --password-stdin, for `auth login` and `account close` (SPEC §4, §5)."""

from __future__ import annotations

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Cli, Sandbox, assert_one_line_error

pytestmark = pytest.mark.e2e


def test_login_with_the_code_on_the_second_stdin_line(cli: Cli, sandbox: Sandbox) -> None:
    code = sandbox.enable_totp(OWNER).fresh_code(minutes=2)
    cli.run(
        "auth", "login", "--email", OWNER, "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{code}\n"
    )
    me = cli.run("api", "me").json()
    assert me["email"] == OWNER and me["totp_enabled"] is True


def test_login_with_a_recovery_code(cli: Cli, sandbox: Sandbox) -> None:
    recovery = sandbox.enable_totp(OWNER).recovery_codes[0]
    stdin = f"{DEMO_PASSWORD}\n{recovery}\n"
    cli.run("auth", "login", "--email", OWNER, "--password-stdin", stdin=stdin)
    # A recovery code is accepted once.
    again = cli.run("auth", "login", "--email", OWNER, "--password-stdin", stdin=stdin, exit_code=4)
    assert_one_line_error(again)


def test_login_with_a_wrong_code_is_exit_4(cli: Cli, sandbox: Sandbox) -> None:
    sandbox.enable_totp(OWNER)
    result = cli.run(
        "auth",
        "login",
        "--email",
        OWNER,
        "--password-stdin",
        stdin=f"{DEMO_PASSWORD}\n000000\n",
        exit_code=4,
    )
    assert_one_line_error(result)
    assert not cli.keyring_file.exists()


def test_close_asks_for_the_code_when_2fa_is_on(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)  # before 2FA is on: an existing session stays valid
    two_factor = sandbox.enable_totp(OWNER)
    sales = sandbox.account_named(token, "Acme Sales")
    args = ("account", "close", "--account", sales["id"], "--yes", "--password-stdin")
    # Password only: the server wants a code; with no terminal and no second line, exit 4.
    missing = cli.run(*args, stdin=DEMO_PASSWORD + "\n", exit_code=4)
    assert_one_line_error(missing)
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 200
    code = two_factor.fresh_code(minutes=3)
    cli.run(*args, stdin=f"{DEMO_PASSWORD}\n{code}\n")
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 404
