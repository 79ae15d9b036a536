"""`portal api` with gh's flags: -X/--method, -i/--include, --silent, --paginate --slurp."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from support.demo import OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal


@pytest.fixture
def owner(portal: Portal) -> tuple[str, str]:
    """(token, the owner's default account id)."""
    token = portal.sign_in(OWNER)
    return token, portal.sandbox.get("me", token)["default_account_id"]


def test_method_option_sends_that_method(portal: Portal, owner: tuple[str, str]) -> None:
    token, account = owner
    result = portal.run("api", "-X", "PATCH", "accounts/{account}", "-f", "name=By Option")
    assert json.loads(result.stdout)["name"] == "By Option"
    assert portal.sandbox.get(f"accounts/{account}", token)["name"] == "By Option"
    # --method GET keeps fields in the query string instead of making a POST.
    listed = portal.run("api", "--method", "get", "accounts/{account}/members", "-f", "limit=1")
    assert len(json.loads(listed.stdout)["data"]) == 1
    # The argument and the option may both be given when they agree.
    same = portal.run("api", "GET", "me", "-X", "get")
    assert json.loads(same.stdout)["email"] == OWNER


def test_include_prints_the_status_line_and_headers_before_the_body(
    portal: Portal, owner: tuple[str, str]
) -> None:
    out = portal.run("api", "-i", "me").stdout
    head, _, body = out.partition("\n\n")
    lines = head.splitlines()
    assert lines[0] == "HTTP/1.1 200 OK"
    headers = dict(line.split(": ", 1) for line in lines[1:])
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Request-Id"].startswith("req_")
    assert json.loads(body)["email"] == OWNER


def test_include_with_head_prints_only_the_head(portal: Portal, owner: tuple[str, str]) -> None:
    out = portal.run("api", "--include", "--method", "HEAD", "me").stdout
    assert out.startswith("HTTP/1.1 200 OK\n") and out.endswith("\n\n")
    assert OWNER not in out


def test_silent_prints_nothing_but_still_makes_the_request(
    portal: Portal, owner: tuple[str, str]
) -> None:
    token, account = owner
    result = portal.run("api", "--silent", "PATCH", "accounts/{account}", "-f", "name=Quiet")
    assert result.stdout == ""
    assert portal.sandbox.get(f"accounts/{account}", token)["name"] == "Quiet"
    head = portal.run("api", "--silent", "-i", "me").stdout
    assert head.startswith("HTTP/1.1 200 OK\n") and OWNER not in head


def test_slurp_prints_one_array_of_every_page(portal: Portal, owner: tuple[str, str]) -> None:
    token, account = owner
    everything = portal.sandbox.list_all(f"accounts/{account}/usage_records", token)
    assert len(everything) > 100, "the demo data should need more than one default page"
    path = "accounts/{account}/usage_records"
    slurped = json.loads(portal.run("api", "--paginate", "--slurp", path).stdout)
    assert [row["id"] for row in slurped] == [row["id"] for row in everything]
    counted = portal.run("api", "--paginate", "--slurp", path, "--jq", "length").stdout
    assert counted == f"{len(everything)}\n"


class _FailSecondPage(httpx.BaseTransport):
    """Loopback to the sandbox, but a page after the first answers 500."""

    def __init__(self) -> None:
        self._real = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if "starting_after" in request.url.params:
            error = {"error": {"type": "api_error", "code": "boom", "message": "boom"}}
            return httpx.Response(500, json=error, request=request)
        return self._real.handle_request(request)


@pytest.mark.parametrize(("slurp", "printed"), [(True, False), (False, True)])
def test_a_failed_page_prints_nothing_with_slurp_and_a_partial_stream_without(
    portal: Portal, owner: tuple[str, str], slurp: bool, printed: bool
) -> None:
    args: list[Any] = ["api", "--paginate", "accounts/{account}/usage_records"]
    result = portal.run(
        *args,
        *(["--slurp"] if slurp else []),
        transport=_FailSecondPage(),
        env={"PORTAL_RETRY_ATTEMPTS": "1"},
        exit_code=1,
    )
    assert bool(result.stdout) is printed
    assert "error:" in result.stderr


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("-X", "POST", "GET", "me"), "--method"),
        (("-X", "FETCH", "me"), "--method"),
        (("--slurp", "accounts/{account}/members"), "--slurp"),
        (("-i", "--paginate", "accounts/{account}/members"), "--include"),
        (("-X", "POST", "--paginate", "accounts/{account}/members"), "--paginate"),
    ],
)
def test_bad_flag_combinations_name_the_flag(
    portal: Portal, owner: tuple[str, str], args: tuple[str, ...], param: str
) -> None:
    result = portal.run("api", *args, exit_code=2)
    assert_one_line_error(result, mentions=param)
    assert result.stdout == ""
