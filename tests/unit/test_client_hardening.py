"""The client under hostile conditions: a server that never answers, a 500 in the middle of an
export, and input httpx cannot send (undecodable text, CR/LF in headers or tokens, dates that
leave the calendar). Each is a typed error naming what is wrong, never a hang or a traceback."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
import respx
from test_client_resources import usage_api, usage_record

from chathq_cli import errors
from chathq_cli.api.orgs import OrgCreate
from chathq_cli.client import PortalClient, RetryPolicy
from chathq_cli.client._body import body, date_param, seg

HOST = "http://127.0.0.1:8787"


# -- the retry budget bounds the whole request, attempts included -----------------------------


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback port whose kernel completes the TCP handshake and then nothing answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # never accept()ed: connections queue, requests are never read
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_server_that_never_answers_ends_within_the_retry_budget(silent_server: str) -> None:
    policy = RetryPolicy(attempts=5, base_delay=0.01, max_delay=0.02, total_timeout=0.6)
    lines: list[str] = []
    # The per-attempt timeout (30 s) is far above the budget: the budget must win.
    with PortalClient(silent_server, "pst_t", retry=policy, on_debug=lines.append) as client:
        started = time.monotonic()
        with pytest.raises(errors.NetworkError) as caught:
            client.get_me()
        elapsed = time.monotonic() - started
    assert 0.5 <= elapsed < 1.5, elapsed
    assert caught.value.exit_code == errors.ExitCode.FAILURE
    assert caught.value.message.startswith(f"{silent_server} did not answer in time")
    assert any("retrying" in line for line in lines)  # GET: retried while budget remained


def test_each_attempt_gets_only_what_is_left_of_the_budget() -> None:
    now = [0.0]
    timeouts: list[float] = []

    def never_answers(request: httpx.Request) -> httpx.Response:
        timeouts.append(request.extensions["timeout"]["read"])
        now[0] += request.extensions["timeout"]["read"]  # the attempt uses all it was given
        raise httpx.ReadTimeout("timed out", request=request)

    policy = RetryPolicy(
        attempts=5, total_timeout=45.0, max_delay=1.0, sleep=lambda s: None, clock=lambda: now[0]
    )
    with respx.mock(base_url=HOST) as api, PortalClient(HOST, retry=policy) as client:
        api.get("/v1/me").mock(side_effect=never_answers)
        with pytest.raises(errors.NetworkError):
            client.get_me()
    assert timeouts == [30.0, 15.0]  # 30 s, then the 15 s left; then nothing is left
    assert now[0] == 45.0


# -- an export survives a failed GET page ------------------------------------------------------


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, json={"error": {"type": "api_error", "message": "boom"}}),
        httpx.RemoteProtocolError("peer closed connection without sending complete message"),
    ],
    ids=["500", "dropped"],
)
def test_an_export_retries_a_failed_page_and_loses_nothing(failure: object) -> None:
    serve = usage_api(2500)
    failed: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("starting_after") == "ur_00000999" and not failed:
            failed.append("page 2")
            if isinstance(failure, Exception):
                raise failure
            return failure  # type: ignore[return-value]
        return serve(request)

    policy = RetryPolicy(attempts=3, sleep=lambda _: None)
    with respx.mock(base_url=HOST) as api, PortalClient(HOST, "pst_t", retry=policy) as client:
        route = api.get("/v1/accounts/acct_1/usage_records").mock(side_effect=flaky)
        pages = list(client.iter_usage_record_pages("acct_1"))
    assert failed == ["page 2"]
    assert route.call_count == 4  # three pages, the second twice
    records = [record for page in pages for record in page]
    assert [r["id"] for r in records] == [usage_record(n)["id"] for n in range(2500)]


# -- input httpx cannot send -------------------------------------------------------------------

UNDECODABLE = "caf\udce9"  # b"caf\xe9" from argv or stdin, decoded with surrogateescape


def test_undecodable_text_in_a_body_names_the_field() -> None:
    with pytest.raises(errors.UsageError) as caught:
        body(OrgCreate, name=UNDECODABLE)
    assert caught.value.param == "name"
    assert caught.value.exit_code == errors.ExitCode.USAGE
    assert "not valid UTF-8" in caught.value.message


def test_undecodable_text_in_a_path_segment() -> None:
    with pytest.raises(errors.UsageError) as caught:
        seg(UNDECODABLE, "account")
    assert caught.value.param == "account"
    with pytest.raises(errors.UsageError) as caught:
        seg(UNDECODABLE)
    assert caught.value.param == "id"


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"params": {"unit": UNDECODABLE}}, "unit"),
        ({"json": {"name": "ok", "address": {"city": UNDECODABLE}}}, "address.city"),
        ({"json": [{"tags": ["a", UNDECODABLE]}]}, "[0].tags[1]"),
        ({"headers": {"X-Note": UNDECODABLE}}, "header"),
        ({"headers": {"X-Note": "a\r\nX-Injected: 1"}}, "header"),
        ({"headers": {"X Bad": "v"}}, "header"),
    ],
    ids=["query", "json", "json-list", "header-bytes", "header-crlf", "header-name"],
)
def test_a_request_httpx_cannot_send_is_a_usage_error_and_nothing_is_sent(
    kwargs: dict, param: str
) -> None:
    with (
        respx.mock(base_url=HOST, assert_all_called=False) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy.none()) as client,
    ):
        route = api.route().mock(return_value=httpx.Response(200, json={}))
        with pytest.raises(errors.UsageError) as caught:
            client.request("POST", "/v1/orgs", **kwargs)
    assert caught.value.param == param
    assert route.call_count == 0


def test_undecodable_path_is_a_usage_error() -> None:
    with (
        PortalClient(HOST, retry=RetryPolicy.none()) as client,
        pytest.raises(errors.UsageError) as caught,
    ):
        client.request("GET", f"/v1/orgs/{UNDECODABLE}")
    assert caught.value.param == "path"


@pytest.mark.parametrize("token", ["pst_a\r\nX-Injected: 1", "pst_\u00e9", "pst_\x00"])
def test_a_token_that_cannot_be_a_header_is_refused_before_any_request(token: str) -> None:
    with pytest.raises(errors.MalformedToken) as caught:
        PortalClient(HOST, token, token_source="env")
    assert caught.value.exit_code == errors.ExitCode.AUTH
    assert caught.value.message.startswith("the token in PORTAL_TOKEN is malformed: it contains ")
    assert token not in caught.value.message
    with pytest.raises(errors.MalformedToken) as caught:
        PortalClient(HOST, token)  # e.g. piped into `auth login --with-token`
    assert caught.value.message.startswith("the token is malformed: ")


# -- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "wire"),
    [
        ("2026-11-01", "2026-11-01"),
        ("2026-11-01T00:00:00Z", "2026-11-01T00:00:00Z"),
        ("2026-11-01t02:30:00+02:30", "2026-11-01T00:00:00Z"),
        ("2026-11-01T00:00:00.5Z", "2026-11-01T00:00:00.500000Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
    ],
)
def test_date_param_sends_dates_as_given_and_times_in_utc(value: str, wire: str) -> None:
    assert date_param(value, "since") == wire


@pytest.mark.parametrize(
    "value",
    [
        "9999-12-31T23:59:59-14:00",  # past year 9999 once moved to UTC
        "0001-01-01T00:00:00+14:00",  # before year 1
        "2026-02-30",
        "2026-13-01T00:00:00Z",
        "next tuesday",
        UNDECODABLE,
    ],
)
def test_out_of_range_or_impossible_dates_name_the_parameter(value: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        date_param(value, "until")
    assert caught.value.param == "until"
    assert caught.value.message.startswith("invalid until: ")


def test_usage_filters_name_since_and_until() -> None:
    with (
        PortalClient(HOST, retry=RetryPolicy.none()) as client,
        pytest.raises(errors.UsageError) as caught,
    ):
        list(client.iter_usage_record_pages("acct_1", until="9999-12-31T23:59:59-14:00"))
    assert caught.value.param == "until"


def test_the_usage_commands_date_parser_refuses_dates_outside_the_calendar_too() -> None:
    from datetime import UTC, datetime

    from chathq_cli.inputs.dates import parse_date

    with pytest.raises(errors.UsageError) as caught:
        parse_date("9999-12-31T23:59:59-14:00", "--since", now=datetime(2026, 11, 15, tzinfo=UTC))
    assert caught.value.param == "--since"
