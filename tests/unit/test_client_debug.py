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


# A join token and a billing-portal session token as the sandbox makes them (token_urlsafe).
JOIN_TOKEN = "q3Zk8_xYw-2LmN0pR7sT4uVb"
PORTAL_TOKEN = "Hc5dE6fG7hJ8kL9mN0pQ1rSt"


def test_secret_urls_in_responses_are_masked(client, lines):
    account = "acct_0123456789abcdef"
    with respx.mock(base_url=HOST) as api:
        api.post(f"/v1/accounts/{account}/invite_links").mock(
            return_value=httpx.Response(
                201,
                json={
                    "object": "invite_link",
                    "id": "ilink_00000000000000aa",
                    "url": f"{HOST}/join/{JOIN_TOKEN}",
                    "role": "member",
                    "uses": 0,
                    "max_uses": 0,
                    "expires_at": "2026-02-05T10:00:00Z",
                    "status": "active",
                    "created_at": "2026-01-05T10:00:00Z",
                },
            )
        )
        api.post(f"/v1/accounts/{account}/billing_portal_sessions").mock(
            return_value=httpx.Response(
                201,
                json={
                    "object": "billing_portal_session",
                    "url": f"{HOST}/billing/portal/{PORTAL_TOKEN}",
                    "expires_at": "2026-01-05T11:00:00Z",
                },
            )
        )
        link = client.create_invite_link(account)
        session = client.create_billing_portal_session(account)
    # The caller still gets the real URLs; only the log is masked.
    assert link.url.endswith(JOIN_TOKEN) and session.url.endswith(PORTAL_TOKEN)
    log = "\n".join(lines)
    for secret in (JOIN_TOKEN, PORTAL_TOKEN):
        assert secret not in log, f"{secret!r} leaked into the debug output:\n{log}"
    assert f'"url":"{HOST}/join/{REDACTED}"' in log
    assert f'"url":"{HOST}/billing/portal/{REDACTED}"' in log
    # IDs in request paths stay readable: they are what a debugging user looks for.
    assert f"> POST {HOST}/v1/accounts/{account}/invite_links" in lines


def test_secret_urls_in_requests_are_masked(client, lines):
    with respx.mock(base_url=HOST) as api:
        api.get(url__regex=r".*").mock(return_value=httpx.Response(200, json={}))
        client.request("GET", f"/join/{JOIN_TOKEN}")
        client.request("GET", f"/billing/portal/{PORTAL_TOKEN}")
        client.request("GET", "/v1/x", params={"code": "c0de-value", "key": "k3y-value"})
    log = "\n".join(lines)
    for secret in (JOIN_TOKEN, PORTAL_TOKEN, "c0de-value", "k3y-value"):
        assert secret not in log, f"{secret!r} leaked into the debug output:\n{log}"
    assert f"> GET {HOST}/join/{REDACTED}" in lines
    assert f"> GET {HOST}/billing/portal/{REDACTED}" in lines


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"https://h/join/{JOIN_TOKEN}", f"https://h/join/{REDACTED}"),
        (f"https://h/join/{JOIN_TOKEN}/", f"https://h/join/{REDACTED}/"),
        (f"https://h/billing/portal/{PORTAL_TOKEN}", f"https://h/billing/portal/{REDACTED}"),
        # A token-shaped segment under any path, not only the two the sandbox serves.
        (f"https://h/reset/{PORTAL_TOKEN}/done", f"https://h/reset/{REDACTED}/done"),
        ("https://h/x?token=t0ken&limit=5", f"https://h/x?token={REDACTED}&limit=5"),
        ("https://h/x?code=123456", f"https://h/x?code={REDACTED}"),
        ("https://h/x?key=abc&signature=def", f"https://h/x?key={REDACTED}&signature={REDACTED}"),
        ("https://h/x?X-Amz-Signature=abc", f"https://h/x?X-Amz-Signature={REDACTED}"),
        ("https://h/cb#access_token=abc&state=1", f"https://h/cb#access_token={REDACTED}&state=1"),
        ("https://bob:hunter22@h/x", f"https://bob:{REDACTED}@h/x"),
        # Kept: IDs, names of collections, ordinary query values.
        (
            "https://h/v1/accounts/acct_0123456789abcdef/billing_portal_sessions",
            "https://h/v1/accounts/acct_0123456789abcdef/billing_portal_sessions",
        ),
        ("https://h/v1/usage?unit=sms&limit=100", "https://h/v1/usage?unit=sms&limit=100"),
        ("https://h/v1/integration_types", "https://h/v1/integration_types"),
    ],
)
def test_redact_url(url, expected):
    assert redact_url(url) == expected
    assert redact_url(expected) == expected  # masking twice changes nothing


def test_urls_inside_json_and_free_text_are_masked():
    body = {"data": [{"url": f"https://h/join/{JOIN_TOKEN}"}], "next": "https://h/x?token=abc"}
    assert redact_json(body) == {
        "data": [{"url": f"https://h/join/{REDACTED}"}],
        "next": f"https://h/x?token={REDACTED}",
    }
    line = f"* see https://h/billing/portal/{PORTAL_TOKEN}, then retry"
    assert Redactor()(line) == f"* see https://h/billing/portal/{REDACTED}, then retry"
