"""Everyday flows against the real sandbox: sign in, look, rename, switch org/account/profile."""

from __future__ import annotations

import json
import stat
import tomllib

import pytest

from support.harness import ADMIN, DEMO_PASSWORD, MEMBER, OWNER, Cli, Sandbox, assert_one_line_error

pytestmark = pytest.mark.e2e


def _stored_tokens(cli: Cli) -> dict[str, str]:
    if not cli.keyring_file.exists():
        return {}
    return json.loads(cli.keyring_file.read_text()).get("chathq-cli", {})


def _config(cli: Cli) -> dict:
    path = cli.config_dir / "config.toml"
    return tomllib.loads(path.read_text()) if path.exists() else {}


def test_login_stores_the_token_in_the_keyring_and_nowhere_else(cli: Cli) -> None:
    result = cli.login(OWNER)
    assert f"Signed in to {cli.sandbox.url} as {OWNER}" in result.stderr
    assert result.stdout == ""
    token = cli.token()
    # Keyring user is <profile>@<host> (SPEC §3).
    assert _stored_tokens(cli) == {f"default@{cli.sandbox.url}": token}
    profile = _config(cli)["profiles"]["default"]
    assert profile["host"] == cli.sandbox.url
    assert profile["email"] == OWNER
    # No secret in any file of the config dir; the file and dir are private.
    for path in cli.config_dir.rglob("*"):
        if path.is_file():
            assert token not in path.read_text(errors="replace"), path
            assert DEMO_PASSWORD not in path.read_text(errors="replace"), path
    config_file = cli.config_dir / "config.toml"
    assert stat.S_IMODE(config_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.config_dir.stat().st_mode) == 0o700
    # The token works against the API.
    assert cli.sandbox.get("me", token)["email"] == OWNER


def test_status_reports_host_user_and_token_source(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    status = cli.run("auth", "status")
    text = status.stdout + status.stderr
    assert cli.sandbox.url in text
    assert OWNER in text
    assert "keyring" in text
    assert token not in text
    dumped = json.dumps(cli.run("auth", "status", "--json").json())
    assert OWNER in dumped and "keyring" in dumped
    assert token not in dumped


def test_logout_ends_the_session_and_forgets_the_token(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    cli.run("auth", "logout")
    assert _stored_tokens(cli) == {}
    assert sandbox.api("GET", "me", token).status_code == 401  # ended on the server too
    result = cli.run("account", "show", exit_code=4)
    assert_one_line_error(result)
    assert "portal auth login" in result.stderr
    cli.run("auth", "logout")  # signing out twice is fine


def test_account_show_uses_the_default_account_and_leaves_the_profile(
    cli: Cli, sandbox: Sandbox
) -> None:
    api_token = cli.sign_in(OWNER)
    default = sandbox.get("me", api_token)["default_account_id"]
    expected = sandbox.get(f"accounts/{default}", api_token)
    shown = cli.run("account", "show")
    assert expected["name"] in shown.stdout
    assert default in shown.stdout
    assert cli.run("account", "id").stdout == default + "\n"
    assert "account" not in _config(cli).get("profiles", {}).get("default", {})


def test_account_rename_changes_the_name_on_the_server(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    cli.run("account", "rename", "Acme Helpdesk")
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == "Acme Helpdesk"
    assert cli.run("account", "show", "--json").json()["name"] == "Acme Helpdesk"


def test_account_use_switches_by_name_and_by_id(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    support = sandbox.account_named(token, "Acme Support")
    sales = sandbox.account_named(token, "Acme Sales")

    cli.run("account", "use", "Acme Sales")
    shown = cli.run("account", "show", "--json").json()
    assert (shown["id"], shown["name"]) == (sales["id"], "Acme Sales")

    cli.run("account", "use", support["id"])
    assert cli.run("account", "show", "--json").json()["id"] == support["id"]

    # --account and PORTAL_ACCOUNT override for one command only.
    assert (
        cli.run("account", "show", "--json", "--account", sales["id"]).json()["id"] == sales["id"]
    )
    shown = cli.run("account", "show", "--json", env={"PORTAL_ACCOUNT": sales["id"]}).json()
    assert shown["id"] == sales["id"]
    assert cli.run("account", "id").stdout.strip() == support["id"]


def test_account_list_shows_the_current_orgs_accounts(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    acme = sandbox.org_named(token, "Acme")
    expected = {a["id"] for a in sandbox.list_all(f"orgs/{acme['id']}/accounts", token)}
    listed = cli.run("account", "list", "--json").json()
    assert {row["id"] for row in listed} == expected


def test_org_create_list_and_use_switch_the_current_org(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    acme = sandbox.org_named(token, "Acme")

    cli.run("org", "create", "Initech")
    initech = sandbox.org_named(token, "Initech")
    created = sandbox.api(
        "POST",
        f"orgs/{initech['id']}/accounts",
        token,
        json={"name": "Initech Main", "plan": "connect"},
    )
    assert created.status_code == 201, created.text

    names = {org["name"] for org in cli.run("org", "list", "--json").json()}
    assert {"Acme", "Initech"} <= names

    cli.run("org", "use", "Initech")
    assert cli.run("org", "show", "--json").json()["id"] == initech["id"]
    assert [a["name"] for a in cli.run("account", "list", "--json").json()] == ["Initech Main"]
    # The remembered account belonged to Acme; after the switch the current account is Initech's.
    assert cli.run("account", "show", "--json").json()["org_id"] == initech["id"]

    cli.run("org", "use", acme["id"])
    assert cli.run("org", "show", "--json").json()["name"] == "Acme"
    listed = {a["name"] for a in cli.run("account", "list", "--json").json()}
    assert {"Acme Support", "Acme Sales"} <= listed


def test_profiles_keep_two_identities_apart(cli: Cli) -> None:
    cli.login(OWNER)
    cli.run(
        "--profile",
        "work",
        "auth",
        "login",
        "--email",
        MEMBER,
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
    )
    listed = cli.run("auth", "list").stdout
    assert "default" in listed and "work" in listed
    assert OWNER in listed and MEMBER in listed

    # The last login made `work` current; --profile picks another for one command.
    assert cli.run("api", "me").json()["email"] == MEMBER
    assert cli.run("api", "me", "--profile", "default").json()["email"] == OWNER
    cli.run("auth", "switch", "default")
    assert cli.run("api", "me").json()["email"] == OWNER

    result = cli.run("auth", "switch", "nosuchprofile", exit_code=2)
    assert_one_line_error(result)
    assert "work" in result.stderr and "default" in result.stderr


def test_with_token_signs_in_with_a_pasted_session_token(cli: Cli, sandbox: Sandbox) -> None:
    token = sandbox.sign_in(ADMIN)
    result = cli.run("auth", "login", "--with-token", stdin=token + "\n")
    assert ADMIN in result.stderr
    assert cli.token() == token
    assert cli.run("api", "me").json()["email"] == ADMIN


def test_portal_token_env_overrides_the_keyring(cli: Cli, sandbox: Sandbox) -> None:
    cli.sign_in(OWNER)
    member_token = sandbox.sign_in(MEMBER)
    me = cli.run("api", "me", env={"PORTAL_TOKEN": member_token}).json()
    assert me["email"] == MEMBER
    status = cli.run("auth", "status", env={"PORTAL_TOKEN": member_token})
    assert "env" in (status.stdout + status.stderr)


def test_config_set_get_list_unset_and_path(cli: Cli) -> None:
    cli.sign_in(OWNER)
    cli.run("config", "set", "format", "json")
    assert cli.run("config", "get", "format").stdout.strip() == "json"
    assert cli.run("account", "show").json()["object"] == "account"  # the preference applies
    assert "format" in cli.run("config", "list").stdout
    cli.run("config", "unset", "format")
    assert cli.run("config", "get", "format", exit_code=None).stdout.strip() in ("", "null")
    path = cli.run("config", "path").stdout.strip()
    assert path == str(cli.config_dir / "config.toml")

    refused = cli.run("config", "set", "token", "pst_abc", exit_code=2)
    assert_one_line_error(refused, mentions="token")
    assert "portal auth login" in refused.stderr
    assert "pst_abc" not in (cli.config_dir / "config.toml").read_text()
    bad_value = cli.run("config", "set", "format", "xml", exit_code=2)
    assert_one_line_error(bad_value, mentions="format")


def test_api_command_gets_posts_and_paginates(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    assert cli.run("api", "me").json()["email"] == OWNER
    assert cli.run("api", "GET", f"/v1/accounts/{account_id}").json()["id"] == account_id

    cli.run("api", "PATCH", f"accounts/{account_id}", "-f", "name=Via Raw API")
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == "Via Raw API"

    everything = sandbox.list_all(f"accounts/{account_id}/usage_records", token)
    assert len(everything) > 100, "the demo data should need more than one default page"
    paged = cli.run("api", "--paginate", f"accounts/{account_id}/usage_records").json()
    assert [r["id"] for r in paged] == [r["id"] for r in everything]
    assert cli.run("api", "me", "--jq", ".email").stdout == OWNER + "\n"


def test_account_close_with_yes_and_password_stdin(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    sales = sandbox.account_named(token, "Acme Sales")
    result = cli.run(
        "account",
        "close",
        "--account",
        sales["id"],
        "--yes",
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
    )
    assert "Acme Sales" in result.stderr
    assert sandbox.api("GET", f"accounts/{sales['id']}", token).status_code == 404
    others = {a["id"] for a in sandbox.accounts(token)}
    assert sales["id"] not in others and others, "only that account is closed"
