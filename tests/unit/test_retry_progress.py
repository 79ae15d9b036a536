"""Paged reads follow progress (SPEC §8): each page gets a fresh budget, and a run gives up only
after a stretch of `total_timeout` without a page, whatever the number of failed attempts."""

from __future__ import annotations

import httpx
import pytest
import respx

from chathq_cli import errors
from chathq_cli.client import PortalClient, RetryPolicy
from support.fakes import FakeTime
from support.fakes import usage_record as record

HOST = "http://127.0.0.1:8787"
PATH = "/v1/accounts/acct_1/usage_records"


def server(pages: int, failures: dict[int, int], size: int = 2):
    """`pages` pages of `size` records; page n (1-based) answers 503 `failures[n]` times first."""
    left = dict(failures)

    def handler(request: httpx.Request) -> httpx.Response:
        after = request.url.params.get("starting_after")
        number = 1 if after is None else int(after.removeprefix("ur_")) // size + 2
        if left.get(number, 0) > 0:
            left[number] -= 1
            body = {"error": {"type": "api_error", "code": "busy", "message": "busy"}}
            return httpx.Response(503, json=body, headers={"Retry-After": "1"})
        start = (number - 1) * size
        data = [record(n) for n in range(start, start + size)]
        more = number < pages
        body = {"object": "list", "data": data, "has_more": more}
        body["next_cursor"] = data[-1]["id"] if more else None
        return httpx.Response(200, json=body)

    return handler


def export(policy: RetryPolicy, handler, notices=None) -> list[str]:
    with respx.mock(base_url=HOST) as api, PortalClient(HOST, "pst_t", retry=policy) as client:
        api.get(PATH).mock(side_effect=handler)
        pages = client.iter_usage_record_pages("acct_1", page_size=2, on_retry=notices)
        return [r["id"] for page in pages for r in page]  # type: ignore[misc]


def policy(clock: FakeTime, **fields: object) -> RetryPolicy:
    return RetryPolicy(sleep=clock.sleep, clock=clock.clock, **fields)  # type: ignore[arg-type]


def test_a_page_is_retried_past_the_attempt_budget_while_within_the_stretch() -> None:
    clock = FakeTime()
    # 30 failures of one page: far more than 5 attempts, but 30 s of Retry-After < 120 s.
    ids = export(policy(clock, attempts=5, total_timeout=120.0), server(4, {3: 30}))
    assert ids == [f"ur_{n:08d}" for n in range(8)]
    assert clock.sleeps == [1.0] * 30


def test_the_budget_resets_after_each_page() -> None:
    clock = FakeTime()
    # Each later page waits 50 s: 150 s in all, more than the 60 s stretch, and still fine.
    failures = {2: 50, 3: 50, 4: 50}
    ids = export(policy(clock, total_timeout=60.0, max_delay=1.0), server(4, failures))
    assert len(ids) == 8
    assert clock.now == 150.0


def test_a_run_without_progress_gives_up_after_the_stretch() -> None:
    clock = FakeTime()
    with pytest.raises(errors.RateLimited):
        export(policy(clock, total_timeout=20.0), server(4, {2: 10_000}))
    # Page 2 started at 0 s; a wait that would end at or past 20 s is not taken.
    assert clock.now == 19.0


def test_the_first_page_keeps_the_attempt_budget() -> None:
    # No progress yet: a dead or refusing server fails the command as any request does.
    clock = FakeTime()
    with pytest.raises(errors.RateLimited):
        export(policy(clock, attempts=3), server(2, {1: 10}))
    assert clock.sleeps == [1.0, 1.0]


def test_an_explicit_attempt_limit_caps_each_page() -> None:
    clock = FakeTime()
    with pytest.raises(errors.RateLimited):
        export(policy(clock, attempts=3, page_attempts=3), server(3, {2: 10}))
    assert clock.sleeps == [1.0, 1.0]
    assert RetryPolicy.from_env({"PORTAL_RETRY_ATTEMPTS": "4"}).page_attempts == 4
    assert RetryPolicy.from_env({}).page_attempts is None


def test_retry_after_is_honoured_and_each_wait_is_announced_with_its_page() -> None:
    clock = FakeTime()
    notices: list[tuple[int, float, str]] = []
    export(
        policy(clock, max_delay=8.0),
        server(3, {2: 2, 3: 1}),
        lambda page, delay, reason: notices.append((page, delay, reason)),
    )
    assert notices == [(2, 1.0, "503"), (2, 1.0, "503"), (3, 1.0, "503")]


def test_pages_carry_the_cursor_that_continues_after_them() -> None:
    clock = FakeTime()
    with respx.mock(base_url=HOST) as api, PortalClient(HOST, "pst_t", retry=policy(clock)) as c:
        api.get(PATH).mock(side_effect=server(3, {}))
        pages = list(c.iter_usage_record_pages("acct_1", page_size=2))
        assert [p.next_cursor for p in pages] == ["ur_00000001", "ur_00000003", None]
        rest = list(c.iter_usage_record_pages("acct_1", page_size=2, starting_after="ur_00000001"))
    assert [r["id"] for page in rest for r in page] == [f"ur_{n:08d}" for n in range(2, 6)]
