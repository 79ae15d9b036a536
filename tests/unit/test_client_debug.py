"""The --debug hook: useful lines, and never a secret in them."""

from __future__ import annotations

import httpx
import pytest
import respx

from chathq_cli.client import PortalClient, RetryPolicy
from chathq_cli.client._redact import REDACTED, Redactor, describe_body, redact_json, redact_url

HOST = "http://127.0.0.1:8787"
TOKEN = "pst_Sup3rS3cretSessionToken0000000"
SECRETS = {
    "password": "hunter2-password",
    "new_password": "n3w-password-value",
    "current_password": "cur-password-value",
    "totp_code": "987654",
    "code": "RESETCODE-1234",
    "secret": "sk_test_live_api_key_value",
    "token": "pst_AnotherTokenInABody99999",
    "bot_token": "xoxb-slack-bot-token",
}


@pytest.fixture
def lines():
    return []


@pytest.fixture
def client(lines):
    with PortalClient(HOST, TOKEN, retry=RetryPolicy.none(), on_debug=lines.append) as c:
        yield c


def test_request_and_response_lines(client, lines):
    with respx.mock(base_url=HOST) as api:
        api.post("/v1/orgs").mock(
            return_value=httpx.Response(
                201,
                json={"id": "org_1", "name": "Acme", "created_at": "2026-01-05T10:00:00Z"},
                headers={"Request-Id": "req_abc"},
            )
        )
        client.create_org("Acme")
    assert lines[0] == f"> POST {HOST}/v1/orgs"
    assert any(line == "> authorization: [redacted]" for line in lines)
    assert any(line.startswith("> idempotency-key: ") for line in lines)
    assert any(line == '> {"name":"Acme"}' for line in lines)
    status = next(line for line in lines if line.startswith("< 201"))
    assert status.startswith("< 201 Created (")
    assert status.endswith("ms) request-id=req_abc")


def test_no_secret_reaches_the_debug_lines(client, lines):
    reply = {
        "token": "pst_ResponseTokenValue12345678",
        "secret": "sk_test_ResponseSecretValue1234",
        "recovery_codes": ["rc-aaaa-1111", "rc-bbbb-2222"],
        "otpauth_uri": "otpauth://totp/ChatHQ?secret=JBSWY3DPEHPK3PXP",
        "user": {"email": "owner@demo.chathq.test"},
    }
    with respx.mock(base_url=HOST) as api:
        api.post("/v1/anything").mock(
            return_value=httpx.Response(
                200, json=reply, headers={"Set-Cookie": "session=cookie-secret-value"}
            )
        )
        client.request(
            "POST",
            "anything",
            json={**SECRETS, "settings": {"api_secret": "nested-secret-value"}},
            headers={"Cookie": "session=cookie-secret-value"},
            params={"token": "query-token-value"},
        )
    log = "\n".join(lines)
    forbidden = [
        TOKEN,
        *SECRETS.values(),
        "nested-secret-value",
        "cookie-secret-value",
        "query-token-value",
        *reply["recovery_codes"],
        "JBSWY3DPEHPK3PXP",
        reply["token"],
        reply["secret"],
    ]
    for secret in forbidden:
        assert secret not in log, f"{secret!r} leaked into the debug output"
    assert REDACTED in log
    assert "owner@demo.chathq.test" in log  # ordinary fields stay readable


def test_error_codes_stay_readable_but_one_time_codes_do_not():
    body = {"error": {"type": "authentication_error", "code": "totp_required", "message": "m"}}
    assert redact_json(body) == body
    assert redact_json({"code": "123456"}) == {"code": REDACTED}


def test_bodies_are_truncated_and_binary_bodies_described():
    long = describe_body(b'{"description": "' + b"x" * 2000 + b'"}', "application/json", limit=100)
    assert long is not None and len(long) < 130 and long.endswith("chars)")
    assert describe_body(b"\x89PNG....", "image/png") == "[8 bytes of image/png]"
    assert describe_body(b"", "application/json") is None


def test_token_shaped_words_are_masked_anywhere():
    redact = Redactor(["my-own-token-value"])
    line = "x my-own-token-value y sk_test_abcdefghijkl z pst_abcdefghijklmnop"
    assert redact(line) == f"x {REDACTED} y {REDACTED} z {REDACTED}"
    assert redact_url("http://h/v1/x?limit=2&token=abc") == "http://h/v1/x?limit=2&token=[redacted]"
