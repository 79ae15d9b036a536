"""Exactly-once under faults, against a real server on a loopback socket (dropped connections
are real): a client that retries each create with its own Idempotency-Key ends with every
operation applied once."""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
from sandbox_support import OWNER, Sandbox, auth, describe, err, items, login, ok

OPERATIONS = 300
RETRYABLE_STATUS = {429, 500, 502, 503, 504}


def create_with_retries(
    client: httpx.Client, path: str, body: dict[str, Any], key: str, token: str, stats: Counter[str]
) -> httpx.Response:
    """Retry on 5xx, 429 and connection errors with the same key and body. No sleeping:
    Retry-After only matters to real clients."""
    headers = {**auth(token), "Idempotency-Key": key}
    for _ in range(50):
        try:
            resp = client.post(path, json=body, headers=headers)
        except httpx.TransportError as exc:  # dropped connection (error_after)
            stats[f"transport:{type(exc).__name__}"] += 1
            continue
        if resp.status_code in RETRYABLE_STATUS:
            stats[f"status:{resp.status_code}"] += 1
            if resp.status_code in (429, 503):
                assert resp.headers.get("Retry-After"), describe(resp)
            continue
        if resp.headers.get("Idempotent-Replayed") == "true":
            stats["replayed"] += 1
        return resp
    raise AssertionError(f"{key}: still failing after 50 attempts")


def test_invitations_are_created_exactly_once_under_faults(live: Sandbox) -> None:
    token = login(live.client, OWNER)
    account = live.ids.support
    path = f"/v1/accounts/{account}/invitations"
    before = live.walk(path, limit=1000)
    live.faults(0.35, ["error_after", "error_before", "rate_limit"], seed=7)

    stats: Counter[str] = Counter()
    # A fresh connection pool per run; keep-alive connections are re-opened after a drop.
    with httpx.Client(base_url=str(live.client.base_url), timeout=10) as client:
        for n in range(OPERATIONS):
            email = f"load.{n:03d}@example.com"
            resp = create_with_retries(
                client, path, {"emails": [email], "role": "member"}, f"invite-{n:03d}", token, stats
            )
            created = items(ok(resp))
            assert [i["email"] for i in created] == [email], describe(resp)

    live.faults(0.0)
    after = live.walk(path, limit=1000)
    counts = Counter(i["email"] for i in after)
    wanted = {f"load.{n:03d}@example.com" for n in range(OPERATIONS)}
    assert {e: c for e, c in counts.items() if e in wanted and c != 1} == {}
    assert wanted <= set(counts)
    assert len(after) == len(before) + OPERATIONS
    # One mail per invitation, however many retries it took.
    mails = Counter(m["to"] for m in live.outbox() if m["to"] in wanted)
    assert set(mails.values()) == {1} and len(mails) == OPERATIONS

    # The faults really happened, of every kind asked for.
    assert stats["status:503"] and stats["status:429"], stats
    assert stats["status:500"] + sum(v for k, v in stats.items() if k.startswith("transport:")), (
        stats
    )
    assert stats["replayed"], stats


def test_faults_never_touch_sandbox_endpoints(live: Sandbox) -> None:
    live.faults(1.0, ["error_before"], seed=1)
    for _ in range(20):
        ok(live.client.get("/_sandbox/outbox"), 200)
    resp = live.client.get("/v1/usage_prices")
    assert resp.status_code == 503 and resp.headers.get("Retry-After"), describe(resp)
    live.faults(0.0)
    ok(live.client.get("/v1/usage_prices", headers=auth(login(live.client, OWNER))), 200)


def test_a_dropped_connection_leaves_the_server_running(live: Sandbox) -> None:
    token = login(live.client, OWNER)
    live.faults(1.0, ["error_after"], seed=3)
    outcomes: Counter[str] = Counter()
    with httpx.Client(base_url=str(live.client.base_url), timeout=10) as client:
        for n in range(20):
            try:
                resp = client.post("/v1/orgs", json={"name": f"Org {n}"}, headers=auth(token))
                outcomes[str(resp.status_code)] += 1
                assert resp.status_code == 500, describe(resp)
                assert resp.json()["error"]["type"] == "api_error"
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                outcomes[type(exc).__name__] += 1
    live.faults(0.0)
    assert outcomes["500"] and sum(outcomes.values()) - outcomes["500"], outcomes
    # error_after commits the work first: all 20 orgs exist.
    names = [o["name"] for o in live.walk("/v1/orgs", OWNER)]
    assert sorted(n for n in names if n.startswith("Org ")) == sorted(f"Org {n}" for n in range(20))


def test_concurrent_requests_with_one_key_apply_once(live: Sandbox) -> None:
    """Ten clients race with the same key and body: one invitation, every answer a success
    (the original or its replay) or a 409 telling the loser to retry."""
    from concurrent.futures import ThreadPoolExecutor

    token = login(live.client, OWNER)
    path = f"/v1/accounts/{live.ids.support}/invitations"
    headers = {**auth(token), "Idempotency-Key": "race-1"}
    body = {"emails": ["race@example.com"]}

    def send(_: int) -> httpx.Response:
        with httpx.Client(base_url=str(live.client.base_url), timeout=10) as client:
            return client.post(path, json=body, headers=headers)

    with ThreadPoolExecutor(10) as pool:
        responses = list(pool.map(send, range(10)))
    created = [r for r in responses if r.status_code < 300]
    assert created, [describe(r) for r in responses]
    assert all(r.status_code < 300 or r.status_code == 409 for r in responses), [
        describe(r) for r in responses
    ]
    assert len({items(r.json())[0]["id"] for r in created}) == 1
    emails = [i["email"] for i in live.walk(path, limit=1000)]
    assert emails.count("race@example.com") == 1
    assert len(live.outbox("race@example.com")) == 1


def test_the_latency_ceiling_is_configurable(sb: Sandbox) -> None:
    """Long fault runs (the chaos test) keep `latency` in the mix without waiting 0.2 s."""
    from chathq_cli.sandbox.faults import Faults

    state = ok(
        sb.client.post(
            "/_sandbox/faults", json={"rate": 0.5, "kinds": ["latency"], "max_latency": 0.01}
        )
    )
    assert state["max_latency"] == 0.01
    faults = Faults()
    faults.configure(1.0, ["latency"], 3, max_latency=0.01)
    assert all(0.0025 <= faults.latency_seconds() <= 0.01 for _ in range(50))
    err(sb.client.post("/_sandbox/faults", json={"rate": 0.5, "max_latency": 60}), 422)
