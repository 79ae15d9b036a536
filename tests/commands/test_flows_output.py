"""Output modes in-process against the sandbox: JSON with the API's field names, CSV, --jq, piped
TSV, terminal tables."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from support.harness import OWNER, Sandbox, assert_one_line_error
from support.inprocess import Portal

BOX_CHARS = set("─│┃━┏┓┗┛┌┐└┘├┤┬┴┼╭╮╯╰═║╔╗╚╝")


@pytest.fixture
def signed_in(portal: Portal, sandbox: Sandbox) -> dict:
    """Signed in as the owner; returns the API's view of the org's accounts and the default."""
    token = portal.sign_in(OWNER)
    default = sandbox.get("me", token)["default_account_id"]
    account = sandbox.get(f"accounts/{default}", token)
    accounts = sandbox.list_all(f"orgs/{account['org_id']}/accounts", token)
    return {"token": token, "account": account, "accounts": accounts}


def test_json_uses_the_api_field_names(portal: Portal, signed_in: dict) -> None:
    api_account = signed_in["account"]
    shown = portal.run("account", "show", "--json").json()
    assert isinstance(shown, dict)
    assert {"id", "object", "org_id", "name", "plan", "created_at"} <= set(shown)
    assert set(shown) <= set(api_account), "JSON keys must be the API's"
    for key in ("id", "object", "org_id", "name", "plan"):
        assert shown[key] == api_account[key]
    # --format json is the same document; so is PORTAL_FORMAT=json.
    assert portal.run("account", "show", "--format", "json").json() == shown
    assert portal.run("account", "show", env={"PORTAL_FORMAT": "json"}).json() == shown
    # Flags work after the command and right after `portal` (for the global ones).
    assert portal.run("--no-color", "account", "show", "--json", "--no-color").json() == shown


def test_json_list_is_an_array_of_api_objects(portal: Portal, signed_in: dict) -> None:
    listed = portal.run("account", "list", "--json").json()
    assert isinstance(listed, list)
    assert {row["id"] for row in listed} == {a["id"] for a in signed_in["accounts"]}
    assert all(row["object"] == "account" for row in listed)


def test_csv_has_a_header_and_one_row_per_account(portal: Portal, signed_in: dict) -> None:
    out = portal.run("account", "list", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    header, body = rows[0], rows[1:]
    assert len(header) >= 2 and all(cell.strip() for cell in header)
    assert len(body) == len(signed_in["accounts"])
    assert all(len(row) == len(header) for row in body)
    flat = {cell for row in body for cell in row}
    for account in signed_in["accounts"]:
        assert account["id"] in flat
        assert account["name"] in flat


def test_jq_prints_bare_strings_and_json_values(portal: Portal, signed_in: dict) -> None:
    name = signed_in["account"]["name"]
    assert portal.run("account", "show", "--jq", ".name").stdout == name + "\n"
    ids = portal.run("account", "list", "--jq", ".[].id").stdout.splitlines()
    assert set(ids) == {a["id"] for a in signed_in["accounts"]}
    assert json.loads(portal.run("account", "show", "--jq", "{n: .name}").stdout) == {"n": name}
    bad = portal.run("account", "show", "--jq", ".[[[", exit_code=2)
    assert_one_line_error(bad, mentions="--jq")


def test_piped_table_is_tsv_with_a_header_and_no_box(portal: Portal, signed_in: dict) -> None:
    out = portal.run("account", "list").stdout
    assert not (BOX_CHARS & set(out)), out
    assert "\x1b[" not in out  # no colour when piped
    lines = out.splitlines()
    assert len(lines) == len(signed_in["accounts"]) + 1
    width = len(lines[0].split("\t"))
    assert width >= 2
    assert all(len(line.split("\t")) == width for line in lines)
    for account in signed_in["accounts"]:
        assert any(account["id"] in line.split("\t") for line in lines[1:])


def test_piped_table_never_truncates_long_values(portal: Portal, signed_in: dict) -> None:
    long_name = "A very long account name " + "x" * 70  # 95 characters, over half of COLUMNS
    portal.run("account", "rename", long_name)
    out = portal.run("account", "list").stdout
    assert any(long_name in line.split("\t") for line in out.splitlines()), out


def test_table_on_a_terminal_is_a_rich_table(portal: Portal, signed_in: dict) -> None:
    out = portal.run("account", "list", tty=True).stdout
    assert "\t" not in out
    for account in signed_in["accounts"]:
        assert account["name"] in out
    assert "\x1b[3" not in out  # NO_COLOR=1: no colour codes even on a terminal


def test_single_object_as_piped_table_has_every_field(portal: Portal, signed_in: dict) -> None:
    out = portal.run("account", "show").stdout
    assert not (BOX_CHARS & set(out))
    account = signed_in["account"]
    assert account["id"] in out and account["name"] in out and account["plan"] in out.lower()


def test_json_errors_are_one_json_object_on_stderr(portal: Portal, signed_in: dict) -> None:
    result = portal.run("account", "show", "--json", "--account", "acct_doesnotexist", exit_code=6)
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert {"type", "code", "message", "param", "request_id"} <= set(error)
    assert error["type"] == "invalid_request_error"
    assert (error["request_id"] or "").startswith("req_")


def test_usage_errors_in_json_mode_are_json_too(portal: Portal, signed_in: dict) -> None:
    result = portal.run("account", "rename", "", "--json", exit_code=2)
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert "name" in (error["param"] or "").lower()


def test_dashboard_bar_on_a_terminal_plain_when_piped(portal: Portal, signed_in: dict) -> None:
    piped = portal.run("account", "dashboard").stdout
    assert re.search(r"\d[\d,]* / [\d,]+ \(\d+%\)", piped), piped
    assert "█" not in piped and not (BOX_CHARS & set(piped))
    on_tty = portal.run("account", "dashboard", tty=True).stdout
    assert "█" in on_tty or "━" in on_tty, on_tty


def test_no_color_flag_without_the_env_var(portal: Portal, signed_in: dict) -> None:
    out = portal.run("account", "list", "--no-color", tty=True, env={"NO_COLOR": None}).stdout
    assert not re.search(r"\x1b\[(?:\d+;)*(?:3\d|9\d|38)", out), repr(out)
    for account in signed_in["accounts"]:
        assert account["name"] in out
