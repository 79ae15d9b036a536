"""TOTP: RFC 6238 test vectors through the sandbox's own function, and enrolment via the API."""

from __future__ import annotations

import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pyotp
import pytest
from sandbox_support import MEMBER, PASSWORD, Sandbox, err, login, ok

RFC_SECRET = b"12345678901234567890"
# RFC 6238 appendix B, SHA1 column: (unix time, 8-digit code).
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("at", "code"), RFC_VECTORS)
def test_rfc6238_sha1_vectors(at: int, code: str) -> None:
    from chathq_cli.sandbox import security

    assert security.totp(RFC_SECRET, at, digits=8) == code
    # Our product uses 6 digits: the last 6 of the same value.
    assert security.totp(RFC_SECRET, at) == code[-6:]
    # Enrolled secrets are base32 text; the same key gives the same code.
    b32 = base64.b32encode(RFC_SECRET).decode()
    assert security.totp(b32, at) == code[-6:]
    assert pyotp.TOTP(b32).at(at) == code[-6:]


def test_enrolment_gives_a_usable_secret_and_10_recovery_codes(sb: Sandbox) -> None:
    enrol = ok(sb.post("/v1/me/totp", MEMBER))
    assert enrol["object"] == "totp_enrollment"
    uri = urlparse(enrol["otpauth_uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    assert parse_qs(uri.query)["secret"] == [enrol["secret"]]
    # Pending until verified: sign-in does not ask for a code yet.
    assert ok(sb.get("/v1/me", MEMBER))["totp_enabled"] is False
    login(sb.client, MEMBER)
    err(sb.post("/v1/me/totp/verify", MEMBER, json={"code": "000000"}), 401)
    assert ok(sb.get("/v1/me", MEMBER))["totp_enabled"] is False
    codes = ok(sb.post("/v1/me/totp/verify", MEMBER, json={"code": sb.totp(enrol["secret"])}))
    assert codes["object"] == "recovery_codes"
    recovery = codes["recovery_codes"]
    assert len(recovery) == 10 and len(set(recovery)) == 10
    assert ok(sb.get("/v1/me", MEMBER))["totp_enabled"] is True


def _sign_in(sb: Sandbox, **extra: str):  # type: ignore[no-untyped-def]
    return sb.post("/v1/auth/sessions", None, json={"email": MEMBER, "password": PASSWORD, **extra})


def test_sign_in_with_2fa_needs_a_code_each_accepted_once(sb: Sandbox) -> None:
    secret, _ = sb.enable_totp(MEMBER)
    err(_sign_in(sb), 401, "authentication_error", "totp_required", param="totp_code")
    err(_sign_in(sb, totp_code="123"), 401, "authentication_error", "invalid_credentials")
    code = sb.totp(secret)
    ok(_sign_in(sb, totp_code=code))
    err(_sign_in(sb, totp_code=code), 401, "authentication_error")
    # A wrong password with a right code is still refused, with the generic message.
    err(
        sb.post(
            "/v1/auth/sessions",
            None,
            json={"email": MEMBER, "password": "wrong-password", "totp_code": sb.totp(secret)},
        ),
        401,
        code="invalid_credentials",
    )


def test_codes_one_step_either_side_are_accepted_two_are_not(sb: Sandbox) -> None:
    secret, _ = sb.enable_totp(MEMBER)
    at = sb.advance(timedelta(minutes=5))
    totp = pyotp.TOTP(secret)
    ok(_sign_in(sb, totp_code=totp.at(at - timedelta(seconds=30))))
    ok(_sign_in(sb, totp_code=totp.at(at + timedelta(seconds=30))))
    err(_sign_in(sb, totp_code=totp.at(at - timedelta(seconds=60))), 401)
    err(_sign_in(sb, totp_code=totp.at(at + timedelta(seconds=60))), 401)


def test_a_recovery_code_works_once_in_place_of_a_code(sb: Sandbox) -> None:
    _, recovery = sb.enable_totp(MEMBER)
    ok(_sign_in(sb, totp_code=recovery[0]))
    err(_sign_in(sb, totp_code=recovery[0]), 401, "authentication_error")
    ok(_sign_in(sb, totp_code=recovery[1]))


def test_regenerating_recovery_codes_invalidates_the_old_ones(sb: Sandbox) -> None:
    secret, old = sb.enable_totp(MEMBER)
    body = {"password": PASSWORD, "totp_code": sb.totp(secret)}
    new = ok(sb.post("/v1/me/recovery_codes", MEMBER, json=body))["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    err(_sign_in(sb, totp_code=old[2]), 401)
    ok(_sign_in(sb, totp_code=new[0]))


def test_disable_needs_password_and_code(sb: Sandbox) -> None:
    secret, _ = sb.enable_totp(MEMBER)
    body = {"password": "wrong-password", "totp_code": sb.totp(secret)}
    err(sb.delete("/v1/me/totp", MEMBER, json=body), 401, "authentication_error")
    body = {"password": PASSWORD, "totp_code": "000000"}
    err(sb.delete("/v1/me/totp", MEMBER, json=body), 401, "authentication_error")
    assert ok(sb.get("/v1/me", MEMBER))["totp_enabled"] is True
    ok(sb.delete("/v1/me/totp", MEMBER, json={"password": PASSWORD, "totp_code": sb.totp(secret)}))
    assert ok(sb.get("/v1/me", MEMBER))["totp_enabled"] is False
    ok(_sign_in(sb))


def test_sensitive_changes_ask_for_the_code_when_2fa_is_on(sb: Sandbox) -> None:
    secret, _ = sb.enable_totp(MEMBER)
    change = {"current_password": PASSWORD, "new_password": "a-new-password-1"}
    err(sb.post("/v1/me/password", MEMBER, json=change), 401, code="totp_required")
    ok(sb.post("/v1/me/password", MEMBER, json={**change, "totp_code": sb.totp(secret)}))
    login(sb.client, MEMBER, "a-new-password-1", totp_code=sb.totp(secret))
