"""API keys: secrets shown once, hashed storage, scope, expiry, revoke and roll."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sandbox_support import ADMIN, OWNER, Sandbox, err, ok, parse_time, rfc3339


def test_create_shows_the_secret_once(sb: Sandbox) -> None:
    a = sb.ids.support
    key = ok(sb.post(f"/v1/accounts/{a}/api_keys", ADMIN, json={"name": " CI deploys "}))
    assert key["id"].startswith("key_") and key["name"] == "CI deploys"
    secret = key["secret"]
    assert secret.startswith("sk_") and secret.startswith(key["prefix"])
    assert secret.endswith(key["last4"]) and len(key["last4"]) == 4
    assert key["status"] == "active" and key["last_used_at"] is None
    listed = sb.get(f"/v1/accounts/{a}/api_keys", ADMIN)
    assert secret not in listed.text
    row = next(k for k in ok(listed)["data"] if k["id"] == key["id"])
    assert row["secret"] is None and row["last4"] == key["last4"]


def test_a_key_acts_on_its_account_and_records_its_last_use(sb: Sandbox) -> None:
    a = sb.ids.support
    key = sb.create_api_key(a)
    sb.advance(timedelta(minutes=10))
    assert ok(sb.get(f"/v1/accounts/{a}", key["secret"]), 200)["id"] == a
    row = next(k for k in sb.walk(f"/v1/accounts/{a}/api_keys") if k["id"] == key["id"])
    assert row["last_used_at"] is not None
    assert abs(parse_time(row["last_used_at"]) - sb.clock) < timedelta(minutes=1)


def test_a_key_reaches_no_other_account(sb: Sandbox) -> None:
    key = sb.create_api_key(sb.ids.support)["secret"]
    err(sb.get(f"/v1/accounts/{sb.ids.sales}", key), 404)
    err(sb.get(f"/v1/accounts/{sb.ids.globex}", key), 404)
    assert [o["id"] for o in sb.walk("/v1/orgs", key)] == [sb.ids.acme_org]


@pytest.mark.parametrize(
    "path",
    [
        "/v1/me",
        "/v1/accounts/{a}/api_keys",
        "/v1/accounts/{a}/subscription",
        "/v1/accounts/{a}/invoices",
    ],
)
def test_a_key_cannot_manage_keys_billing_or_personal_settings(sb: Sandbox, path: str) -> None:
    key = sb.create_api_key(sb.ids.support)["secret"]
    err(sb.get(path.format(a=sb.ids.support), key), 403, "permission_error")


def test_revoke(sb: Sandbox) -> None:
    a = sb.ids.support
    key = sb.create_api_key(a)
    revoked = ok(sb.post(f"/v1/accounts/{a}/api_keys/{key['id']}/revoke"), 200)
    assert revoked["status"] == "revoked" and revoked.get("secret") is None
    err(sb.get(f"/v1/accounts/{a}", key["secret"]), 401, "authentication_error")
    err(sb.post(f"/v1/accounts/{a}/api_keys/key_nope/revoke"), 404)


def test_roll_keeps_the_old_secret_alive_for_a_while(sb: Sandbox) -> None:
    a = sb.ids.support
    key = sb.create_api_key(a)
    rolled = ok(
        sb.post(f"/v1/accounts/{a}/api_keys/{key['id']}/roll", json={"old_expires_in": 3600})
    )
    assert rolled["secret"] and rolled["secret"] != key["secret"]
    assert rolled["secret"].endswith(rolled["last4"])
    ok(sb.get(f"/v1/accounts/{a}", key["secret"]), 200)
    ok(sb.get(f"/v1/accounts/{a}", rolled["secret"]), 200)
    sb.advance(timedelta(hours=1, minutes=1))
    err(sb.get(f"/v1/accounts/{a}", key["secret"]), 401)
    ok(sb.get(f"/v1/accounts/{a}", rolled["secret"]), 200)


def test_roll_with_no_grace_ends_the_old_secret_now(sb: Sandbox) -> None:
    a = sb.ids.support
    key = sb.create_api_key(a)
    rolled = ok(sb.post(f"/v1/accounts/{a}/api_keys/{key['id']}/roll", json={"old_expires_in": 0}))
    err(sb.get(f"/v1/accounts/{a}", key["secret"]), 401)
    ok(sb.get(f"/v1/accounts/{a}", rolled["secret"]), 200)


@pytest.mark.parametrize("grace", [-1, 7 * 24 * 3600 + 1, "soon"])
def test_roll_validates_the_grace_period(sb: Sandbox, grace: object) -> None:
    a = sb.ids.support
    key = sb.create_api_key(a)
    resp = sb.post(f"/v1/accounts/{a}/api_keys/{key['id']}/roll", json={"old_expires_in": grace})
    err(resp, 422, "invalid_request_error", param="old_expires_in")
    ok(sb.get(f"/v1/accounts/{a}", key["secret"]), 200)


def test_a_key_with_an_expiry_stops_working_then(sb: Sandbox) -> None:
    a = sb.ids.support
    expires = sb.clock + timedelta(days=1)
    key = ok(
        sb.post(
            f"/v1/accounts/{a}/api_keys", json={"name": "short", "expires_at": rfc3339(expires)}
        )
    )
    assert parse_time(key["expires_at"]) == expires
    ok(sb.get(f"/v1/accounts/{a}", key["secret"]), 200)
    sb.advance(timedelta(days=1, minutes=1))
    err(sb.get(f"/v1/accounts/{a}", key["secret"]), 401)
    row = next(k for k in sb.walk(f"/v1/accounts/{a}/api_keys", OWNER) if k["id"] == key["id"])
    assert row["status"] == "expired"


@pytest.mark.parametrize("name", ["", "   ", "k" * 101, "bell\x07"])
def test_key_names_are_validated(sb: Sandbox, name: str) -> None:
    a = sb.ids.support
    before = sb.walk(f"/v1/accounts/{a}/api_keys")
    err(sb.post(f"/v1/accounts/{a}/api_keys", json={"name": name}), 422, param="name")
    assert sb.walk(f"/v1/accounts/{a}/api_keys") == before
