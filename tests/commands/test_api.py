"""`portal api`: raw requests with fields, headers, a body from a file, pages and --jq, checked
against the sandbox's state; bad input is exit 2 naming the flag (in-process)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.demo import OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal


@pytest.fixture
def owner(portal: Portal) -> tuple[str, str]:
    """(token, the owner's default account id)."""
    token = portal.sign_in(OWNER)
    return token, portal.sandbox.get("me", token)["default_account_id"]


def error_of(result: Any) -> dict[str, Any]:
    """The `--json` error object on stderr."""
    error: dict[str, Any] = json.loads(result.stderr)["error"]
    return error


# -- requests -----------------------------------------------------------------------------------


def test_get_prints_the_json_response(portal: Portal, owner) -> None:
    assert json.loads(portal.run("api", "me").stdout)["email"] == OWNER
    assert json.loads(portal.run("api", "GET", "/v1/me").stdout)["email"] == OWNER


def test_account_placeholder_is_the_current_account(portal: Portal, owner) -> None:
    _, account = owner
    result = portal.run("api", "accounts/{account}", "--jq", ".id")
    assert result.stdout == account + "\n"


def test_get_fields_go_to_the_query_string(portal: Portal, owner) -> None:
    records = json.loads(
        portal.run(
            "api", "GET", "accounts/{account}/usage_records", "-f", "unit=sms", "-F", "limit=3"
        ).stdout
    )
    assert len(records["data"]) == 3
    assert {row["unit"] for row in records["data"]} == {"sms"}


def test_patch_with_a_raw_field_changes_the_account(portal: Portal, owner) -> None:
    token, account = owner
    renamed = json.loads(
        portal.run("api", "PATCH", "accounts/{account}", "-f", "name=Via API").stdout
    )
    assert renamed["name"] == "Via API"
    assert portal.sandbox.get(f"accounts/{account}", token)["name"] == "Via API"


def test_fields_without_a_method_post_a_json_body(portal: Portal, owner) -> None:
    token, account = owner
    portal.run(
        "api",
        "accounts/{account}/invitations",
        "-f",
        "emails[]=new1@example.test",
        "-f",
        "emails[]=new2@example.test",
        "-f",
        "role=member",
    )
    invited = {
        row["email"] for row in portal.sandbox.list_all(f"accounts/{account}/invitations", token)
    }
    assert {"new1@example.test", "new2@example.test"} <= invited


def test_typed_field_from_a_file(portal: Portal, owner, tmp_path: Path) -> None:
    token, account = owner
    name = tmp_path / "name.txt"
    name.write_text("From A File", encoding="utf-8")
    portal.run("api", "PATCH", "accounts/{account}", "-F", f"name=@{name}")
    assert portal.sandbox.get(f"accounts/{account}", token)["name"] == "From A File"


def test_input_file_is_the_body(portal: Portal, owner, tmp_path: Path) -> None:
    token, account = owner
    body = tmp_path / "body.json"
    body.write_text(json.dumps({"name": "From Input"}), encoding="utf-8")
    portal.run("api", "PATCH", "accounts/{account}", "--input", str(body))
    assert portal.sandbox.get(f"accounts/{account}", token)["name"] == "From Input"


def test_input_from_stdin(portal: Portal, owner) -> None:
    token, account = owner
    portal.run("api", "PATCH", "accounts/{account}", "--input", "-", stdin='{"name": "Piped"}')
    assert portal.sandbox.get(f"accounts/{account}", token)["name"] == "Piped"


def test_header_idempotency_key_replays_the_first_response(portal: Portal, owner) -> None:
    token, account = owner
    path = "accounts/{account}"
    first = portal.run("api", "PATCH", path, "-f", "name=Once", "-H", "Idempotency-Key: api-k1")
    again = portal.run("api", "PATCH", path, "-f", "name=Once", "-H", "Idempotency-Key: api-k1")
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert portal.sandbox.get(f"accounts/{account}", token)["name"] == "Once"


def test_paginate_prints_every_page_as_one_array(portal: Portal, owner) -> None:
    token, account = owner
    everything = portal.sandbox.list_all(f"accounts/{account}/usage_records", token)
    assert len(everything) > 100, "the demo data should need more than one default page"
    paged = json.loads(portal.run("api", "--paginate", "accounts/{account}/usage_records").stdout)
    assert [row["id"] for row in paged] == [row["id"] for row in everything]


def test_paginate_with_jq_filters_the_whole_list(portal: Portal, owner) -> None:
    token, account = owner
    sms = portal.sandbox.list_all(f"accounts/{account}/usage_records?unit=sms", token)
    result = portal.run(
        "api", "accounts/{account}/usage_records", "-f", "unit=sms", "--paginate", "--jq", "length"
    )
    assert result.stdout == f"{len(sms)}\n"


def test_jq_filters_the_response(portal: Portal, owner) -> None:
    assert portal.run("api", "me", "--jq", ".email").stdout == OWNER + "\n"


# -- bad input: exit 2 naming what was typed ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("-f", "name", "me"), "-f"),
        (("-F", "x[=1", "me"), "-F"),
        (("-f", "a=1", "-f", "a[b]=2", "me"), "-f"),
        (("-H", "no colon", "me"), "-H"),
        (("-H", "X-Test: a\r\nX-Evil: 1", "me"), "-H"),
        (("--input", "/nonexistent/body.json", "POST", "me"), "--input"),
        (("FETCH", "me"), "METHOD"),
        (("--paginate", "POST", "me"), "--paginate"),
        (("GET", "me", "-F", "filter[unit]=sms"), "-F"),
        (("GET", "me", "-f", "filter[unit]=sms"), "-f"),
    ],
)
def test_bad_input_names_the_flag(portal: Portal, owner, args: tuple[str, ...], param: str) -> None:
    result = portal.run("api", *args, exit_code=2)
    assert_one_line_error(result, mentions=param)
    as_json = portal.run("api", *args, env={"PORTAL_FORMAT": "json"}, exit_code=2)
    assert error_of(as_json)["param"] == param


def test_missing_path_names_path(portal: Portal, owner) -> None:
    result = portal.run("api", exit_code=2)
    assert_one_line_error(result, mentions="PATH")


def test_typed_file_that_is_not_utf8_is_named(portal: Portal, owner, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Café".encode("latin-1"))
    result = portal.run("api", "PATCH", "accounts/{account}", "-F", f"name=@{latin1}", exit_code=2)
    assert_one_line_error(result, mentions="-F")
    assert "latin1.txt" in result.stderr
    assert "standard input" not in result.stderr


def test_typed_file_whose_name_is_not_utf8_is_named_escaped(
    portal: Portal, owner, tmp_path: Path
) -> None:
    # A file name of bytes that are not UTF-8 reaches Python as lone surrogates (PEP 383).
    name = str(tmp_path) + "/caf\udce9.txt"
    result = portal.run("api", "PATCH", "accounts/{account}", "-F", f"name=@{name}", exit_code=2)
    assert_one_line_error(result, mentions="-F")
    assert "caf\\xe9.txt" in result.stderr
    as_json = portal.run(
        "api", "PATCH", "me", "--field", f"name=@{name}", env={"PORTAL_FORMAT": "json"}, exit_code=2
    )
    assert error_of(as_json)["param"] == "--field"
    assert "caf\\xe9.txt" in error_of(as_json)["message"]
