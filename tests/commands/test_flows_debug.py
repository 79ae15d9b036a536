"""`--debug` logs each request but never a secret: not the token, not the password (SPEC §3, §8).
In-process: the log goes to the same stderr a process has."""

from __future__ import annotations

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Result, Sandbox
from support.inprocess import Portal

# {account} is replaced with the signed-in user's default account id. The exit code each must
# end with: the not-found case shows the error path's log too.
COMMANDS = {
    "account-show-json": (0, "account", "show", "--json"),
    "account-list": (0, "account", "list"),
    "account-rename": (0, "account", "rename", "Debugged Name"),
    "account-dashboard": (0, "account", "dashboard"),
    "org-list": (0, "org", "list"),
    "auth-status": (0, "auth", "status"),
    "api-patch": (0, "api", "PATCH", "accounts/{account}", "-f", "name=Raw Debug"),
    "not-found": (6, "account", "show", "--account", "acct_doesnotexist"),
    "logout": (0, "auth", "logout"),
}


def _assert_no_secret(result: Result, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in result.stderr, f"a secret leaked into stderr\n{result.describe()}"
        assert secret not in result.stdout, f"a secret leaked into stdout\n{result.describe()}"


def _assert_logged_requests(result: Result) -> None:
    # Otherwise the test would pass trivially because --debug did nothing.
    assert "/v1/" in result.stderr, f"--debug should log the requests\n{result.describe()}"


@pytest.fixture
def debug_login(portal: Portal) -> tuple[Result, str]:
    result = portal.login(OWNER, DEMO_PASSWORD, "--debug")
    return result, portal.token()


def test_login_with_password_stdin_debug_shows_no_secret(debug_login: tuple[Result, str]) -> None:
    result, token = debug_login
    _assert_logged_requests(result)
    _assert_no_secret(result, token, DEMO_PASSWORD)


@pytest.mark.parametrize("args", COMMANDS.values(), ids=COMMANDS.keys())
def test_debug_output_never_contains_the_token_or_password(
    portal: Portal, args: tuple[int | str, ...]
) -> None:
    token = portal.sign_in(OWNER)  # the token `portal auth token` would print (see the login test)
    account = portal.sandbox.get("me", token)["default_account_id"]
    exit_code, *words = args
    argv = [str(word).format(account=account) for word in words]
    result = portal.run(*argv, "--debug", exit_code=int(exit_code))
    _assert_logged_requests(result)
    _assert_no_secret(result, token, DEMO_PASSWORD)


def test_debug_right_after_portal_and_via_env(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    for result in (
        portal.run("--debug", "account", "show"),
        portal.run("account", "show", env={"PORTAL_DEBUG": "1"}),
    ):
        _assert_logged_requests(result)
        _assert_no_secret(result, token, DEMO_PASSWORD)


def test_login_with_token_debug_shows_no_token(portal: Portal, sandbox: Sandbox) -> None:
    token = sandbox.sign_in(OWNER)
    result = portal.run("auth", "login", "--with-token", "--debug", stdin=token + "\n")
    _assert_logged_requests(result)
    _assert_no_secret(result, token)


def test_portal_token_env_debug_shows_no_token(portal: Portal, sandbox: Sandbox) -> None:
    token = sandbox.sign_in(OWNER)
    result = portal.run("account", "show", "--debug", env={"PORTAL_TOKEN": token})
    _assert_logged_requests(result)
    _assert_no_secret(result, token)


def test_traceback_only_under_debug(portal: Portal) -> None:
    # Plain errors never show a traceback; --debug may, but still without the token.
    token = portal.sign_in(OWNER)
    plain = portal.run("account", "show", "--account", "acct_doesnotexist", exit_code=6)
    assert "Traceback" not in plain.stderr
    debugged = portal.run(
        "account", "show", "--account", "acct_doesnotexist", "--debug", exit_code=6
    )
    _assert_no_secret(debugged, token, DEMO_PASSWORD)


def test_close_with_password_stdin_debug_redacts_the_password(
    portal: Portal, sandbox: Sandbox
) -> None:
    token = portal.sign_in(OWNER)
    sales = sandbox.account_named(token, "Acme Sales")
    result = portal.run(
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
