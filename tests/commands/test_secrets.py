"""`portal secrets`: API keys listed masked, created and rolled with the secret shown once,
revoked with confirmation; checked against the sandbox's state after every change."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from chathq_cli.commands.secrets import keys as secrets_module
from support.demo import ADMIN, MEMBER, OWNER, SANDBOX_NOW
from support.harness import assert_one_line_error
from support.inprocess import Portal

NOW = datetime.fromisoformat(SANDBOX_NOW.replace("Z", "+00:00"))


@pytest.fixture(autouse=True)
def _sandbox_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """--expires-in counts from this machine's clock; pin it to the sandbox's."""
    monkeypatch.setattr(secrets_module, "_now", lambda: NOW)


@pytest.fixture
def owner(portal: Portal) -> tuple[str, str]:
    """(token, the owner's default account id: Acme Support)."""
    token = portal.sign_in(OWNER)
    return token, portal.sandbox.get("me", token)["default_account_id"]


def keys(portal: Portal, token: str, account: str) -> list[dict[str, Any]]:
    return portal.sandbox.list_all(f"accounts/{account}/api_keys", token)


def key_named(portal: Portal, token: str, account: str, name: str) -> dict[str, Any]:
    (found,) = [k for k in keys(portal, token, account) if k["name"] == name]
    return found


def works(portal: Portal, secret: str, account: str) -> bool:
    """Whether the server accepts `secret` as a bearer token."""
    status = portal.sandbox.api("GET", f"accounts/{account}", secret).status_code
    assert status in (200, 401), status
    return status == 200


# -- list ---------------------------------------------------------------------------------------


def test_list_json_has_the_api_fields_and_never_a_secret(portal: Portal, owner) -> None:
    rows = portal.json("secrets", "list")
    assert {r["name"] for r in rows} == {"CI deploy", "Zapier"}
    for row in rows:
        assert "secret" not in row
        assert row["id"].startswith("key_") and row["prefix"].startswith("sk_")
        assert {"status", "created_at", "expires_at", "last_used_at", "last4"} <= set(row)


def test_list_piped_is_tsv_with_the_masked_key(portal: Portal, owner) -> None:
    token, account = owner
    result = portal.run("secrets", "list")
    header, *lines = result.stdout.splitlines()
    assert header.split("\t") == ["ID", "Name", "Key", "Status", "Created", "Expires", "Last used"]
    zapier = key_named(portal, token, account, "Zapier")
    assert f"{zapier['prefix']}…{zapier['last4']}" in result.stdout
    assert len(lines) == 2


def test_list_csv(portal: Portal, owner) -> None:
    result = portal.run("secrets", "list", "--format", "csv")
    assert result.stdout.splitlines()[0] == (
        "id,name,masked,status,created_at,expires_at,last_used_at"
    )


@pytest.mark.parametrize("columns", [80, 100, 140])
def test_list_table_fits_the_terminal(portal: Portal, owner, columns: int) -> None:
    result = portal.run("secrets", "list", tty=True, columns=columns)
    lines = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout).splitlines()
    assert all(len(line) <= columns for line in lines), result.stdout
    assert "CI deploy" in result.stdout and "…" in result.stdout
    # The created day is the first column to go when space runs short; the ID never goes.
    assert lines[0].startswith("ID")
    assert ("Created" in lines[0]) is (columns >= 100)


# -- add ----------------------------------------------------------------------------------------


def test_add_prints_only_the_secret_on_stdout_when_piped(portal: Portal, owner) -> None:
    token, account = owner
    result = portal.run("secrets", "add", "ci")
    secret = result.stdout.strip()
    assert result.stdout == secret + "\n" and secret.startswith("sk_")
    assert "will not be shown again" in result.stderr
    assert secret not in result.stderr
    created = key_named(portal, token, account, "ci")
    assert created["status"] == "active" and created["expires_at"] is None
    assert secret.endswith(created["last4"]) and secret.startswith(created["prefix"])
    assert works(portal, secret, account)


def test_add_json_includes_the_secret_and_expiry(portal: Portal, owner) -> None:
    token, account = owner
    data = portal.json("secrets", "add", "deploy bot", "--expires-in", "90d")
    assert data["object"] == "api_key" and data["secret"].startswith("sk_")
    expected = NOW + timedelta(days=90)
    assert datetime.fromisoformat(data["expires_at"].replace("Z", "+00:00")) == expected
    assert key_named(portal, token, account, "deploy bot")["expires_at"] == data["expires_at"]
    assert works(portal, data["secret"], account)


def test_add_csv_includes_the_secret_once(portal: Portal, owner) -> None:
    result = portal.run("secrets", "add", "csv key", "--format", "csv")
    header, row = result.stdout.splitlines()
    assert header.startswith("id,name,secret,")
    assert row.split(",")[2].startswith("sk_")


def test_add_on_a_terminal_still_prints_the_secret_alone(portal: Portal, owner) -> None:
    result = portal.run("secrets", "add", "ci", tty=True)
    assert result.stdout.strip().startswith("sk_") and len(result.stdout.splitlines()) == 1


def test_an_added_key_expires_with_the_sandbox_clock(portal: Portal, owner) -> None:
    _, account = owner
    secret = portal.run("secrets", "add", "short", "--expires-in", "90m").stdout.strip()
    assert works(portal, secret, account)
    portal.sandbox.clock((NOW + timedelta(minutes=91)).isoformat())
    assert not works(portal, secret, account)


# -- revoke -------------------------------------------------------------------------------------


def test_revoke_by_name_with_yes(portal: Portal, owner) -> None:
    token, account = owner
    secret = portal.run("secrets", "add", "temp").stdout.strip()
    result = portal.run("secrets", "revoke", "temp", "--yes")
    assert "Revoked API key temp" in result.stderr and result.stdout == ""
    assert key_named(portal, token, account, "temp")["status"] == "revoked"
    assert not works(portal, secret, account)


def test_revoke_by_id_json(portal: Portal, owner) -> None:
    token, account = owner
    zapier = key_named(portal, token, account, "Zapier")
    data = portal.json("secrets", "revoke", zapier["id"], "--yes")
    assert data["id"] == zapier["id"] and data["status"] == "revoked" and "secret" not in data
    assert key_named(portal, token, account, "Zapier")["status"] == "revoked"


def test_revoke_asks_on_a_terminal(portal: Portal, owner) -> None:
    token, account = owner
    declined = portal.run("secrets", "revoke", "Zapier", tty=True, stdin="n\n", exit_code=3)
    assert "Revoke API key Zapier" in declined.stderr
    assert key_named(portal, token, account, "Zapier")["status"] == "active"
    portal.run("secrets", "revoke", "Zapier", tty=True, stdin="y\n")
    assert key_named(portal, token, account, "Zapier")["status"] == "revoked"


def test_revoke_without_a_terminal_needs_yes(portal: Portal, owner) -> None:
    token, account = owner
    result = portal.run("secrets", "revoke", "Zapier", exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    assert key_named(portal, token, account, "Zapier")["status"] == "active"


def test_revoke_an_ambiguous_name_lists_the_ids(portal: Portal, owner) -> None:
    token, account = owner
    first = portal.json("secrets", "add", "ci")["id"]
    second = portal.json("secrets", "add", "ci")["id"]
    result = portal.run("secrets", "revoke", "ci", "--yes", exit_code=2)
    line = assert_one_line_error(result)
    assert first in line and second in line
    assert {k["status"] for k in keys(portal, token, account) if k["name"] == "ci"} == {"active"}
    portal.run("secrets", "revoke", first, "--yes")  # the ID settles it


def test_revoke_a_revoked_name_again_is_exit_0(portal: Portal, owner) -> None:
    portal.run("secrets", "revoke", "Zapier", "--yes")
    result = portal.run("secrets", "revoke", "Zapier", "--yes")
    assert "Zapier" in result.stderr and "already revoked; nothing changed" in result.stderr


def test_an_active_key_wins_over_a_revoked_one_of_the_same_name(portal: Portal, owner) -> None:
    token, account = owner
    old = portal.json("secrets", "add", "ci")["id"]
    portal.run("secrets", "revoke", old, "--yes")
    new = portal.json("secrets", "add", "ci")["id"]
    portal.run("secrets", "revoke", "ci", "--yes")
    statuses = {k["id"]: k["status"] for k in keys(portal, token, account)}
    assert statuses[old] == statuses[new] == "revoked"


# -- roll ---------------------------------------------------------------------------------------


def test_roll_keeps_the_old_secret_for_the_grace_period(portal: Portal, owner) -> None:
    token, account = owner
    old = portal.run("secrets", "add", "ci").stdout.strip()
    result = portal.run("secrets", "roll", "ci", "--old-expires-in", "1h")
    new = result.stdout.strip()
    assert new.startswith("sk_") and new != old and result.stdout == new + "\n"
    assert "keeps working for 1 hour" in result.stderr
    assert "will not be shown again" in result.stderr
    rolled = key_named(portal, token, account, "ci")
    assert new.endswith(rolled["last4"]) and rolled["status"] == "active"
    assert works(portal, old, account) and works(portal, new, account)
    portal.sandbox.clock((NOW + timedelta(minutes=61)).isoformat())
    assert not works(portal, old, account) and works(portal, new, account)


def test_roll_defaults_to_a_24_hour_grace(portal: Portal, owner) -> None:
    _, account = owner
    old = portal.run("secrets", "add", "ci").stdout.strip()
    portal.run("secrets", "roll", "ci")
    portal.sandbox.clock((NOW + timedelta(hours=23)).isoformat())
    assert works(portal, old, account)
    portal.sandbox.clock((NOW + timedelta(hours=25)).isoformat())
    assert not works(portal, old, account)


def test_roll_with_zero_grace_stops_the_old_secret_now(portal: Portal, owner) -> None:
    _, account = owner
    old = portal.run("secrets", "add", "ci").stdout.strip()
    data = portal.json("secrets", "roll", "ci", "--old-expires-in", "0", "--yes")
    assert data["secret"].startswith("sk_")
    assert not works(portal, old, account) and works(portal, data["secret"], account)


def test_roll_with_zero_grace_asks_on_a_terminal(portal: Portal, owner) -> None:
    _, account = owner
    old = portal.run("secrets", "add", "ci").stdout.strip()
    declined = portal.run(
        "secrets", "roll", "ci", "--old-expires-in", "0", tty=True, stdin="n\n", exit_code=3
    )
    assert "Roll API key ci" in declined.stderr and "stops working at once" in declined.stderr
    assert works(portal, old, account)
    rolled = portal.run("secrets", "roll", "ci", "--old-expires-in", "now", tty=True, stdin="y\n")
    assert not works(portal, old, account)
    assert "stopped working" in rolled.stderr


def test_roll_with_zero_grace_without_a_terminal_needs_yes(portal: Portal, owner) -> None:
    token, account = owner
    before = keys(portal, token, account)
    result = portal.run("secrets", "roll", "Zapier", "--old-expires-in", "0", exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    assert keys(portal, token, account) == before


def test_roll_with_a_grace_period_does_not_ask(portal: Portal, owner) -> None:
    _, account = owner
    old = portal.run("secrets", "add", "ci").stdout.strip()
    result = portal.run("secrets", "roll", "ci", "--old-expires-in", "1h", tty=True, stdin="")
    assert "[y/N]" not in result.stderr
    assert works(portal, old, account)


def test_roll_of_a_revoked_key_fails_before_asking(portal: Portal, owner) -> None:
    portal.run("secrets", "revoke", "Zapier", "--yes")
    result = portal.run(
        "secrets", "roll", "Zapier", "--old-expires-in", "0", tty=True, stdin="y\n", exit_code=7
    )
    assert_one_line_error(result, mentions="revoked")
    assert "Roll API key" not in result.stderr


def test_roll_beyond_seven_days_is_exit_2_before_any_change(portal: Portal, owner) -> None:
    token, account = owner
    before = keys(portal, token, account)
    result = portal.run("secrets", "roll", "CI deploy", "--old-expires-in", "8d", exit_code=2)
    assert_one_line_error(result, mentions="--old-expires-in")
    assert "7 days" in result.stderr
    assert keys(portal, token, account) == before


# -- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("secrets", "list"),
        ("secrets", "add", "from ci"),
        ("secrets", "revoke", "Zapier", "--yes"),
        ("secrets", "roll", "Zapier"),
        ("secrets", "roll", "Zapier", "--old-expires-in", "0"),
    ],
    ids=["list", "add", "revoke", "roll", "roll-now"],
)
def test_an_api_key_cannot_manage_api_keys(portal: Portal, owner, args: tuple[str, ...]) -> None:
    token, account = owner
    api_key = portal.json("secrets", "add", "ci")["secret"]
    before = keys(portal, token, account)
    # On a terminal: refused before any question (`roll-now` would ask).
    result = portal.run(*args, exit_code=5, env={"PORTAL_TOKEN": api_key}, tty=True, stdin="y\n")
    line = assert_one_line_error(result)
    assert "sign in as a person" in line
    assert api_key not in result.stderr + result.stdout
    assert keys(portal, token, account) == before


@pytest.mark.parametrize(
    "args",
    [
        ("secrets", "list"),
        ("secrets", "add", "member key"),
        ("secrets", "revoke", "Zapier", "--yes"),
        ("secrets", "roll", "Zapier"),
        ("secrets", "roll", "Zapier", "--old-expires-in", "0"),
    ],
    ids=["list", "add", "revoke", "roll", "roll-now"],
)
def test_a_member_gets_exit_5(portal: Portal, owner, args: tuple[str, ...]) -> None:
    token, account = owner
    before = keys(portal, token, account)
    portal.sign_in(MEMBER)
    result = portal.run(*args, "--account", account, exit_code=5, tty=True, stdin="y\n")
    assert_one_line_error(result, mentions="admin")
    assert keys(portal, token, account) == before


def test_an_admin_may_manage_keys(portal: Portal, owner) -> None:
    token, account = owner
    portal.sign_in(ADMIN)
    portal.run("secrets", "add", "admin key", "--account", account)
    assert key_named(portal, token, account, "admin key")["status"] == "active"


def test_another_accounts_key_is_not_found(portal: Portal, owner) -> None:
    token, _ = owner
    sales = portal.sandbox.account_named(token, "Acme Sales")["id"]
    (other,) = keys(portal, token, sales)
    for args in (("revoke", other["id"], "--yes"), ("roll", other["id"])):
        result = portal.run("secrets", *args, exit_code=6)
        assert_one_line_error(result, mentions=other["id"])
    assert keys(portal, token, sales) == [other]


def test_an_account_that_is_not_yours_is_not_found(portal: Portal, owner) -> None:
    outsider = portal.sandbox.sign_in("outsider@demo.chathq.test")
    globex = portal.sandbox.get("me", outsider)["default_account_id"]
    result = portal.run("secrets", "add", "sneaky", "--account", globex, exit_code=6)
    assert_one_line_error(result)
    assert all(k["name"] != "sneaky" for k in keys(portal, outsider, globex))


# -- bad input: one line, the right exit code, nothing changed ------------------------------------

BAD_INPUT = {
    "name-control-chars": (("secrets", "add", "ci\x1b[31m"), 2, "NAME"),
    "name-10000-chars": (("secrets", "add", "k" * 10_000), 2, "NAME"),
    "name-empty": (("secrets", "add", "   "), 2, "NAME"),
    "expires-unknown-unit": (("secrets", "add", "ci", "--expires-in", "9x"), 2, "--expires-in"),
    "expires-no-unit": (("secrets", "add", "ci", "--expires-in", "90"), 2, "--expires-in"),
    "expires-zero": (("secrets", "add", "ci", "--expires-in", "0d"), 2, "--expires-in"),
    "expires-negative": (("secrets", "add", "ci", "--expires-in", "-1d"), 2, "--expires-in"),
    "expires-fraction": (("secrets", "add", "ci", "--expires-in", "1.5d"), 2, "--expires-in"),
    "expires-too-long": (("secrets", "add", "ci", "--expires-in", "400d"), 2, "--expires-in"),
    "expires-huge": (("secrets", "add", "ci", "--expires-in", "9" * 30 + "w"), 2, "--expires-in"),
    "grace-too-long": (("secrets", "roll", "Zapier", "--old-expires-in", "2w"), 2, "--old"),
    "grace-garbage": (("secrets", "roll", "Zapier", "--old-expires-in", "soon"), 2, "--old"),
    "revoke-unknown-id": (("secrets", "revoke", "key_doesnotexist", "--yes"), 6, "key_"),
    "revoke-unknown-name": (("secrets", "revoke", "nobody", "--yes"), 6, "nobody"),
    "revoke-empty": (("secrets", "revoke", "", "--yes"), 2, "ID|NAME"),
    "revoke-control-chars": (("secrets", "revoke", "Zap\x07ier", "--yes"), 2, "ID|NAME"),
    "roll-unknown-id": (("secrets", "roll", "key_0000000000000000"), 6, "key_"),
    "roll-long-name": (("secrets", "roll", "z" * 10_000), 2, "ID|NAME"),
}


@pytest.mark.parametrize(("args", "code", "mentions"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input(portal: Portal, owner, args: tuple[str, ...], code: int, mentions: str) -> None:
    token, account = owner
    before = keys(portal, token, account)
    result = portal.run(*args, exit_code=code)
    line = assert_one_line_error(result, mentions=mentions)
    assert len(line) < 300  # a 10,000-character value is not echoed whole
    assert result.stdout == ""
    assert keys(portal, token, account) == before


def test_bad_input_in_json_mode_is_one_json_error(portal: Portal, owner) -> None:
    result = portal.run("secrets", "add", "ci", "--expires-in", "9x", "--json", exit_code=2)
    error = result.stderr.strip()
    assert error.startswith('{"error":') and "\n" not in error
    assert '"param":"--expires-in"' in error


@pytest.mark.parametrize("verb", ["list", "add", "revoke", "roll"])
def test_help_has_examples(portal: Portal, capsys: pytest.CaptureFixture[str], verb: str) -> None:
    portal.run("secrets", verb, "--help")  # Typer writes help to the process's stdout
    shown = capsys.readouterr().out
    assert "Examples:" in shown and f"portal secrets {verb}" in shown


def test_expiry_is_counted_from_now(portal: Portal, owner) -> None:
    data = portal.json("secrets", "add", "weekly", "--expires-in", "4w")
    assert data["expires_at"].startswith(
        (NOW + timedelta(weeks=4)).astimezone(UTC).date().isoformat()
    )


# -- the param of an error is what the user typed -----------------------------------------------

PARAMS = {
    "add-blank-name": (("add", " "), "NAME"),
    "add-control-name": (("add", "ci\x1b[2J"), "NAME"),
    "add-bad-expiry": (("add", "ci", "--expires-in", "soon"), "--expires-in"),
    "add-long-expiry": (("add", "ci", "--expires-in", "400d"), "--expires-in"),
    "revoke-blank": (("revoke", "", "--yes"), "ID|NAME"),
    "roll-bad-grace": (("roll", "Zapier", "--old-expires-in", "8d"), "--old-expires-in"),
    "roll-ambiguous": (("roll", "dup"), "ID|NAME"),
}


@pytest.mark.parametrize(("args", "param"), PARAMS.values(), ids=PARAMS.keys())
def test_json_errors_name_the_flag_or_metavar(
    portal: Portal, owner, args: tuple[str, ...], param: str
) -> None:
    portal.run("secrets", "add", "dup")
    portal.run("secrets", "add", "dup")
    result = portal.run("secrets", *args, "--json", exit_code=2)
    error = json.loads(result.stderr)["error"]
    assert error["param"] == param
    assert param in error["message"]


@pytest.mark.parametrize("columns", [80, 40])
def test_list_on_a_narrow_terminal_keeps_the_key_ids(portal: Portal, owner, columns: int) -> None:
    token, account = owner
    portal.run("secrets", "add", "ci-deploy", "--json")
    table = portal.run("secrets", "list", tty=True, columns=columns).stdout
    for key in keys(portal, token, account):
        assert key["id"] in table, table
