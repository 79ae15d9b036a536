"""Retry and backoff decisions of the client (SPEC §8), with an injected clock and sleep."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
import respx

from chathq_cli import errors
from chathq_cli.cli.hints import hint_for
from chathq_cli.client import PortalClient, RetryPolicy, parse_retry_after, should_retry
from support.fakes import FakeTime

HOST = "http://127.0.0.1:8787"


class CeilingRandom(random.Random):
    """Jitter that always picks the top of the range, to see the exponential ceiling."""

    def uniform(self, a: float, b: float) -> float:
        return b


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def client(fake_time: FakeTime):
    policy = RetryPolicy(
        attempts=5,
        base_delay=0.25,
        max_delay=8.0,
        total_timeout=45.0,
        sleep=fake_time.sleep,
        clock=fake_time.clock,
        rng=random.Random(7),
    )
    with PortalClient(HOST, "pst_secret", retry=policy) as c:
        yield c


@pytest.fixture
def api():
    with respx.mock(base_url=HOST, assert_all_called=False) as mock:
        yield mock


def ok(json=None) -> httpx.Response:
    return httpx.Response(200, json=json if json is not None else {"ok": True})


def error(status: int, headers: dict[str, str] | None = None) -> httpx.Response:
    body = {"error": {"type": "api_error", "code": "x", "message": f"status {status}"}}
    return httpx.Response(status, json=body, headers=headers)


# --- the pure decision function -------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "has_key", "outcome", "expected"),
    [
        # connect failures: always, even for a POST without a key (nothing reached the server)
        ("POST", False, httpx.ConnectError("refused"), True),
        ("POST", False, httpx.ConnectTimeout("slow"), True),
        ("GET", False, httpx.ConnectError("refused"), True),
        # the server asks us to come back: always
        ("POST", False, 429, True),
        ("POST", False, 502, True),
        ("POST", False, 503, True),
        ("POST", False, 504, True),
        # other failures: only when a replay is harmless
        ("GET", False, 500, True),
        ("HEAD", False, 500, True),
        ("POST", True, 500, True),
        ("DELETE", True, 500, True),
        ("POST", False, 500, False),
        ("PATCH", False, 500, False),
        ("GET", False, httpx.ReadError("dropped"), True),
        ("POST", True, httpx.RemoteProtocolError("dropped"), True),
        ("POST", False, httpx.RemoteProtocolError("dropped"), False),
        ("POST", False, httpx.ReadTimeout("slow"), False),
        # client errors and our own mistakes: never
        ("GET", True, 400, False),
        ("GET", True, 401, False),
        ("GET", True, 404, False),
        ("POST", True, 409, False),
        ("GET", True, 422, False),
        ("GET", True, httpx.UnsupportedProtocol("ftp"), False),
        ("GET", True, ValueError("not a transport error"), False),
    ],
)
def test_should_retry(method, has_key, outcome, expected):
    assert should_retry(method, has_key, outcome) is expected


def test_retry_after_seconds_and_http_date():
    now = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("2", now) == 2.0
    assert parse_retry_after(" 0 ", now) == 0.0
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now) == 90.0
    earlier = format_datetime(now - timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(earlier, now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("nan", now) is None
    assert parse_retry_after(None, now) is None


def test_backoff_is_exponential_capped_and_jittered():
    ceiling = RetryPolicy(base_delay=0.25, max_delay=8.0, rng=CeilingRandom())
    assert [ceiling.backoff(n) for n in range(1, 8)] == [0.25, 0.5, 1, 2, 4, 8, 8]
    jittered = RetryPolicy(base_delay=0.25, max_delay=8.0, rng=random.Random(1))
    delays = [jittered.backoff(6) for _ in range(50)]
    assert all(0 <= d <= 8.0 for d in delays)
    assert len(set(delays)) > 1  # full jitter, not a fixed wait


def test_retry_after_is_capped_by_max_delay():
    policy = RetryPolicy(max_delay=8.0)
    assert policy.delay(1, 3600.0) == 8.0
    assert policy.delay(1, 2.0) == 2.0


def test_policy_none_and_from_env():
    assert RetryPolicy.none().attempts == 1
    policy = RetryPolicy.from_env(
        {
            "PORTAL_RETRY_ATTEMPTS": "2",
            "PORTAL_RETRY_TOTAL_TIMEOUT": "1.5",
            "PORTAL_RETRY_MAX_DELAY": "x",
        }
    )
    assert (policy.attempts, policy.total_timeout, policy.max_delay) == (2, 1.5, 8.0)


# --- the client loop ------------------------------------------------------------------------


def test_connect_error_is_retried_then_succeeds(client, api, fake_time):
    route = api.get("/v1/me").mock(
        side_effect=[httpx.ConnectError("refused"), httpx.ConnectError("refused"), ok()]
    )
    assert client.request("GET", "/v1/me").json() == {"ok": True}
    assert route.call_count == 3
    assert len(fake_time.sleeps) == 2


def test_connect_error_after_all_attempts_is_a_network_error(client, api, fake_time):
    route = api.post("/v1/orgs").mock(side_effect=httpx.ConnectError("Connection refused"))
    with pytest.raises(errors.NetworkError) as caught:
        client.request("POST", "/v1/orgs", json={"name": "x"})
    assert route.call_count == 5
    assert caught.value.exit_code == errors.ExitCode.FAILURE
    assert "could not reach http://127.0.0.1:8787" in caught.value.message
    assert "Connection refused" in caught.value.message
    assert caught.value.host == HOST
    assert "portal config get host" in (hint_for(caught.value) or "")


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_gateway_and_rate_limit_statuses_are_retried(client, api, status):
    route = api.post("/v1/orgs").mock(side_effect=[error(status), ok()])
    client.request("POST", "/v1/orgs", json={"name": "x"}, idempotency_key="")
    assert route.call_count == 2


def test_retry_after_seconds_is_honoured(client, api, fake_time):
    api.get("/v1/me").mock(side_effect=[error(429, {"Retry-After": "2"}), ok()])
    client.request("GET", "/v1/me")
    assert fake_time.sleeps == [2.0]


def test_retry_after_http_date_is_honoured_and_capped(client, api, fake_time):
    in_an_hour = format_datetime(datetime.now(UTC) + timedelta(hours=1), usegmt=True)
    api.get("/v1/me").mock(side_effect=[error(503, {"Retry-After": in_an_hour}), ok()])
    client.request("GET", "/v1/me")
    assert fake_time.sleeps == [8.0]


def test_500_is_retried_for_get(client, api):
    route = api.get("/v1/me").mock(side_effect=[error(500), ok()])
    client.request("GET", "/v1/me")
    assert route.call_count == 2


def test_500_is_retried_for_post_with_idempotency_key(client, api):
    route = api.post("/v1/orgs").mock(side_effect=[error(500), ok()])
    client.request("POST", "/v1/orgs", json={"name": "x"})
    assert route.call_count == 2


def test_500_is_not_retried_for_post_without_idempotency_key(client, api):
    route = api.post("/v1/orgs").mock(side_effect=[error(500), ok()])
    with pytest.raises(errors.ServerError):
        client.request("POST", "/v1/orgs", json={"name": "x"}, idempotency_key="")
    assert route.call_count == 1
    assert "Idempotency-Key" not in route.calls[0].request.headers


def test_dropped_connection_retried_only_with_idempotency_key(client, api):
    with_key = api.post("/v1/orgs").mock(side_effect=[httpx.RemoteProtocolError("gone"), ok()])
    client.request("POST", "/v1/orgs", json={"name": "x"})
    assert with_key.call_count == 2

    without_key = api.post("/v1/accounts/acct_1/close").mock(
        side_effect=[httpx.RemoteProtocolError("gone"), ok()]
    )
    with pytest.raises(errors.NetworkError):
        client.request("POST", "/v1/accounts/acct_1/close", json={}, idempotency_key="")
    assert without_key.call_count == 1


def test_attempts_are_bounded_and_rate_limit_maps_to_exit_8(client, api, fake_time):
    route = api.get("/v1/me").mock(return_value=error(429, {"Retry-After": "1"}))
    with pytest.raises(errors.RateLimited) as caught:
        client.request("GET", "/v1/me")
    assert route.call_count == 5
    assert fake_time.sleeps == [1.0] * 4
    assert caught.value.exit_code == errors.ExitCode.RATE_LIMITED
    assert caught.value.retry_after == 1.0
    assert hint_for(caught.value) == "the portal is busy; try again in 1 s"


def test_total_time_is_bounded(api, fake_time):
    policy = RetryPolicy(
        attempts=100, total_timeout=10.0, sleep=fake_time.sleep, clock=fake_time.clock
    )
    route = api.get("/v1/me").mock(return_value=error(503, {"Retry-After": "4"}))
    with PortalClient(HOST, retry=policy) as client, pytest.raises(errors.RateLimited):
        client.request("GET", "/v1/me")
    # 4 + 4 = 8 s fits in 10 s; a third wait would end at 12 s, so the client gives up.
    assert fake_time.sleeps == [4.0, 4.0]
    assert route.call_count == 3


def test_retry_notices_reach_the_debug_hook(api, fake_time):
    lines: list[str] = []
    policy = RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)
    api.get("/v1/me").mock(side_effect=[error(503, {"Retry-After": "1"}), ok()])
    with PortalClient(HOST, retry=policy, on_debug=lines.append) as client:
        client.request("GET", "/v1/me")
    assert any(line.startswith("* retrying in 1.00 s (attempt 2 of 5)") for line in lines)
    assert any("(attempt 2)" in line for line in lines if line.startswith("> GET"))
