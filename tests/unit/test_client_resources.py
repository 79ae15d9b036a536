"""Every resource method sends the right method, path and body, and parses the reply."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from chathq_cli import errors
from chathq_cli.client import PortalClient, RetryPolicy

HOST = "http://127.0.0.1:8787"
T = "2026-01-05T10:00:00Z"
MONEY = {"amount": "29.00", "currency": "usd"}

USER = {
    "id": "usr_1",
    "email": "o@demo.chathq.test",
    "display_name": "O",
    "notifications": {},
    "created_at": T,
}
ACCOUNT = {
    "id": "acct_1",
    "org_id": "org_1",
    "name": "Acme Support",
    "plan": "interact",
    "created_at": T,
}
MEMBER = {
    "id": "mem_1",
    "user_id": "usr_1",
    "email": "o@x.io",
    "display_name": "O",
    "role": "admin",
    "joined_at": T,
}
INVITATION = {
    "id": "inv_1",
    "email": "a@x.io",
    "role": "member",
    "status": "pending",
    "created_at": T,
    "expires_at": T,
    "last_sent_at": T,
}
LINK = {
    "id": "ilink_1",
    "url": "http://h/join/x",
    "role": "member",
    "uses": 0,
    "max_uses": 0,
    "expires_at": T,
    "status": "active",
    "created_at": T,
}
INTEGRATION = {
    "id": "intg_1",
    "type": "slack",
    "status": "enabled",
    "settings": {},
    "created_at": T,
    "updated_at": T,
}
INTEGRATION_TYPE = {"id": "slack", "name": "Slack", "description": "d", "settings_schema": []}
API_KEY = {
    "id": "key_1",
    "name": "CI",
    "prefix": "sk_test_",
    "last4": "abcd",
    "status": "active",
    "created_at": T,
}
SUBSCRIPTION = {
    "id": "sub_1",
    "plan": "connect",
    "status": "active",
    "price": MONEY,
    "current_period_start": T,
    "current_period_end": T,
}
PREVIEW = {
    "current_plan": "interact",
    "new_plan": "connect",
    "is_downgrade": True,
    "price_change": MONEY,
    "proration": MONEY,
    "limits_reset": True,
    "message_limit": 1000,
    "bots_paused": [],
}
PAYMENT_METHOD = {
    "id": "pm_1",
    "brand": "visa",
    "last4": "4242",
    "exp_month": 1,
    "exp_year": 2030,
    "is_default": True,
    "created_at": T,
}
INVOICE = {
    "id": "in_1",
    "number": "A-1",
    "status": "paid",
    "period_start": T,
    "period_end": T,
    "total": MONEY,
    "lines": [],
    "created_at": T,
}
PACKAGE = {
    "plan": "interact",
    "name": "Interact",
    "price": MONEY,
    "message_limit": 10,
    "messages_used": 1,
    "bot_limit": 5,
    "bots_running": 1,
    "bots_paused": 0,
    "features": [],
    "period_start": T,
    "limits_reset_at": T,
}
DASHBOARD = {
    "account_id": "acct_1",
    "account_name": "A",
    "plan": "interact",
    "messages_used": 1,
    "message_limit": 10,
    "limits_reset_at": T,
    "unpaid_this_month": MONEY,
    "members": 3,
    "active_integrations": 1,
    "bots_running": 1,
    "bots_paused": 0,
}
PRICE = {"unit": "sms", "unit_price": {"amount": "0.01"}, "per": "message", "description": "SMS"}


def listed(*items: dict) -> dict:
    return {"object": "list", "data": list(items), "has_more": False, "next_cursor": None}


A = "/v1/accounts/acct_1"
CASES = [
    # (call, method, path, sent body, reply, what the call returns)
    (
        lambda c: c.delete_current_session(),
        "DELETE",
        "/v1/auth/sessions/current",
        None,
        {"id": "s", "object": "session", "deleted": True},
        None,
    ),
    (
        lambda c: c.confirm_password_reset("a@b.co", "C0DE", "long-enough-pw"),
        "POST",
        "/v1/auth/password_resets/confirm",
        {"email": "a@b.co", "code": "C0DE", "new_password": "long-enough-pw"},
        {"object": "accepted"},
        None,
    ),
    (
        lambda c: c.create_account("org_1", "Sales", "transact"),
        "POST",
        "/v1/orgs/org_1/accounts",
        {"name": "Sales", "plan": "transact"},
        ACCOUNT,
        "acct_1",
    ),
    (
        lambda c: list(c.list_accounts("org_1")),
        "GET",
        "/v1/orgs/org_1/accounts",
        None,
        listed(ACCOUNT),
        ["acct_1"],
    ),
    (
        lambda c: c.rename_account("acct_1", "  New name  "),
        "PATCH",
        A,
        {"name": "New name"},
        ACCOUNT,
        "acct_1",
    ),
    (lambda c: c.get_package("acct_1"), "GET", f"{A}/package", None, PACKAGE, None),
    (lambda c: c.get_dashboard("acct_1"), "GET", f"{A}/dashboard", None, DASHBOARD, None),
    (
        lambda c: c.close_account("acct_1", confirm_name="A", password="pw"),
        "POST",
        f"{A}/close",
        {"confirm_name": "A", "password": "pw"},
        ACCOUNT,
        "acct_1",
    ),
    (
        lambda c: c.get_subscription("acct_1"),
        "GET",
        f"{A}/subscription",
        None,
        SUBSCRIPTION,
        "sub_1",
    ),
    (
        lambda c: c.preview_subscription("acct_1", "connect"),
        "GET",
        f"{A}/subscription/preview",
        None,
        PREVIEW,
        None,
    ),
    (lambda c: c.list_usage_prices(), "GET", "/v1/usage_prices", None, listed(PRICE), None),
    # team
    (
        lambda c: list(c.list_members("acct_1")),
        "GET",
        f"{A}/members",
        None,
        listed(MEMBER),
        ["mem_1"],
    ),
    (
        lambda c: c.set_member_role("acct_1", "mem_1", "admin"),
        "PATCH",
        f"{A}/members/mem_1",
        {"role": "admin"},
        MEMBER,
        "mem_1",
    ),
    (
        lambda c: c.remove_member("acct_1", "mem_1"),
        "DELETE",
        f"{A}/members/mem_1",
        None,
        {"id": "mem_1", "object": "member", "deleted": True},
        None,
    ),
    (
        lambda c: list(c.list_invitations("acct_1", status="pending")),
        "GET",
        f"{A}/invitations",
        None,
        listed(INVITATION),
        ["inv_1"],
    ),
    (
        lambda c: c.create_invitations("acct_1", ["A@x.io"], "admin"),
        "POST",
        f"{A}/invitations",
        {"emails": ["a@x.io"], "role": "admin"},
        listed(INVITATION),
        ["inv_1"],
    ),
    (
        lambda c: c.revoke_invitation("acct_1", "inv_1"),
        "POST",
        f"{A}/invitations/inv_1/revoke",
        None,
        INVITATION,
        "inv_1",
    ),
    (
        lambda c: c.resend_invitation("acct_1", "inv_1"),
        "POST",
        f"{A}/invitations/inv_1/resend",
        None,
        INVITATION,
        "inv_1",
    ),
    (
        lambda c: list(c.list_invite_links("acct_1")),
        "GET",
        f"{A}/invite_links",
        None,
        listed(LINK),
        ["ilink_1"],
    ),
    (
        lambda c: c.create_invite_link(
            "acct_1", max_uses=5, expires_at=datetime(2026, 2, 1, tzinfo=UTC)
        ),
        "POST",
        f"{A}/invite_links",
        {"role": "member", "max_uses": 5, "expires_at": "2026-02-01T00:00:00Z"},
        LINK,
        "ilink_1",
    ),
    (
        lambda c: c.revoke_invite_link("acct_1", "ilink_1"),
        "POST",
        f"{A}/invite_links/ilink_1/revoke",
        None,
        LINK,
        "ilink_1",
    ),
    # integrations and API keys
    (
        lambda c: c.list_integration_types(),
        "GET",
        "/v1/integration_types",
        None,
        listed(INTEGRATION_TYPE),
        ["slack"],
    ),
    (
        lambda c: list(c.list_integrations("acct_1")),
        "GET",
        f"{A}/integrations",
        None,
        listed(INTEGRATION),
        ["intg_1"],
    ),
    (
        lambda c: c.get_integration("acct_1", "intg_1"),
        "GET",
        f"{A}/integrations/intg_1",
        None,
        INTEGRATION,
        "intg_1",
    ),
    (
        lambda c: c.create_integration("acct_1", "slack", {"channel": "#x"}),
        "POST",
        f"{A}/integrations",
        {"type": "slack", "settings": {"channel": "#x"}},
        INTEGRATION,
        "intg_1",
    ),
    (
        lambda c: c.update_integration("acct_1", "intg_1", {"channel": "#y"}),
        "PATCH",
        f"{A}/integrations/intg_1",
        {"settings": {"channel": "#y"}},
        INTEGRATION,
        "intg_1",
    ),
    (
        lambda c: c.enable_integration("acct_1", "intg_1"),
        "POST",
        f"{A}/integrations/intg_1/enable",
        None,
        INTEGRATION,
        "intg_1",
    ),
    (
        lambda c: c.disable_integration("acct_1", "intg_1"),
        "POST",
        f"{A}/integrations/intg_1/disable",
        None,
        INTEGRATION,
        "intg_1",
    ),
    (
        lambda c: c.delete_integration("acct_1", "intg_1"),
        "DELETE",
        f"{A}/integrations/intg_1",
        None,
        {"id": "intg_1", "object": "integration", "deleted": True},
        None,
    ),
    (
        lambda c: list(c.list_api_keys("acct_1")),
        "GET",
        f"{A}/api_keys",
        None,
        listed(API_KEY),
        ["key_1"],
    ),
    (
        lambda c: c.create_api_key("acct_1", "CI"),
        "POST",
        f"{A}/api_keys",
        {"name": "CI"},
        {**API_KEY, "secret": "sk_test_x"},
        "key_1",
    ),
    (
        lambda c: c.revoke_api_key("acct_1", "key_1"),
        "POST",
        f"{A}/api_keys/key_1/revoke",
        None,
        API_KEY,
        "key_1",
    ),
    (
        lambda c: c.roll_api_key("acct_1", "key_1", old_expires_in=3600),
        "POST",
        f"{A}/api_keys/key_1/roll",
        {"old_expires_in": 3600},
        API_KEY,
        "key_1",
    ),
    # billing
    (
        lambda c: c.change_plan("acct_1", "connect"),
        "POST",
        f"{A}/subscription",
        {"plan": "connect"},
        SUBSCRIPTION,
        "sub_1",
    ),
    (
        lambda c: c.cancel_subscription("acct_1", at_period_end=False),
        "POST",
        f"{A}/subscription/cancel",
        {"at_period_end": False},
        SUBSCRIPTION,
        "sub_1",
    ),
    (
        lambda c: list(c.list_payment_methods("acct_1")),
        "GET",
        f"{A}/payment_methods",
        None,
        listed(PAYMENT_METHOD),
        ["pm_1"],
    ),
    (
        lambda c: c.set_default_payment_method("acct_1", "pm_1"),
        "POST",
        f"{A}/payment_methods/pm_1/set_default",
        None,
        PAYMENT_METHOD,
        "pm_1",
    ),
    (
        lambda c: c.remove_payment_method("acct_1", "pm_1"),
        "DELETE",
        f"{A}/payment_methods/pm_1",
        None,
        {"id": "pm_1", "object": "payment_method", "deleted": True},
        None,
    ),
    (
        lambda c: list(c.list_invoices("acct_1")),
        "GET",
        f"{A}/invoices",
        None,
        listed(INVOICE),
        ["in_1"],
    ),
    (lambda c: c.get_invoice("acct_1", "in_1"), "GET", f"{A}/invoices/in_1", None, INVOICE, "in_1"),
    (
        lambda c: c.create_billing_portal_session("acct_1"),
        "POST",
        f"{A}/billing_portal_sessions",
        None,
        {"url": "http://h/billing/portal/x", "expires_at": T},
        None,
    ),
    # me
    (
        lambda c: c.update_me(theme="dark", notifications={"notes": False}),
        "PATCH",
        "/v1/me",
        {"theme": "dark", "notifications": {"notes": False}},
        USER,
        "usr_1",
    ),
    (lambda c: c.remove_avatar(), "DELETE", "/v1/me/avatar", None, USER, "usr_1"),
    (
        lambda c: c.change_email("new@x.io", "pw"),
        "POST",
        "/v1/me/email",
        {"new_email": "new@x.io", "password": "pw"},
        USER,
        "usr_1",
    ),
    (
        lambda c: c.confirm_email("123456"),
        "POST",
        "/v1/me/email/confirm",
        {"code": "123456"},
        USER,
        "usr_1",
    ),
    (
        lambda c: c.change_password("old-pw", "new-password-1", "123456"),
        "POST",
        "/v1/me/password",
        {"current_password": "old-pw", "new_password": "new-password-1", "totp_code": "123456"},
        USER,
        "usr_1",
    ),
    (
        lambda c: c.start_totp(),
        "POST",
        "/v1/me/totp",
        None,
        {"secret": "S", "otpauth_uri": "otpauth://x"},
        None,
    ),
    (
        lambda c: c.verify_totp("123456"),
        "POST",
        "/v1/me/totp/verify",
        {"code": "123456"},
        {"recovery_codes": ["a"]},
        None,
    ),
    (
        lambda c: c.disable_totp("pw", "123456"),
        "DELETE",
        "/v1/me/totp",
        {"password": "pw", "totp_code": "123456"},
        USER,
        "usr_1",
    ),
    (
        lambda c: c.regenerate_recovery_codes("pw", "123456"),
        "POST",
        "/v1/me/recovery_codes",
        {"password": "pw", "totp_code": "123456"},
        {"recovery_codes": ["a"]},
        None,
    ),
    (
        lambda c: c.delete_me(password="pw", confirm_email="o@x.io"),
        "DELETE",
        "/v1/me",
        {"password": "pw", "confirm_email": "o@x.io"},
        {"id": "usr_1", "object": "user", "deleted": True},
        None,
    ),
]


@pytest.mark.parametrize(("call", "method", "path", "sent", "reply", "returned_id"), CASES)
def test_resource_method(call, method, path, sent, reply, returned_id):
    with (
        respx.mock(base_url=HOST) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy.none()) as client,
    ):
        route = api.route(method=method, path=path).mock(
            return_value=httpx.Response(200, json=reply)
        )
        result = call(client)
    request = route.calls[0].request
    assert json.loads(request.content) == sent if sent is not None else request.content == b""
    if method != "GET":
        assert request.headers["Idempotency-Key"]
    if isinstance(returned_id, list):
        assert [item.id for item in result] == returned_id
    elif returned_id is not None:
        assert result.id == returned_id


def test_invitation_status_filter_and_pdf_download():
    with (
        respx.mock(base_url=HOST) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy.none()) as client,
    ):
        invitations = api.get(f"{A}/invitations").mock(
            return_value=httpx.Response(200, json=listed())
        )
        list(client.list_invitations("acct_1", status="pending"))
        api.get(f"{A}/invoices/in_1/pdf").mock(
            return_value=httpx.Response(
                200, content=b"%PDF-1.4 ...", headers={"Content-Type": "application/pdf"}
            )
        )
        pdf = client.get_invoice_pdf("acct_1", "in_1")
    assert invitations.calls[0].request.url.params["status"] == "pending"
    assert pdf.content.startswith(b"%PDF-")


def test_avatar_upload_is_multipart_and_replayable():
    attempts: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        attempts.append(request.read())
        return httpx.Response(500 if len(attempts) == 1 else 200, json=USER)

    with (
        respx.mock(base_url=HOST) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy(attempts=2, sleep=lambda _: None)) as client,
    ):
        api.put("/v1/me/avatar").mock(side_effect=handler)
        client.set_avatar("me.png", b"\x89PNG\r\n\x1a\nDATA", "image/png")
    assert len(attempts) == 2
    assert attempts[0] == attempts[1]  # the retry sends the same bytes
    assert b"\x89PNG\r\n\x1a\nDATA" in attempts[1]


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda c: c.create_invitations("acct_1", ["nope"]), "emails.0"),
        (lambda c: c.create_invitations("acct_1", []), "emails"),
        (lambda c: c.set_member_role("acct_1", "mem_1", "king"), "role"),
        (lambda c: c.create_api_key("acct_1", ""), "name"),
        (lambda c: c.update_me(theme="neon"), "theme"),
        (lambda c: c.create_invite_link("acct_1", max_uses=-1), "max_uses"),
    ],
)
def test_resource_input_is_validated_locally(call, param):
    with (
        respx.mock(base_url=HOST, assert_all_called=False) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy.none()) as client,
    ):
        route = api.route().mock(return_value=httpx.Response(200, json={}))
        with pytest.raises(errors.UsageError) as caught:
            call(client)
    assert caught.value.param == param
    assert route.call_count == 0
