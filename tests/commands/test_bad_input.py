"""Bad input (SPEC §8): a one-line error naming the parameter, the documented exit code, no
traceback, and nothing changed on the server."""

from __future__ import annotations

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Sandbox, assert_error, assert_one_line_error
from support.inprocess import Portal

BAD_NAMES = {
    "empty": "",
    "blank": "   ",
    "too-long": "n" * 10_000,
    "control-character": "a\x07b",
    "escape-sequence": "evil\x1b[31mred",
}


@pytest.fixture
def owner(portal: Portal, sandbox: Sandbox) -> dict:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    account = sandbox.get(f"accounts/{account_id}", token)
    return {"token": token, "account": account}


def _no_raw_control_chars(text: str) -> None:
    assert "\x07" not in text and "\x1b" not in text, repr(text)


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_account_rename_rejects_bad_names(
    portal: Portal, sandbox: Sandbox, owner: dict, name: str
) -> None:
    result = portal.run("account", "rename", name, exit_code=2)
    assert_one_line_error(result, mentions="name")
    _no_raw_control_chars(result.stderr)
    assert len(result.stderr) < 1000, "the error must not echo a 10,000-character name"
    account = owner["account"]
    assert sandbox.get(f"accounts/{account['id']}", owner["token"])["name"] == account["name"]


ORG_BAD_NAMES = {k: BAD_NAMES[k] for k in ("empty", "too-long", "control-character")}


@pytest.mark.parametrize("name", ORG_BAD_NAMES.values(), ids=ORG_BAD_NAMES.keys())
def test_org_create_rejects_bad_names(
    portal: Portal, sandbox: Sandbox, owner: dict, name: str
) -> None:
    before = sandbox.list_all("orgs", owner["token"])
    result = portal.run("org", "create", name, exit_code=2)
    assert_one_line_error(result, mentions="name")
    _no_raw_control_chars(result.stderr)
    assert sandbox.list_all("orgs", owner["token"]) == before


def test_org_update_rejects_a_bad_name_and_needs_a_field(
    portal: Portal, sandbox: Sandbox, owner: dict
) -> None:
    before = sandbox.list_all("orgs", owner["token"])
    result = portal.run("org", "update", "--name", "", exit_code=2)
    assert_one_line_error(result, mentions="name")
    nothing = portal.run("org", "update", exit_code=2)
    assert_one_line_error(nothing)
    bad_email = portal.run("org", "update", "--billing-email", "not-an-email", exit_code=2)
    assert_one_line_error(bad_email, mentions="email")
    assert sandbox.list_all("orgs", owner["token"]) == before


def test_login_rejects_a_malformed_email(portal: Portal) -> None:
    result = portal.login("not-an-email", exit_code=2)
    assert_one_line_error(result, mentions="email")
    assert portal.stored_tokens() == []


def test_login_with_an_empty_password_on_stdin(portal: Portal) -> None:
    result = portal.run(
        "auth", "login", "--email", OWNER, "--password-stdin", stdin="\n", exit_code=2
    )
    assert_one_line_error(result, mentions="password")


def test_unknown_account_id_everywhere(portal: Portal, sandbox: Sandbox, owner: dict) -> None:
    for args in (
        ("account", "show", "--account", "acct_doesnotexist"),
        ("account", "rename", "New Name", "--account", "acct_doesnotexist"),
        ("account", "package", "--account", "acct_doesnotexist"),
        ("account", "dashboard", "--account", "acct_doesnotexist"),
        ("account", "use", "acct_doesnotexist"),
    ):
        assert_one_line_error(portal.run(*args, exit_code=6))
    # A failed `use` does not replace the remembered account.
    assert portal.run("account", "id").stdout.strip() == owner["account"]["id"]


def test_unknown_org_id(portal: Portal, owner: dict) -> None:
    assert_one_line_error(portal.run("org", "use", "org_doesnotexist", exit_code=6))
    assert_one_line_error(portal.run("org", "show", "--org", "org_doesnotexist", exit_code=6))


def test_a_closed_account_is_not_found_with_a_hint(
    portal: Portal, sandbox: Sandbox, owner: dict
) -> None:
    token = owner["token"]
    sales = sandbox.account_named(token, "Acme Sales")
    portal.run("account", "use", sales["id"])
    closed = sandbox.api(
        "POST",
        f"accounts/{sales['id']}/close",
        token,
        json={"confirm_name": "Acme Sales", "password": DEMO_PASSWORD},
    )
    assert closed.status_code == 200, closed.text

    # The remembered account is gone: exit 6, and the hint says how to pick another one.
    result = portal.run("account", "show", exit_code=6)
    assert_one_line_error(result)
    assert "portal account use" in result.stderr
    renamed = portal.run(
        "account", "rename", "Back From The Dead", "--account", sales["id"], exit_code=6
    )
    assert_one_line_error(renamed)
    assert_one_line_error(portal.run("account", "use", sales["id"], exit_code=6))
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 404


def test_wrong_arity_and_unknown_commands(portal: Portal) -> None:
    assert_one_line_error(portal.run("account", "rename", exit_code=2))
    assert_one_line_error(portal.run("account", "frobnicate", exit_code=2))
    assert_one_line_error(portal.run("account", "rename", "a", "b", exit_code=2))


def test_no_prompt_without_a_terminal(portal: Portal) -> None:
    # Asking for the password needs a TTY; with none, say which flag to use (exit 2).
    result = portal.run("auth", "login", "--email", OWNER, exit_code=2)
    assert_one_line_error(result, mentions="--password-stdin")


def test_close_without_a_terminal_asks_for_yes(
    portal: Portal, sandbox: Sandbox, owner: dict
) -> None:
    result = portal.run("account", "close", exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    account = owner["account"]
    assert sandbox.get(f"accounts/{account['id']}", owner["token"])["status"] == "open"


def test_bad_names_are_refused_before_any_request(portal: Portal, owner: dict) -> None:
    # --debug logs every request: a name refused locally must not have been sent at all.
    result = portal.run("account", "rename", "a\x07b", "--debug", exit_code=2)
    assert "PATCH" not in result.stderr, result.describe()
    result = portal.run("org", "create", "", "--debug", exit_code=2)
    assert "POST" not in result.stderr, result.describe()


def test_empty_ids_are_usage_errors_not_ignored(portal: Portal, owner: dict) -> None:
    # An explicit empty value is bad input (SPEC §8: "empty strings"), not "use the default".
    assert_one_line_error(
        portal.run("account", "show", "--account", "", exit_code=2), mentions="account"
    )
    assert_one_line_error(portal.run("account", "use", "", exit_code=2), mentions="account")
    assert_one_line_error(portal.run("org", "use", "", exit_code=2), mentions="org")
    assert portal.run("account", "id").stdout.strip() == owner["account"]["id"]


def test_control_characters_in_ids_and_paths(portal: Portal, owner: dict) -> None:
    # The server's "no such account" message echoes the id: the escape must not reach the terminal.
    result = portal.run("account", "show", "--account", "acct_x\x1b[31mred", exit_code=6)
    assert_one_line_error(result)
    _no_raw_control_chars(result.stderr)
    # A raw API path with a control character is bad input (exit 2), not an "unexpected error".
    raw = portal.run("api", "GET", "accounts/acct_\x1b[31mred", exit_code=2)
    assert_error(raw)
    assert "unexpected error" not in raw.stderr
    _no_raw_control_chars(raw.stderr)
