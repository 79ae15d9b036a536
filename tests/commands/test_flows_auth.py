"""Signing in and out, profiles, two-factor codes on stdin, `config` and `api`: in-process
flows against the sandbox, with the keyring, the config dir and the server's state checked after
each step. The console script, a real terminal and a real Secret Service: tests/e2e, tests/pty
and tests/keyring."""

from __future__ import annotations

import json
import stat
import tomllib
from pathlib import Path

from support.harness import (
    ADMIN,
    DEMO_PASSWORD,
    MEMBER,
    OWNER,
    Sandbox,
    assert_one_line_error,
)
from support.inprocess import KEYRING_SERVICE, Portal
from support.keyrings import MemoryKeyring


def _stored_tokens(keyring: MemoryKeyring) -> dict[str, str]:
    """{keyring user: token} of portal's service."""
    return {
        user: pw for (service, user), pw in keyring.passwords.items() if service == KEYRING_SERVICE
    }


def _config(config_dir: Path) -> dict:
    path = config_dir / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


def test_login_stores_the_token_in_the_keyring_and_nowhere_else(
    portal: Portal, memory_keyring: MemoryKeyring, config_dir: Path
) -> None:
    result = portal.login(OWNER)
    assert f"Signed in to {portal.sandbox.url} as {OWNER}" in result.stderr
    assert result.stdout == ""
    token = portal.token()
    # Keyring user is <profile>@<host> (SPEC §3).
    assert _stored_tokens(memory_keyring) == {f"default@{portal.sandbox.url}": token}
    profile = _config(config_dir)["profiles"]["default"]
    assert profile["host"] == portal.sandbox.url
    assert profile["email"] == OWNER
    # No secret in any file of the config dir; the file and dir are private.
    for path in config_dir.rglob("*"):
        if path.is_file():
            assert token not in path.read_text(errors="replace"), path
            assert DEMO_PASSWORD not in path.read_text(errors="replace"), path
    config_file = config_dir / "config.toml"
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    # The token works against the API.
    assert portal.sandbox.get("me", token)["email"] == OWNER


def test_status_reports_host_user_and_token_source(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    status = portal.run("auth", "status")
    text = status.stdout + status.stderr
    assert portal.sandbox.url in text
    assert OWNER in text
    assert "keyring" in text
    assert token not in text
    dumped = json.dumps(portal.json("auth", "status"))
    assert OWNER in dumped and "keyring" in dumped
    assert token not in dumped


def test_logout_ends_the_session_and_forgets_the_token(
    portal: Portal, sandbox: Sandbox, memory_keyring: MemoryKeyring
) -> None:
    token = portal.sign_in(OWNER)
    portal.run("auth", "logout")
    assert _stored_tokens(memory_keyring) == {}
    assert sandbox.api("GET", "me", token).status_code == 401  # ended on the server too
    result = portal.run("account", "show", exit_code=4)
    assert_one_line_error(result)
    assert "portal auth login" in result.stderr
    portal.run("auth", "logout")  # signing out twice is fine


def test_profiles_keep_two_identities_apart(portal: Portal) -> None:
    portal.login(OWNER)
    portal.run(
        *("--profile", "work", "auth", "login", "--email", MEMBER, "--password-stdin"),
        stdin=DEMO_PASSWORD + "\n",
    )
    listed = portal.run("auth", "list").stdout
    assert "default" in listed and "work" in listed
    assert OWNER in listed and MEMBER in listed

    # The last login made `work` current; --profile picks another for one command.
    assert portal.run("api", "me").json()["email"] == MEMBER
    assert portal.run("api", "me", "--profile", "default").json()["email"] == OWNER
    portal.run("auth", "switch", "default")
    assert portal.run("api", "me").json()["email"] == OWNER

    result = portal.run("auth", "switch", "nosuchprofile", exit_code=2)
    assert_one_line_error(result)
    assert "work" in result.stderr and "default" in result.stderr


def test_auth_list_and_switch_between_profiles(portal: Portal) -> None:
    portal.login(OWNER)
    portal.login(ADMIN, DEMO_PASSWORD, "--profile", "work")
    listed = {row["profile"]: row for row in portal.json("auth", "list")}
    assert listed["work"]["email"] == ADMIN and listed["work"]["current"] is True
    assert listed["default"]["email"] == OWNER and listed["default"]["current"] is False

    portal.run("auth", "switch", "default")
    assert portal.run("auth", "status", "--jq", ".user").stdout.strip() == OWNER
    unknown = portal.run("auth", "switch", "nope", exit_code=2)
    assert "work" in assert_one_line_error(unknown, mentions="nope")


def test_with_token_signs_in_with_a_pasted_session_token(portal: Portal, sandbox: Sandbox) -> None:
    token = sandbox.sign_in(ADMIN)
    result = portal.run("auth", "login", "--with-token", stdin=token + "\n")
    assert ADMIN in result.stderr
    assert portal.token() == token
    assert portal.run("api", "me").json()["email"] == ADMIN


def test_login_with_an_api_key_remembers_its_account(portal: Portal, sandbox: Sandbox) -> None:
    token = sandbox.sign_in(OWNER)
    account = sandbox.account_named(token, "Acme Support")["id"]
    created = sandbox.api("POST", f"accounts/{account}/api_keys", token, json={"name": "ci"})
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]

    login = portal.run("auth", "login", "--with-token", "--profile", "ci", stdin=secret + "\n")
    assert "API key" in login.stderr and secret not in login.stderr
    status = portal.json("auth", "status")
    assert status["token_kind"] == "api_key" and status["account"] == account
    assert portal.run("account", "show", "--jq", ".id").stdout.strip() == account

    portal.run("auth", "login", "--with-token", stdin="sk_test_bogus\n", exit_code=4)


def test_portal_token_env_overrides_the_keyring(portal: Portal, sandbox: Sandbox) -> None:
    portal.sign_in(OWNER)
    member_token = sandbox.sign_in(MEMBER)
    me = portal.run("api", "me", env={"PORTAL_TOKEN": member_token}).json()
    assert me["email"] == MEMBER
    status = portal.run("auth", "status", env={"PORTAL_TOKEN": member_token})
    assert "env" in (status.stdout + status.stderr)


def test_reset_password_with_the_emailed_code(portal: Portal, sandbox: Sandbox) -> None:
    # No terminal: nothing is sent (the code could not be asked for); the error names the
    # flag to use. With a terminal the code is sent, then the prompt is answered.
    first = portal.run("auth", "reset-password", "--email", MEMBER, exit_code=2)
    assert "--password-stdin" in first.stderr
    assert not [m for m in sandbox.outbox() if m["to"] == MEMBER]
    sent = portal.run("auth", "reset-password", "--email", MEMBER, tty=True, exit_code=3)
    assert "a reset code is on its way" in sent.stderr
    code = next(m["code"] for m in reversed(sandbox.outbox()) if m["to"] == MEMBER)

    new_password = "a-much-better-password"
    portal.run(
        *("auth", "reset-password", "--email", MEMBER, "--have-code", "--password-stdin"),
        stdin=f"{code}\n{new_password}\n",
    )
    portal.login(MEMBER, DEMO_PASSWORD, exit_code=4)
    portal.login(MEMBER, new_password)


# --- two-factor codes without a terminal (SPEC §4, §5) --------------------------------------


def test_login_with_the_code_on_the_second_stdin_line(portal: Portal, sandbox: Sandbox) -> None:
    code = sandbox.enable_totp(OWNER).fresh_code(minutes=2)
    portal.run(
        *("auth", "login", "--email", OWNER, "--password-stdin"),
        stdin=f"{DEMO_PASSWORD}\n{code}\n",
    )
    me = portal.run("api", "me").json()
    assert me["email"] == OWNER and me["totp_enabled"] is True


def test_login_with_a_recovery_code(portal: Portal, sandbox: Sandbox) -> None:
    recovery = sandbox.enable_totp(OWNER).recovery_codes[0]
    stdin = f"{DEMO_PASSWORD}\n{recovery}\n"
    portal.run("auth", "login", "--email", OWNER, "--password-stdin", stdin=stdin)
    # A recovery code is accepted once.
    again = portal.run(
        *("auth", "login", "--email", OWNER, "--password-stdin"), stdin=stdin, exit_code=4
    )
    assert_one_line_error(again)


def test_login_with_a_wrong_code_is_exit_4(portal: Portal, sandbox: Sandbox) -> None:
    sandbox.enable_totp(OWNER)
    result = portal.run(
        *("auth", "login", "--email", OWNER, "--password-stdin"),
        stdin=f"{DEMO_PASSWORD}\n000000\n",
        exit_code=4,
    )
    assert_one_line_error(result)
    assert portal.stored_tokens() == []


def test_login_without_a_terminal_and_no_code_is_exit_4(portal: Portal, sandbox: Sandbox) -> None:
    sandbox.enable_totp(OWNER)
    result = portal.login(OWNER, exit_code=4)
    assert "Traceback" not in result.stderr
    assert "code" in result.stderr.lower()


# --- config and api ---------------------------------------------------------------------------


def test_config_set_get_list_unset_and_path(portal: Portal, config_dir: Path) -> None:
    portal.sign_in(OWNER)
    portal.run("config", "set", "format", "json")
    assert portal.run("config", "get", "format").stdout.strip() == "json"
    assert portal.run("account", "show").json()["object"] == "account"  # the preference applies
    assert "format" in portal.run("config", "list").stdout
    portal.run("config", "unset", "format")
    assert portal.run("config", "get", "format").stdout == ""  # unset: nothing, exit 0
    path = portal.run("config", "path").stdout.strip()
    assert path == str(config_dir / "config.toml")

    refused = portal.run("config", "set", "token", "pst_abc", exit_code=2)
    assert_one_line_error(refused, mentions="token")
    assert "portal auth login" in refused.stderr
    assert "pst_abc" not in (config_dir / "config.toml").read_text()
    bad_value = portal.run("config", "set", "format", "xml", exit_code=2)
    assert_one_line_error(bad_value, mentions="format")


def test_api_command_gets_posts_and_paginates(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    assert portal.run("api", "me").json()["email"] == OWNER
    assert portal.run("api", "GET", f"/v1/accounts/{account_id}").json()["id"] == account_id

    portal.run("api", "PATCH", f"accounts/{account_id}", "-f", "name=Via Raw API")
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == "Via Raw API"

    everything = sandbox.list_all(f"accounts/{account_id}/usage_records", token)
    assert len(everything) > 100, "the demo data should need more than one default page"
    paged = portal.run("api", "--paginate", f"accounts/{account_id}/usage_records").json()
    assert [r["id"] for r in paged] == [r["id"] for r in everything]
    assert portal.run("api", "me", "--jq", ".email").stdout == OWNER + "\n"


def test_api_fields_placeholders_and_methods(portal: Portal, sandbox: Sandbox) -> None:
    portal.login(OWNER)
    token = sandbox.sign_in(OWNER)
    account = sandbox.account_named(token, "Acme Support")["id"]
    assert portal.run("api", "accounts/{account}", "--jq", ".id").stdout.strip() == account

    renamed = portal.run("api", "PATCH", "accounts/{account}", "-f", "name=Renamed via api").json()
    assert renamed["name"] == "Renamed via api"

    invited = portal.run(
        *("api", "accounts/{account}/invitations"),
        *("-f", "emails[]=new1@example.test", "-f", "emails[]=new2@example.test"),
        *("-f", "role=member"),
    )
    body = invited.json()
    emails = {row["email"] for row in body["data"]} if "data" in body else {body["email"]}
    assert "new1@example.test" in emails

    records = portal.run(
        "api", "accounts/{account}/usage_records", "-f", "unit=sms", "--paginate"
    ).json()
    assert records and {row["unit"] for row in records} == {"sms"}

    bad_method = portal.run("api", "FETCH", "me", exit_code=2)
    assert_one_line_error(bad_method, mentions="FETCH")
    missing = portal.run("api", "accounts/acct_doesnotexist", exit_code=6)
    assert_one_line_error(missing)
    typed = portal.run("api", "-F", "x[=1", "me", exit_code=2)
    assert_one_line_error(typed, mentions="-F")
    assert json.loads(portal.run("api", "me").stdout)["email"] == OWNER
