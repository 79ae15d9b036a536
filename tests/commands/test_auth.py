"""`portal auth` in-process against the real sandbox: signing in and out, the stored token,
profiles, and the password reset by e-mail. Each bad input is one line, exit 2 naming what the
user typed, and changes nothing (no token stored, no session, no e-mail sent)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from support.demo import ADMIN, DEMO_PASSWORD, MEMBER, OUTSIDER, OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal

NEW_PASSWORD = "a-brand-new-passphrase"


def config_toml(config_dir: Path) -> dict[str, Any]:
    path = config_dir / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


def session_works(portal: Portal, token: str) -> bool:
    return portal.sandbox.api("GET", "me", token).status_code == 200


# --------------------------------------------------------------------------------------------
# login


@pytest.mark.parametrize("email", [OWNER, ADMIN, MEMBER, OUTSIDER])
def test_login_stores_the_token_and_remembers_who(
    portal: Portal, config_dir: Path, email: str
) -> None:
    result = portal.login(email)
    assert f"Signed in to {portal.sandbox.url} as {email}" in result.stderr
    [token] = portal.stored_tokens()
    assert session_works(portal, token)
    profile = config_toml(config_dir)["profiles"]["default"]
    # Sign-in also chooses the person's default account (and its org): commands after it
    # need not ask for it, and never write the profile themselves.
    default = portal.sandbox.get("me", token)["default_account_id"]
    org = portal.sandbox.get(f"accounts/{default}", token)["org_id"]
    assert profile == {"host": portal.sandbox.url, "email": email, "account": default, "org": org}
    status = portal.json("auth", "status")
    assert (status["user"], status["token_source"]) == (email, "keyring")


def test_login_with_a_two_factor_code_on_the_second_line(portal: Portal) -> None:
    two_factor = portal.sandbox.enable_totp(OWNER)
    code = two_factor.fresh_code(minutes=1)
    portal.run(
        "auth", "login", "--email", OWNER, "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{code}\n"
    )
    assert len(portal.stored_tokens()) == 1


def test_login_with_a_token_from_stdin(portal: Portal, config_dir: Path) -> None:
    token = portal.sandbox.sign_in(ADMIN)
    portal.run("auth", "login", "--with-token", stdin=token + "\n")
    assert portal.stored_tokens() == [token]
    assert config_toml(config_dir)["profiles"]["default"]["email"] == ADMIN


def test_login_into_another_profile_makes_it_current(portal: Portal, config_dir: Path) -> None:
    portal.login(OWNER)
    result = portal.login(MEMBER, DEMO_PASSWORD, "--profile", "work")
    assert "Profile 'work' is now the current profile" in result.stderr
    data = config_toml(config_dir)
    assert data["current_profile"] == "work"
    assert data["profiles"]["work"]["email"] == MEMBER
    assert data["profiles"]["default"]["email"] == OWNER


def test_a_wrong_password_is_exit_4_and_stores_nothing(portal: Portal, config_dir: Path) -> None:
    result = portal.login(OWNER, "not-the-password", exit_code=4)
    assert_one_line_error(result)
    assert portal.stored_tokens() == []
    assert not (config_dir / "config.toml").exists()


def test_a_missing_two_factor_code_is_exit_4(portal: Portal) -> None:
    portal.sandbox.enable_totp(OWNER)
    result = portal.login(OWNER, exit_code=4)
    assert_one_line_error(result, mentions="two-factor code")
    assert portal.stored_tokens() == []


@pytest.mark.parametrize(
    ("args", "stdin", "param"),
    [
        (("--email", "not-an-address", "--password-stdin"), DEMO_PASSWORD, "--email"),
        (("--email", "a\x1bb@example.com", "--password-stdin"), DEMO_PASSWORD, "--email"),
        (("--with-token", "--email", OWNER), "pst_x", "--with-token"),
        (("--with-token", "--password-stdin"), "pst_x", "--with-token"),
        (("--email", OWNER), None, "--password-stdin"),  # no terminal to ask on
        (("--email", OWNER, "--password-stdin"), "", "no password"),
    ],
)
def test_bad_login_input_is_one_line_exit_2_and_stores_nothing(
    portal: Portal, config_dir: Path, args: tuple[str, ...], stdin: str | None, param: str
) -> None:
    result = portal.run("auth", "login", *args, stdin=stdin, exit_code=2)
    assert_one_line_error(result, mentions=param)
    assert portal.stored_tokens() == []
    assert not (config_dir / "config.toml").exists()


def test_a_rejected_token_is_exit_4(portal: Portal) -> None:
    result = portal.run("auth", "login", "--with-token", stdin="pst_not_a_session\n", exit_code=4)
    assert_one_line_error(result, mentions="rejected")
    assert portal.stored_tokens() == []


# --------------------------------------------------------------------------------------------
# logout, status, token


def test_logout_ends_the_session_and_forgets_the_token(portal: Portal) -> None:
    portal.login(ADMIN)
    [token] = portal.stored_tokens()
    result = portal.run("auth", "logout")
    assert f"Signed out of {portal.sandbox.url}" in result.stderr
    assert portal.stored_tokens() == []
    assert not session_works(portal, token)
    again = portal.run("auth", "logout")
    assert "Not signed in" in again.stderr


def test_status_in_every_format(portal: Portal) -> None:
    portal.login(MEMBER)
    info = portal.json("auth", "status")
    assert info["user"] == MEMBER
    assert info["token_kind"] == "session"
    assert info["totp_enabled"] is False
    assert info["profile"] == "default"
    assert portal.run("auth", "status", "--jq", ".user").stdout == MEMBER + "\n"
    table = portal.run("auth", "status").stdout
    assert MEMBER in table and "keyring" in table


def test_status_says_when_the_session_expires_by_the_servers_clock(portal: Portal) -> None:
    """The server's clock is weeks away from this machine's: status still gets the time left
    right, because it uses the server's expires_in, not expires_at minus the local time."""
    portal.login(MEMBER)
    fresh = portal.json("auth", "status")
    assert 30 * 86400 - 60 < fresh["expires_in"] <= 30 * 86400
    assert fresh["expires_at"].startswith("2026-12-15T12:00")
    assert "in 29 days" in portal.run("auth", "status", tty=True).stdout
    portal.sandbox.clock("2026-12-15T11:30:30Z")  # 29.5 minutes before the session ends
    late = portal.run("auth", "status", "--json")
    assert 1700 < late.json()["expires_in"] <= 1800
    assert "warning: the session expires in 29 minutes" in late.stderr
    assert "portal auth login" in late.stderr


def test_status_with_an_api_key_has_no_expiry(portal: Portal) -> None:
    token = portal.sandbox.sign_in(OWNER)
    account = portal.sandbox.get("me", token)["default_account_id"]
    key = portal.sandbox.api(
        "POST", f"accounts/{account}/api_keys", token, json={"name": "status"}
    ).json()["secret"]
    info = portal.json("auth", "status", env={"PORTAL_TOKEN": key})
    assert info["token_kind"] == "api_key"
    assert info["expires_in"] is None and info["expires_at"] is None


def test_status_signed_out_is_exit_4(portal: Portal) -> None:
    result = portal.run("auth", "status", exit_code=4)
    assert_one_line_error(result, mentions="not signed in")
    error = json.loads(portal.run("auth", "status", "--json", exit_code=4).stderr)["error"]
    assert error["type"] == "authentication_error"


def test_status_with_an_ended_session_is_exit_4(portal: Portal) -> None:
    token = portal.sign_in(OUTSIDER)
    portal.sandbox.api("DELETE", "auth/sessions/current", token)
    result = portal.run("auth", "status", exit_code=4)
    assert_one_line_error(result, mentions="not valid")


def test_token_prints_the_stored_token(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    assert portal.run("auth", "token").stdout == token + "\n"
    portal.run("auth", "token", "--profile", "nobody", exit_code=4)


# --------------------------------------------------------------------------------------------
# list, switch


def test_list_and_switch_profiles(portal: Portal, config_dir: Path) -> None:
    portal.login(OWNER)
    portal.login(MEMBER, DEMO_PASSWORD, "--profile", "work")
    rows = portal.json("auth", "list")
    assert [(r["profile"], r["current"], r["email"]) for r in rows] == [
        ("default", False, OWNER),
        ("work", True, MEMBER),
    ]
    result = portal.run("auth", "switch", "default")
    assert f"Switched to profile 'default' ({OWNER} on {portal.sandbox.url})" in result.stderr
    assert config_toml(config_dir)["current_profile"] == "default"
    assert portal.json("auth", "status")["user"] == OWNER
    tsv = portal.run("auth", "list").stdout.splitlines()
    assert tsv[0].split("\t") == ["Current", "Profile", "Host", "Email", "Account"]


def test_list_with_no_config_file_shows_the_default_profile(portal: Portal) -> None:
    assert [row["profile"] for row in portal.json("auth", "list")] == ["default"]


@pytest.mark.parametrize(("name", "mentions"), [("nope", "unknown profile"), (" ", "PROFILE")])
def test_switch_to_a_bad_profile_is_exit_2_and_changes_nothing(
    portal: Portal, config_dir: Path, name: str, mentions: str
) -> None:
    portal.login(OWNER)
    before = (config_dir / "config.toml").read_text()
    result = portal.run("auth", "switch", name, exit_code=2)
    assert_one_line_error(result, mentions=mentions)
    assert (config_dir / "config.toml").read_text() == before


# --------------------------------------------------------------------------------------------
# reset-password


def reset_code(portal: Portal, email: str) -> str:
    [mail] = [m for m in portal.sandbox.outbox() if m["to"] == email]
    return str(mail["code"])


def test_reset_password_with_a_code_already_received(portal: Portal) -> None:
    portal.sandbox.api("POST", "auth/password_resets", json={"email": MEMBER})
    code = reset_code(portal, MEMBER)
    result = portal.run(
        "auth",
        "reset-password",
        "--email",
        MEMBER,
        "--have-code",
        "--password-stdin",
        stdin=f"{code}\n{NEW_PASSWORD}\n",
    )
    assert f"Password changed for {MEMBER}" in result.stderr
    assert len(portal.sandbox.outbox()) == 1  # --have-code sends no new one
    portal.sandbox.sign_in(MEMBER, NEW_PASSWORD)


def test_reset_password_on_a_terminal_sends_then_asks(portal: Portal) -> None:
    result = portal.run(
        "auth",
        "reset-password",
        "--email",
        ADMIN,
        tty=True,
        stdin="000000\nshort\nshort\n",
        exit_code=2,
    )
    assert "a reset code is on its way" in result.stderr
    assert len(portal.sandbox.outbox()) == 1
    mismatch = portal.run(
        "auth",
        "reset-password",
        "--email",
        ADMIN,
        "--have-code",
        tty=True,
        stdin=f"{reset_code(portal, ADMIN)}\n{NEW_PASSWORD}\n{NEW_PASSWORD}x\n",
        exit_code=2,
    )
    assert mismatch.stderr.endswith("error: the two passwords do not match\n")
    portal.sandbox.sign_in(ADMIN, DEMO_PASSWORD)  # unchanged


@pytest.mark.parametrize(
    ("stdin", "mentions"),
    [
        ("\n", "code"),
        ("123456\nshort\n", "at least 10 characters"),
        ("123456\n", "new password"),
    ],
)
def test_bad_reset_input_is_exit_2_and_keeps_the_password(
    portal: Portal, stdin: str, mentions: str
) -> None:
    result = portal.run(
        "auth",
        "reset-password",
        "--email",
        OWNER,
        "--have-code",
        "--password-stdin",
        stdin=stdin,
        exit_code=2,
    )
    assert_one_line_error(result, mentions=mentions)
    portal.sandbox.sign_in(OWNER, DEMO_PASSWORD)


def test_reset_password_with_a_wrong_code_keeps_the_password(portal: Portal) -> None:
    result = portal.run(
        "auth",
        "reset-password",
        "--email",
        OWNER,
        "--have-code",
        "--password-stdin",
        stdin=f"999999\n{NEW_PASSWORD}\n",
        exit_code=None,
    )
    assert result.code != 0
    assert_one_line_error(result)
    portal.sandbox.sign_in(OWNER, DEMO_PASSWORD)


def test_reset_password_for_a_bad_address_is_exit_2_naming_email(portal: Portal) -> None:
    result = portal.run("auth", "reset-password", "--email", "nobody", exit_code=2)
    assert_one_line_error(result, mentions="--email")
    assert portal.sandbox.outbox() == []


@pytest.mark.parametrize(
    ("tty", "env"), [(False, {}), (True, {"PORTAL_NO_PROMPT": "1"})], ids=["pipe", "no-prompt"]
)
def test_reset_password_that_cannot_ask_for_the_code_sends_nothing(
    portal: Portal, tty: bool, env: dict[str, str]
) -> None:
    result = portal.run("auth", "reset-password", "--email", OWNER, tty=tty, env=env, exit_code=2)
    assert_one_line_error(result, mentions="--password-stdin")
    assert "on its way" not in result.stderr
    assert portal.sandbox.outbox() == []


def test_reset_password_reading_stdin_still_sends_the_code_first(portal: Portal) -> None:
    # The code is not known yet, so stdin has only a guess: the e-mail goes out all the same.
    portal.run(
        "auth",
        "reset-password",
        "--email",
        OWNER,
        "--password-stdin",
        stdin=f"000000\n{NEW_PASSWORD}\n",
        exit_code=None,
    )
    assert [mail["to"] for mail in portal.sandbox.outbox()] == [OWNER]


def test_plain_text_storage_is_said_in_status_not_by_token(portal: Portal) -> None:
    login = portal.run(
        "auth",
        "login",
        "--email",
        OWNER,
        "--password-stdin",
        "--insecure-storage",
        stdin="chathq-demo\n",
    )
    assert "plain text" in login.stderr
    status = portal.run("auth", "status")
    assert "plain text" in status.stderr
    token = portal.run("auth", "token")
    assert token.stderr == ""  # for piping: the token, and nothing said
