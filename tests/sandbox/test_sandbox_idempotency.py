"""Idempotency-Key: replays, reuse with another body or path, nothing stored on failure."""

from __future__ import annotations

from datetime import timedelta

from sandbox_support import ADMIN, OWNER, Sandbox, err, items, ok


def _keys(sb: Sandbox) -> list[dict]:
    return sb.walk(f"/v1/accounts/{sb.ids.support}/api_keys")


def test_a_replay_returns_the_same_response_and_creates_nothing(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}/api_keys"
    before = len(_keys(sb))
    headers = {"Idempotency-Key": "create-key-1"}
    first = sb.post(path, json={"name": "deploy"}, headers=headers)
    body = ok(first)
    assert first.headers.get("Idempotent-Replayed") in (None, "false")
    replay = sb.post(path, json={"name": "deploy"}, headers=headers)
    assert replay.status_code == first.status_code
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == body
    assert len(_keys(sb)) == before + 1


def test_the_same_key_with_another_body_or_path_is_409(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}/api_keys"
    headers = {"Idempotency-Key": "create-key-2"}
    ok(sb.post(path, json={"name": "deploy"}, headers=headers))
    err(
        sb.post(path, json={"name": "other"}, headers=headers),
        409,
        "idempotency_error",
        "idempotency_key_reused",
    )
    err(
        sb.post("/v1/orgs", json={"name": "deploy"}, headers=headers),
        409,
        "idempotency_error",
        "idempotency_key_reused",
    )
    assert "deploy" not in [o["name"] for o in sb.walk("/v1/orgs")]
    assert [k["name"] for k in _keys(sb)].count("other") == 0


def test_a_request_that_fails_validation_stores_nothing(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}/api_keys"
    headers = {"Idempotency-Key": "create-key-3"}
    err(sb.post(path, json={"name": ""}, headers=headers), 422, param="name")
    resp = sb.post(path, json={"name": "valid now"}, headers=headers)
    ok(resp)
    assert resp.headers.get("Idempotent-Replayed") in (None, "false")
    assert [k["name"] for k in _keys(sb)].count("valid now") == 1


def test_a_request_refused_for_permission_stores_nothing(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}/invitations"
    headers = {"Idempotency-Key": "invite-1"}
    body = {"emails": ["new.hire@example.com"]}
    err(sb.post(path, "member@demo.chathq.test", json=body, headers=headers), 403)
    # The same key used by an admin is a new operation, not a replay of the 403.
    resp = sb.post(path, ADMIN, json=body, headers=headers)
    assert resp.status_code < 300, resp.text


def test_keys_are_per_caller(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}/api_keys"
    headers = {"Idempotency-Key": "shared-key"}
    mine = ok(sb.post(path, OWNER, json={"name": "same"}, headers=headers))
    theirs = sb.post(path, ADMIN, json={"name": "same"}, headers=headers)
    # Another caller never gets the owner's stored response (it holds a secret).
    assert theirs.headers.get("Idempotent-Replayed") != "true"
    if theirs.status_code < 300:
        assert theirs.json()["id"] != mine["id"] and theirs.json()["secret"] != mine["secret"]
    else:
        err(theirs, 409, "idempotency_error", "idempotency_key_reused")


def test_patch_and_delete_replay_too(sb: Sandbox) -> None:
    a = sb.ids.support
    headers = {"Idempotency-Key": "rename-1"}
    first = ok(sb.patch(f"/v1/accounts/{a}", json={"name": "Renamed"}, headers=headers))
    replay = sb.patch(f"/v1/accounts/{a}", json={"name": "Renamed"}, headers=headers)
    assert replay.headers.get("Idempotent-Replayed") == "true" and replay.json() == first

    integration = sb.walk(f"/v1/accounts/{a}/integrations")[0]
    path = f"/v1/accounts/{a}/integrations/{integration['id']}"
    headers = {"Idempotency-Key": "remove-1"}
    gone = sb.delete(path, headers=headers)
    ok(gone)
    again = sb.delete(path, headers=headers)
    assert again.status_code == gone.status_code, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    err(sb.delete(path), 404)


def test_invitations_replay_without_a_second_mail(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}/invitations"
    headers = {"Idempotency-Key": "invite-2"}
    first = items(ok(sb.post(path, json={"emails": ["once@example.com"]}, headers=headers)))
    again = items(ok(sb.post(path, json={"emails": ["once@example.com"]}, headers=headers)))
    assert first == again
    assert len(sb.outbox("once@example.com")) == 1
    assert [i["email"] for i in sb.walk(path)].count("once@example.com") == 1


def test_stored_responses_expire_after_24_hours(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}/api_keys"
    headers = {"Idempotency-Key": "old-key"}
    ok(sb.post(path, json={"name": "day one"}, headers=headers))
    sb.advance(timedelta(hours=25))
    resp = sb.post(path, json={"name": "day two"}, headers=headers)
    assert resp.status_code < 300, resp.text
    assert resp.headers.get("Idempotent-Replayed") != "true"
