"""Hardening found by a fuzzer and a first user: control characters in free text, null in
partial updates, strict booleans, `Allow` on 405, HEAD, and what the idempotency store keeps."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from pydantic import ValidationError
from sandbox_support import ADMIN, OWNER, PASSWORD, Sandbox, err, ok

CONTROLS = ["\x1b[31m", "\x07", "\r", "\n", "\t", "\x85", "\u202e", "\u200b", "\U000e0041"]


def _org(sb: Sandbox) -> str:
    return f"/v1/orgs/{sb.ids.acme_org}"


@pytest.mark.parametrize("field", ["name", "legal_name", "address", "tax_id", "billing_email"])
@pytest.mark.parametrize("control", CONTROLS, ids=repr)
def test_org_free_text_refuses_control_characters_anywhere(
    sb: Sandbox, field: str, control: str
) -> None:
    before = ok(sb.get(_org(sb)))
    value = f"billing{control}@acme.test" if field == "billing_email" else f"Acme{control}Ltd"
    err(sb.patch(_org(sb), json={field: value}), 422, "invalid_request_error", param=field)
    # Leading and trailing ones too: trimming never silently drops a control character.
    edge = f"{value}{control}" if field != "billing_email" else f"{control}a@acme.test"
    err(sb.patch(_org(sb), json={field: edge}), 422, param=field)
    assert ok(sb.get(_org(sb))) == before


def test_org_free_text_with_ordinary_characters_is_stored_trimmed(sb: Sandbox) -> None:
    body = {"address": "  1 Main St, Springfield  ", "tax_id": " DE123 ", "legal_name": "Acme Ltd"}
    org = ok(sb.patch(_org(sb), json=body))
    assert (org["address"], org["tax_id"], org["legal_name"]) == (
        "1 Main St, Springfield",
        "DE123",
        "Acme Ltd",
    )
    err(sb.patch(_org(sb), json={"address": "x" * 501}), 422, param="address")
    err(sb.patch(_org(sb), json={"tax_id": "x" * 51}), 422, param="tax_id")


def test_invitation_emails_api_key_names_and_confirmations_refuse_control_characters(
    sb: Sandbox,
) -> None:
    a = sb.ids.support
    before = len(sb.walk(f"/v1/accounts/{a}/invitations"))
    resp = sb.post(
        f"/v1/accounts/{a}/invitations", json={"emails": ["ok@x.test", "a\x1b[2J@x.test"]}
    )
    err(resp, 422, param="emails.1")
    assert len(sb.walk(f"/v1/accounts/{a}/invitations")) == before
    err(sb.post(f"/v1/accounts/{a}/api_keys", json={"name": "ci\u202ekey"}), 422, param="name")
    err(sb.post("/v1/orgs", json={"name": "new\n"}), 422, param="name")
    body = {"confirm_name": "Support\x07", "password": PASSWORD}
    err(sb.post(f"/v1/accounts/{a}/close", json=body), 422, param="confirm_name")


def test_integration_string_settings_refuse_control_characters(sb: Sandbox) -> None:
    a = sb.ids.support
    body = {"type": "webhook", "settings": {"url": "https://hooks.test/\x1b]8;;evil\x07"}}
    err(sb.post(f"/v1/accounts/{a}/integrations", json=body), 422)
    configured = sb.walk(f"/v1/accounts/{a}/integrations")
    assert all(i["type"] != "webhook" for i in configured) or all(
        "\x1b" not in str(i["settings"]) for i in configured
    )
    for integration in configured:
        path = f"/v1/accounts/{a}/integrations/{integration['id']}"
        resp = sb.patch(path, json={"settings": {"channel\u200b": "x"}})
        err(resp, 422, param="settings")
        assert ok(sb.get(path)) == integration


@pytest.mark.parametrize(
    ("path", "field"),
    [("/v1/orgs/{o}", "name"), ("/v1/me", "display_name"), ("/v1/me", "theme")],
)
def test_null_for_a_field_that_cannot_be_cleared_is_422_not_500(
    sb: Sandbox, path: str, field: str
) -> None:
    url = path.format(o=sb.ids.acme_org)
    before = ok(sb.get(url))
    err(sb.patch(url, json={field: None}), 422, "invalid_request_error", param=field)
    assert ok(sb.get(url)) == before


def test_null_notifications_are_422_and_optional_org_fields_can_still_be_cleared(
    sb: Sandbox,
) -> None:
    err(sb.patch("/v1/me", json={"notifications": None}), 422, param="notifications")
    err(
        sb.patch("/v1/me", json={"notifications": {"notes": None}}),
        422,
        param="notifications.notes",
    )
    ok(sb.patch(_org(sb), json={"legal_name": "Acme Ltd"}))
    assert ok(sb.patch(_org(sb), json={"legal_name": None}))["legal_name"] is None
    name = ok(sb.get(f"/v1/accounts/{sb.ids.support}"))["name"]
    err(sb.patch(f"/v1/accounts/{sb.ids.support}", json={"name": None}), 422, param="name")
    assert ok(sb.get(f"/v1/accounts/{sb.ids.support}"))["name"] == name


@pytest.mark.parametrize("value", ["no", "false", "true", 0, 1, "", None, [], {}])
def test_at_period_end_must_be_a_real_boolean(sb: Sandbox, value: Any) -> None:
    path = f"/v1/accounts/{sb.ids.support}/subscription"
    before = ok(sb.get(path))
    resp = sb.post(f"{path}/cancel", json={"at_period_end": value})
    err(resp, 422, "invalid_request_error", param="at_period_end")
    assert ok(sb.get(path)) == before


@pytest.mark.parametrize("value", ["off", "true", 0, 1])
def test_notification_switches_must_be_real_booleans(sb: Sandbox, value: Any) -> None:
    before = ok(sb.get("/v1/me"))["notifications"]
    resp = sb.patch("/v1/me", json={"notifications": {"notes": value}})
    err(resp, 422, param="notifications.notes")
    assert ok(sb.get("/v1/me"))["notifications"] == before


def test_405_lists_every_method_of_the_path(sb: Sandbox) -> None:
    a = sb.ids.support
    integration = sb.walk(f"/v1/accounts/{a}/integrations")[0]["id"]
    resp = sb.call("PUT", f"/v1/accounts/{a}/integrations/{integration}", json={})
    error = err(resp, 405, "invalid_request_error", code="method_not_allowed")
    assert resp.headers["Allow"] == "GET, HEAD, PATCH, DELETE"
    assert "GET, HEAD, PATCH, DELETE" in error["message"]
    resp = sb.call("DELETE", "/v1/orgs")
    err(resp, 405)
    assert resp.headers["Allow"] == "GET, HEAD, POST"
    resp = sb.call("GET", f"/v1/accounts/{a}/close")
    err(resp, 405)
    assert resp.headers["Allow"] == "POST"


def test_head_answers_like_get_without_a_body(sb: Sandbox) -> None:
    get = sb.get("/v1/me")
    head = sb.call("HEAD", "/v1/me")
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]
    assert sb.call("HEAD", "/v1/me", None).status_code == 401
    resp = sb.call("HEAD", f"/v1/accounts/{sb.ids.support}/close")
    assert resp.status_code == 405
    assert resp.headers["Allow"] == "POST"


def _idempotency_rows(sb: Sandbox) -> list[sqlite3.Row]:
    store = sb.client.app.state.sandbox.store  # type: ignore[attr-defined]
    with store.read() as db:
        return list(db.execute("SELECT * FROM idempotency"))


def test_session_creation_is_never_stored_for_replay(sb: Sandbox) -> None:
    headers = {"Idempotency-Key": "sign-in-1"}
    body = {"email": ADMIN, "password": PASSWORD}
    first = ok(sb.post("/v1/auth/sessions", None, json=body, headers=headers), 201)
    second = sb.post("/v1/auth/sessions", None, json=body, headers=headers)
    assert second.headers.get("Idempotent-Replayed") in (None, "false")
    assert ok(second, 201)["token"] != first["token"]
    stored = b"".join(bytes(row["body"]) for row in _idempotency_rows(sb))
    assert first["token"].encode() not in stored
    assert second.json()["token"].encode() not in stored
    assert ok(sb.get("/v1/me", first["token"]))["email"] == ADMIN


def test_anonymous_callers_do_not_share_an_idempotency_namespace(sb: Sandbox) -> None:
    key = {"Idempotency-Key": "reset-1"}
    ok(sb.post("/v1/auth/password_resets", None, json={"email": OWNER}, headers=key), 202)
    # Another anonymous caller with the same key but its own request: processed, not a 409 and
    # not a replay of the first caller's response.
    resp = sb.post("/v1/auth/password_resets", None, json={"email": ADMIN}, headers=key)
    assert ok(resp, 202) is not None
    assert resp.headers.get("Idempotent-Replayed") in (None, "false")
    assert sb.outbox(ADMIN), "the second caller's reset was not processed"
    code = sb.latest_code(OWNER)
    confirm = {"email": OWNER, "code": code, "new_password": "a-new-password-1"}
    ok(sb.post("/v1/auth/password_resets/confirm", None, json=confirm, headers=key))
    # Someone guessing the key cannot replay the confirmation without its body (the code).
    guess = {"email": OWNER, "code": "00000000", "new_password": "a-new-password-1"}
    resp = sb.post("/v1/auth/password_resets/confirm", None, json=guess, headers=key)
    err(resp, 400, code="invalid_code")
    # The same caller retrying its own request gets its replay.
    replay = sb.post("/v1/auth/password_resets/confirm", None, json=confirm, headers=key)
    assert ok(replay) is not None
    assert replay.headers.get("Idempotent-Replayed") == "true"


def test_authenticated_reuse_of_a_key_is_still_a_409(sb: Sandbox) -> None:
    headers = {"Idempotency-Key": "org-1"}
    ok(sb.post("/v1/orgs", json={"name": "One"}, headers=headers), 201)
    err(sb.post("/v1/orgs", json={"name": "Two"}, headers=headers), 409)


@pytest.mark.parametrize(
    "since", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00", "0404-07-18T05:30:00Z"]
)
def test_usage_dates_at_the_edges_of_time_are_not_a_500(sb: Sandbox, since: str) -> None:
    path = f"/v1/accounts/{sb.ids.support}/usage_records"
    records = ok(sb.get(path, params={"since": since, "limit": 5}))["data"]
    if since.startswith("9999"):
        assert records == []
    else:
        assert records  # everything since year 1 or 404


@pytest.mark.parametrize("since", ["2026-01-01T10", "2026W011", "2026-13-01", "yesterday"])
def test_usage_dates_that_are_not_rfc_3339_are_422(sb: Sandbox, since: str) -> None:
    path = f"/v1/accounts/{sb.ids.support}/usage_records"
    err(sb.get(path, params={"since": since}), 422, param="since")


def test_the_wire_models_refuse_the_same_before_sending() -> None:
    from chathq_cli.api.billing import SubscriptionCancel
    from chathq_cli.api.integrations import IntegrationUpdate
    from chathq_cli.api.orgs import OrgUpdate
    from chathq_cli.api.team import InvitationCreate

    for model, data in [
        (OrgUpdate, {"address": "1 Main St\x1b[2J"}),
        (OrgUpdate, {"tax_id": "\u202eDE1"}),
        (OrgUpdate, {"name": None}),
        (SubscriptionCancel, {"at_period_end": "no"}),
        (InvitationCreate, {"emails": ["a\x07@b.test"]}),
        (IntegrationUpdate, {"settings": {"url": "https://x.test/\n"}}),
    ]:
        with pytest.raises(ValidationError):
            model.model_validate(data)
    assert SubscriptionCancel.model_validate({"at_period_end": False}).at_period_end is False


def test_control_ranges_cover_this_pythons_control_characters() -> None:
    """The fixed table in api/rules.py must hold every Cc/Cf/Zl/Zp character this Python knows
    (a newer Unicode may add some: then extend the table and regenerate docs/openapi.json)."""
    import sys
    import unicodedata

    from chathq_cli.api import rules

    missing = [
        f"U+{cp:04X}"
        for cp in range(sys.maxunicode + 1)
        if unicodedata.category(chr(cp)) in ("Cc", "Cf", "Zl", "Zp")
        and not rules.has_control(chr(cp))
    ]
    assert not missing, missing
