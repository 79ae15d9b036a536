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
                200, content=b"%PDF-1.4 ...%%EOF", headers={"Content-Type": "application/pdf"}
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


# -- usage record pages: raw dicts, one record a page checked against the model -------------


def usage_record(n: int) -> dict:
    return {
        "id": f"ur_{n:08d}",
        "object": "usage_record",
        "occurred_at": T,
        "unit": "sms",
        "quantity": 2,
        "unit_price": {"amount": "0.01", "currency": "usd"},
        "amount": {"amount": "0.02", "currency": "usd"},
        "status": "unpaid",
        "invoice": None,
        "description": "SMS to +1 555-0100",
    }


def usage_api(total: int, broken_at: int | None = None):
    """A handler serving records ur_00000000... newest first, paged by limit/starting_after."""

    def handler(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        start = int(params["starting_after"][3:]) + 1 if "starting_after" in params else 0
        end = min(start + int(params["limit"]), total)
        records = [usage_record(n) for n in range(start, end)]
        if broken_at is not None and start <= broken_at < end:
            del records[broken_at - start]["amount"]
        more = end < total
        return httpx.Response(
            200,
            json={
                "object": "list",
                "data": records,
                "has_more": more,
                "next_cursor": records[-1]["id"] if more else None,
            },
        )

    return handler


def test_usage_record_pages_are_the_apis_objects_in_pages():
    with (
        respx.mock(base_url=HOST) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy.none()) as client,
    ):
        route = api.route(method="GET").mock(side_effect=usage_api(2500))
        pages = list(
            client.iter_usage_record_pages(
                "acct_1/..", units=["sms", "calls"], status="unpaid", since="2026-11-01"
            )
        )
    assert [len(page) for page in pages] == [1000, 1000, 500]
    assert pages[0][0] == usage_record(0)  # as the API sent it, not a model
    assert pages[2][-1]["id"] == "ur_00002499"
    first = route.calls[0].request.url
    assert first.raw_path.startswith(b"/v1/accounts/acct_1%2F../usage_records?")  # stays inside
    assert first.params.get_list("unit") == ["sms", "calls"]
    assert (first.params["status"], first.params["since"]) == ("unpaid", "2026-11-01")
    assert first.params["limit"] == "1000"
    assert "until" not in first.params
    assert route.calls[1].request.url.params["starting_after"] == "ur_00000999"


def test_usage_record_pages_stop_at_the_limit():
    with (
        respx.mock(base_url=HOST) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy.none()) as client,
    ):
        route = api.route(method="GET").mock(side_effect=usage_api(2500))
        pages = list(client.iter_usage_record_pages("acct_1", limit=1200))
        assert [len(page) for page in pages] == [1000, 200]
        assert route.call_count == 2  # lazily: no page fetched past the limit

        route.reset()
        pages = list(client.iter_usage_record_pages("acct_1", limit=100))
        assert [len(page) for page in pages] == [100]
        assert route.call_count == 1
        assert route.calls[0].request.url.params["limit"] == "100"


def test_usage_record_pages_check_each_page_against_the_model():
    with (
        respx.mock(base_url=HOST) as api,
        PortalClient(HOST, "pst_t", retry=RetryPolicy.none()) as client,
    ):
        # The first record of the second page lacks its amount.
        api.route(method="GET").mock(side_effect=usage_api(3000, broken_at=1000))
        pages = client.iter_usage_record_pages("acct_1")
        assert len(next(pages)) == 1000
        with pytest.raises(errors.ServerError) as caught:
            next(pages)
    assert caught.value.exit_code == errors.ExitCode.FAILURE
    assert "amount" in caught.value.message
