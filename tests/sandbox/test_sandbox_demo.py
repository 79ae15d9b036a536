"""The demo data, the sandbox-only endpoints (outbox, clock, reset, faults) and the OpenAPI
document (served, checked in, free of sandbox-only paths)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sandbox_support import (
    ADMIN,
    DEMO_USERS,
    MEMBER,
    NOW,
    OUTSIDER,
    OWNER,
    PASSWORD,
    Sandbox,
    err,
    login,
    make_app,
    ok,
)

REPO = Path(__file__).resolve().parents[2]


# --- demo data -------------------------------------------------------------------------------


@pytest.mark.parametrize("email", DEMO_USERS)
def test_demo_users_sign_in_with_the_demo_password(shared_sb: Sandbox, email: str) -> None:
    login(shared_sb.client, email, PASSWORD)
    me = ok(shared_sb.get("/v1/me", email))
    assert me["email"] == email and me["totp_enabled"] is False


def test_the_orgs_and_accounts_of_the_demo(shared_sb: Sandbox) -> None:
    sb = shared_sb
    acme = sb.walk(f"/v1/orgs/{sb.ids.acme_org}/accounts", OWNER)
    assert {a["role"] for a in acme} == {"owner"}
    globex = sb.walk(f"/v1/orgs/{sb.ids.globex_org}/accounts", OUTSIDER)
    assert len(globex) == 1 and globex[0]["role"] == "owner"
    plans = {a["plan"] for a in acme} | {globex[0]["plan"]}
    assert plans == {"connect", "interact", "transact"}, "three accounts on different packages"
    err(sb.get(f"/v1/orgs/{sb.ids.globex_org}", OWNER), 404)
    err(sb.get(f"/v1/accounts/{sb.ids.globex}", OWNER), 404)
    # admin@ and member@ belong to the first Acme account only.
    for who in (ADMIN, MEMBER):
        assert [o["id"] for o in sb.walk("/v1/orgs", who)] == [sb.ids.acme_org]
        err(sb.get(f"/v1/accounts/{sb.ids.sales}", who), 404)


def test_the_demo_account_has_something_of_everything(shared_sb: Sandbox) -> None:
    sb = shared_sb
    a = sb.ids.support
    members = sb.walk(f"/v1/accounts/{a}/members")
    assert len(members) > 3, "a few more members than the demo users"
    invitations = sb.walk(f"/v1/accounts/{a}/invitations")
    assert any(i["status"] == "pending" for i in invitations)
    assert any(x["status"] == "active" for x in sb.walk(f"/v1/accounts/{a}/invite_links"))
    assert len(sb.walk(f"/v1/accounts/{a}/api_keys")) >= 2
    assert len(sb.walk(f"/v1/accounts/{a}/payment_methods")) >= 2
    assert len(sb.walk(f"/v1/accounts/{a}/invoices")) == 12
    package = ok(sb.get(f"/v1/accounts/{a}/package"))
    assert package["bots_running"] + package["bots_paused"] > 0, "a few bots per account"
    assert package["messages_used"] > 0


def test_every_account_has_90_days_of_usage(shared_sb: Sandbox) -> None:
    sb = shared_sb
    for account, who in ((sb.ids.support, OWNER), (sb.ids.sales, OWNER), (sb.ids.globex, OUTSIDER)):
        records = sb.walk(f"/v1/accounts/{account}/usage_records", who, limit=1000)
        assert records, account
        oldest = datetime.fromisoformat(records[-1]["occurred_at"].replace("Z", "+00:00"))
        assert oldest >= NOW - timedelta(days=91)
        statuses = {r["status"] for r in records}
        assert statuses == {"paid", "unpaid"}, account


DETERMINISTIC_GETS = [
    "/v1/me",
    "/v1/orgs",
    "/v1/orgs/{o}/accounts",
    "/v1/accounts/{a}",
    "/v1/accounts/{a}/package",
    "/v1/accounts/{a}/dashboard",
    "/v1/accounts/{a}/members",
    "/v1/accounts/{a}/invitations",
    "/v1/accounts/{a}/invite_links",
    "/v1/accounts/{a}/integrations",
    "/v1/accounts/{a}/api_keys",
    "/v1/accounts/{a}/subscription",
    "/v1/accounts/{a}/payment_methods",
    "/v1/accounts/{a}/invoices",
    "/v1/accounts/{a}/usage_records?limit=1000",
    "/v1/accounts/{a}/usage_summary?group_by=week",
]


def _snapshot(seed_value: int) -> dict[str, object]:
    from fastapi.testclient import TestClient

    with TestClient(make_app(seed_value=seed_value)) as client:
        sb = Sandbox(client)
        paths = [p.format(o=sb.ids.acme_org, a=sb.ids.support) for p in DETERMINISTIC_GETS]
        snapshot: dict[str, object] = {}
        for path in paths:
            body = ok(sb.get(path), 200)
            snapshot[path] = body
        return {"ids": sb.ids, **snapshot}


def test_the_same_seed_value_gives_the_same_data() -> None:
    first, second = _snapshot(42), _snapshot(42)
    for path in first:
        assert first[path] == second[path], path
    other = _snapshot(43)
    assert other["ids"] != first["ids"] or any(
        other[p] != first[p] for p in first if p != "ids" and p in other
    ), "another seed value should give other data"


# --- sandbox-only endpoints ------------------------------------------------------------------


def test_outbox_collects_invitations_email_changes_and_reset_codes(sb: Sandbox) -> None:
    ok(
        sb.post(
            f"/v1/accounts/{sb.ids.support}/invitations", json={"emails": ["hello@example.com"]}
        )
    )
    ok(
        sb.post(
            "/v1/me/email", MEMBER, json={"new_email": "mia2@example.com", "password": PASSWORD}
        )
    )
    ok(sb.post("/v1/auth/password_resets", None, json={"email": ADMIN}), 202)
    mails = sb.outbox()
    for mail in mails:
        assert {"to", "subject", "body", "created_at"} <= set(mail), mail
    invitation = sb.outbox("hello@example.com")
    assert len(invitation) == 1 and invitation[0]["subject"], invitation
    assert sb.latest_code("mia2@example.com").isalnum()
    assert sb.latest_code(ADMIN).isalnum()


def test_moving_the_clock_resets_the_monthly_messages(sb: Sandbox) -> None:
    a = sb.ids.support
    before = ok(sb.get(f"/v1/accounts/{a}/package"))
    assert before["messages_used"] > 0
    sb.set_clock(datetime(2026, 11, 30, 23, 59, tzinfo=UTC))
    assert ok(sb.get(f"/v1/accounts/{a}/package"))["messages_used"] == before["messages_used"]
    sb.set_clock(datetime(2026, 12, 1, 0, 0, 1, tzinfo=UTC))
    after = ok(sb.get(f"/v1/accounts/{a}/package"))
    assert after["messages_used"] == 0
    assert after["period_start"].startswith("2026-12-01T00:00:00")
    assert after["limits_reset_at"].startswith("2027-01-01T00:00:00")


def test_clock_rejects_garbage(sb: Sandbox) -> None:
    resp = sb.client.post("/_sandbox/clock", json={"now": "next tuesday"})
    err(resp, 422, "invalid_request_error", param="now")


def test_reset_restores_the_seed(sb: Sandbox) -> None:
    orgs_before = sb.walk("/v1/orgs", MEMBER)
    ok(sb.post("/v1/orgs", MEMBER, json={"name": "Temporary"}))
    ok(sb.delete("/v1/me", ADMIN, json={"password": PASSWORD, "confirm_email": ADMIN}))
    sb.advance(timedelta(days=40))
    sb.faults(1.0, ["error_before"])
    ok(sb.client.post("/_sandbox/reset"))
    sb.forget()
    assert sb.walk("/v1/orgs", MEMBER) == orgs_before
    login(sb.client, ADMIN)
    assert sb.outbox() == []
    # The clock went back to its start and faults are off.
    session = ok(sb.post("/v1/auth/sessions", None, json={"email": OWNER, "password": PASSWORD}))
    expires = datetime.fromisoformat(session["expires_at"].replace("Z", "+00:00"))
    assert abs(expires - (NOW + timedelta(days=30))) < timedelta(minutes=5)


def test_faults_endpoint_validates(sb: Sandbox) -> None:
    for bad in ({"rate": 2}, {"rate": -0.1}, {"rate": 0.5, "kinds": ["meteor"]}):
        resp = sb.client.post("/_sandbox/faults", json=bad)
        assert resp.status_code == 422, resp.text
    ok(sb.get("/v1/me"), 200)


# --- the OpenAPI document --------------------------------------------------------------------


def test_sandbox_only_endpoints_are_not_in_the_openapi_document(shared_sb: Sandbox) -> None:
    spec = ok(shared_sb.client.get("/openapi.json"), 200)
    paths = set(spec["paths"])
    assert not [p for p in paths if p.startswith("/_sandbox") or not p.startswith("/v1/")], paths


def test_checked_in_openapi_matches_the_app() -> None:
    from chathq_cli.sandbox.app import create_app

    checked_in = REPO / "docs" / "openapi.json"
    assert checked_in.exists(), "docs/openapi.json is missing: run scripts/export_openapi.py"
    assert json.loads(checked_in.read_text()) == create_app(seed="empty").openapi(), (
        "docs/openapi.json drifted from the sandbox: run scripts/export_openapi.py"
    )
