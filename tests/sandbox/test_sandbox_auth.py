"""Sessions, password resets, tokens and the error envelope shared by every endpoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sandbox_support import (
    MEMBER,
    OWNER,
    PASSWORD,
    Sandbox,
    err,
    login,
    ok,
    parse_time,
)


def test_sign_in_returns_a_session_token_valid_for_30_days(sb: Sandbox) -> None:
    session = ok(sb.post("/v1/auth/sessions", None, json={"email": OWNER, "password": PASSWORD}))
    assert session["object"] == "session"
    assert session["token"].startswith("pst_") and len(session["token"]) == 36
    assert session["user"]["email"] == OWNER
    # The sandbox clock ticks on from where the test pinned it: allow for the seconds since.
    expected = sb.clock + timedelta(days=30)
    assert timedelta(0) <= parse_time(session["expires_at"]) - expected < timedelta(minutes=1)
    me = ok(sb.get("/v1/me", session["token"]), 200)
    assert me["email"] == OWNER


def test_sessions_say_how_long_they_last_by_the_servers_clock(sb: Sandbox) -> None:
    """expires_in is counted on the server's clock, so a client with a wrong clock can use it."""
    session = ok(sb.post("/v1/auth/sessions", None, json={"email": OWNER, "password": PASSWORD}))
    thirty_days = int(timedelta(days=30).total_seconds())
    assert thirty_days - 60 < session["expires_in"] <= thirty_days
    token = session["token"]
    current = ok(sb.get("/v1/auth/sessions/current", token), 200)
    assert current["expires_at"] == session["expires_at"]
    assert "token" not in current
    sb.advance(timedelta(days=29, hours=23))
    later = ok(sb.get("/v1/auth/sessions/current", token), 200)
    assert 3000 < later["expires_in"] <= 3600
    sb.advance(timedelta(hours=1, seconds=1))
    err(sb.get("/v1/auth/sessions/current", token), 401, code="invalid_token")


def test_sign_in_is_case_insensitive_on_email(sb: Sandbox) -> None:
    ok(sb.post("/v1/auth/sessions", None, json={"email": OWNER.upper(), "password": PASSWORD}))


def test_wrong_password_and_unknown_email_look_the_same(sb: Sandbox) -> None:
    wrong = err(
        sb.post("/v1/auth/sessions", None, json={"email": OWNER, "password": "nope-nope"}),
        401,
        "authentication_error",
        "invalid_credentials",
    )
    unknown = err(
        sb.post(
            "/v1/auth/sessions", None, json={"email": "ghost@demo.chathq.test", "password": "x"}
        ),
        401,
        "authentication_error",
        "invalid_credentials",
    )
    assert wrong["message"] == unknown["message"]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"email": "not-an-email", "password": "x"}, "email"),
        ({"email": OWNER}, "password"),
        ({"password": PASSWORD}, "email"),
        ({"email": OWNER, "password": PASSWORD, "extra": 1}, "extra"),
    ],
)
def test_sign_in_validation_names_the_field(sb: Sandbox, body: dict, param: str) -> None:
    err(sb.post("/v1/auth/sessions", None, json=body), 422, "invalid_request_error", param=param)


def test_signing_out_ends_only_that_session(sb: Sandbox) -> None:
    first = login(sb.client, OWNER)
    second = login(sb.client, OWNER)
    ok(sb.delete("/v1/auth/sessions/current", first))
    err(sb.get("/v1/me", first), 401, "authentication_error")
    ok(sb.get("/v1/me", second), 200)


def test_session_expires_after_30_days_of_sandbox_time(sb: Sandbox) -> None:
    token = sb.token(OWNER)
    sb.advance(timedelta(days=29, hours=23))
    ok(sb.get("/v1/me", token), 200)
    sb.advance(timedelta(hours=2))
    err(sb.get("/v1/me", token), 401, "authentication_error")


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer pst_thisisnotavalidtokenatall0000000000"},
        {"Authorization": "Bearer sk_test_notakey"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic b3duZXI6Y2hhdGhxLWRlbW8="},
        {"Authorization": PASSWORD},
    ],
    ids=["none", "bad-session", "bad-key", "empty", "basic", "no-scheme"],
)
def test_missing_or_bad_credentials_are_401(sb: Sandbox, headers: dict[str, str]) -> None:
    resp = sb.client.get("/v1/me", headers=headers)
    err(resp, 401, "authentication_error")


def test_password_reset_is_accepted_for_any_address(sb: Sandbox) -> None:
    for email in (OWNER, "nobody@demo.chathq.test"):
        body = ok(sb.post("/v1/auth/password_resets", None, json={"email": email}), 202)
        assert body["object"] == "accepted"
    assert sb.outbox(OWNER)
    assert not sb.outbox("nobody@demo.chathq.test")


def test_password_reset_confirm_changes_password_and_ends_other_sessions(sb: Sandbox) -> None:
    old_session = sb.token(MEMBER)
    ok(sb.post("/v1/auth/password_resets", None, json={"email": MEMBER}), 202)
    code = sb.latest_code(MEMBER)
    new_password = "a-brand-new-password"
    confirm = {"email": MEMBER, "code": code, "new_password": new_password}
    ok(sb.post("/v1/auth/password_resets/confirm", None, json=confirm))
    err(sb.get("/v1/me", old_session), 401, "authentication_error")
    err(
        sb.post("/v1/auth/sessions", None, json={"email": MEMBER, "password": PASSWORD}),
        401,
        code="invalid_credentials",
    )
    login(sb.client, MEMBER, new_password)
    # The code is single-use.
    again = sb.post(
        "/v1/auth/password_resets/confirm", None, json=confirm | {"new_password": "x" * 12}
    )
    assert 400 <= again.status_code < 500 and again.status_code != 404, again.text
    login(sb.client, MEMBER, new_password)


def test_password_reset_with_a_wrong_code_changes_nothing(sb: Sandbox) -> None:
    ok(sb.post("/v1/auth/password_resets", None, json={"email": MEMBER}), 202)
    code = sb.latest_code(MEMBER)
    wrong = "000000" if code != "000000" else "111111"
    confirm = {"email": MEMBER, "code": wrong, "new_password": "another-new-password"}
    resp = sb.post("/v1/auth/password_resets/confirm", None, json=confirm)
    assert resp.status_code in (400, 401, 422), resp.text
    err(resp, resp.status_code)
    login(sb.client, MEMBER, PASSWORD)


def test_password_reset_confirm_rejects_a_short_password(sb: Sandbox) -> None:
    ok(sb.post("/v1/auth/password_resets", None, json={"email": MEMBER}), 202)
    confirm = {"email": MEMBER, "code": sb.latest_code(MEMBER), "new_password": "short"}
    err(
        sb.post("/v1/auth/password_resets/confirm", None, json=confirm),
        422,
        "invalid_request_error",
        param="new_password",
    )


# --- the envelope everywhere ---------------------------------------------------------------


def test_every_response_has_a_request_id(sb: Sandbox) -> None:
    responses = [
        sb.get("/v1/me"),
        sb.get("/v1/me", None),
        sb.get("/v1/does-not-exist"),
        sb.client.get("/openapi.json"),
        sb.post("/v1/auth/sessions", None, json={"email": "x"}),
    ]
    ids = [r.headers.get("Request-Id") for r in responses]
    assert all(i and i.startswith("req_") for i in ids), ids
    assert len(set(ids)) == len(ids)


def test_unknown_route_and_wrong_method_are_enveloped(sb: Sandbox) -> None:
    err(sb.get("/v1/does-not-exist"), 404, "invalid_request_error")
    resp = sb.call("PUT", "/v1/orgs")
    assert resp.status_code == 405, resp.text
    err(resp, 405)


def test_malformed_json_is_400(sb: Sandbox) -> None:
    resp = sb.post(
        "/v1/orgs", content=b'{"name": "Broken', headers={"Content-Type": "application/json"}
    )
    err(resp, 400, "invalid_request_error")


def test_error_bodies_carry_no_traceback(sb: Sandbox) -> None:
    for resp in (
        sb.post("/v1/orgs", content=b"\xff\xfe", headers={"Content-Type": "application/json"}),
        sb.post("/v1/orgs", json=[1, 2, 3]),
        sb.get("/v1/accounts/acct_nope/usage_records", params={"since": "2026-02-30"}),
    ):
        assert 400 <= resp.status_code < 500, resp.text
        assert "Traceback" not in resp.text and 'File "' not in resp.text


def test_password_change_takes_effect_for_new_sessions(sb: Sandbox) -> None:
    body = {"current_password": PASSWORD, "new_password": "changed-password-1"}
    ok(sb.post("/v1/me/password", MEMBER, json=body))
    login(sb.client, MEMBER, "changed-password-1")
    err(sb.post("/v1/auth/sessions", None, json={"email": MEMBER, "password": PASSWORD}), 401)


def test_password_change_needs_the_current_password(sb: Sandbox) -> None:
    body = {"current_password": "not-my-password", "new_password": "changed-password-1"}
    err(sb.post("/v1/me/password", MEMBER, json=body), 401, "authentication_error")
    login(sb.client, MEMBER, PASSWORD)


def test_a_password_reset_code_expires(sb: Sandbox) -> None:
    ok(sb.post("/v1/auth/password_resets", None, json={"email": MEMBER}), 202)
    code = sb.latest_code(MEMBER)
    sb.advance(timedelta(days=1))
    confirm = {"email": MEMBER, "code": code, "new_password": "too-late-password"}
    resp = sb.post("/v1/auth/password_resets/confirm", None, json=confirm)
    assert resp.status_code in (400, 401, 422), resp.text
    login(sb.client, MEMBER, PASSWORD)
