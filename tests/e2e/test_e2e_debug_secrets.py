"""`--debug` logs each request but never a secret: not the token, not the password (SPEC §3, §8)."""

from __future__ import annotations

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Cli, Result, Sandbox

pytestmark = pytest.mark.e2e

# {account} is replaced with the signed-in user's default account id.
COMMANDS = {
    "account-show-json": ("account", "show", "--json"),
    "account-list": ("account", "list"),
    "account-rename": ("account", "rename", "Debugged Name"),
    "account-dashboard": ("account", "dashboard"),
    "org-list": ("org", "list"),
    "auth-status": ("auth", "status"),
    "api-patch": ("api", "PATCH", "accounts/{account}", "-f", "name=Raw Debug"),
    "not-found": ("account", "show", "--account", "acct_doesnotexist"),
    "logout": ("auth", "logout"),
}


def _assert_no_secret(result: Result, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result.stderr, f"a secret leaked into stderr\n{result.describe()}"
        assert secret not in result.stdout, f"a secret leaked into stdout\n{result.describe()}"


def _assert_logged_requests(result: Result) -> None:
    # Otherwise the test would pass trivially because --debug did nothing.
    assert "/v1/" in result.stderr, f"--debug should log the requests\n{result.describe()}"


@pytest.fixture
def debug_login(cli: Cli) -> tuple[Result, str]:
    result = cli.login(OWNER, DEMO_PASSWORD, "--debug")
    return result, cli.token()


def test_login_with_password_stdin_debug_shows_no_secret(debug_login: tuple[Result, str]) -> None:
    result, token = debug_login
    _assert_logged_requests(result)
    _assert_no_secret(result, token, DEMO_PASSWORD)


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_debug_output_never_contains_the_token_or_password(cli: Cli, args: tuple[str, ...]) -> None:
    token = cli.sign_in(OWNER)  # the token `portal auth token` would print (see the login test)
    account = cli.sandbox.get("me", token)["default_account_id"]
    argv = [arg.format(account=account) for arg in args]
    result = cli.run(*argv, "--debug", exit_code=None)
    assert result.code in (0, 6), result.describe()
    _assert_logged_requests(result)
    _assert_no_secret(result, token, DEMO_PASSWORD)


def test_debug_right_after_portal_and_via_env(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    for result in (
        cli.run("--debug", "account", "show"),
        cli.run("account", "show", env={"PORTAL_DEBUG": "1"}),
    ):
        _assert_logged_requests(result)
        _assert_no_secret(result, token, DEMO_PASSWORD)


def test_login_with_token_debug_shows_no_token(cli: Cli, sandbox: Sandbox) -> None:
    token = sandbox.sign_in(OWNER)
    result = cli.run("auth", "login", "--with-token", "--debug", stdin=token + "\n")
    _assert_logged_requests(result)
    _assert_no_secret(result, token)


def test_portal_token_env_debug_shows_no_token(cli: Cli, sandbox: Sandbox) -> None:
    token = sandbox.sign_in(OWNER)
    result = cli.run("account", "show", "--debug", env={"PORTAL_TOKEN": token})
    _assert_logged_requests(result)
    _assert_no_secret(result, token)


def test_traceback_only_under_debug(cli: Cli) -> None:
    # Plain errors never show a traceback; --debug may, but still without the token.
    token = cli.sign_in(OWNER)
    plain = cli.run("account", "show", "--account", "acct_doesnotexist", exit_code=6)
    assert "Traceback" not in plain.stderr
    debugged = cli.run("account", "show", "--account", "acct_doesnotexist", "--debug", exit_code=6)
    _assert_no_secret(debugged, token, DEMO_PASSWORD)


def test_close_with_password_stdin_debug_redacts_the_password(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    sales = sandbox.account_named(token, "Acme Sales")
    result = cli.run(
        "account",
        "close",
        "--account",
        sales["id"],
        "--yes",
        "--password-stdin",
        "--debug",
        stdin=DEMO_PASSWORD + "\n",
    )
    _assert_logged_requests(result)
    assert "/close" in result.stderr
    _assert_no_secret(result, token, DEMO_PASSWORD)
