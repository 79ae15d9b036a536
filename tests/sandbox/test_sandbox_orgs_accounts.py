"""Orgs and accounts: listing, creating, updating, package, dashboard, closing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sandbox_support import (
    ADMIN,
    MEMBER,
    OUTSIDER,
    OWNER,
    PASSWORD,
    Sandbox,
    err,
    ok,
    parse_time,
)

PLAN_LIMITS = {"connect": (1_000, 1), "interact": (10_000, 5), "transact": (50_000, 20)}


def test_orgs_list_only_what_the_caller_belongs_to(sb: Sandbox) -> None:
    owner_orgs = sb.walk("/v1/orgs", OWNER)
    assert [o["name"] for o in owner_orgs] == ["Acme"]
    assert owner_orgs[0]["role"] == "owner"
    assert [o["name"] for o in sb.walk("/v1/orgs", OUTSIDER)] == ["Globex"]
    assert [o["name"] for o in sb.walk("/v1/orgs", MEMBER)] == ["Acme"]


def test_create_org_then_an_account_in_it(sb: Sandbox) -> None:
    org = ok(sb.post("/v1/orgs", MEMBER, json={"name": "  Initech  "}))
    assert org["object"] == "org" and org["id"].startswith("org_")
    assert org["name"] == "Initech"
    assert "Initech" in [o["name"] for o in sb.walk("/v1/orgs", MEMBER)]
    assert ok(sb.get(f"/v1/orgs/{org['id']}/accounts", MEMBER), 200)["data"] == []
    # Nobody else sees it.
    err(sb.get(f"/v1/orgs/{org['id']}", OWNER), 404, "invalid_request_error")

    account = ok(
        sb.post(
            f"/v1/orgs/{org['id']}/accounts",
            MEMBER,
            json={"name": "Initech Ops", "plan": "transact"},
        )
    )
    assert account["id"].startswith("acct_") and account["org_id"] == org["id"]
    assert account["plan"] == "transact" and account["role"] == "owner"
    sub = ok(sb.get(f"/v1/accounts/{account['id']}/subscription", MEMBER), 200)
    assert sub["plan"] == "transact" and sub["status"] == "active"
    listed = sb.walk(f"/v1/orgs/{org['id']}/accounts", MEMBER)
    assert [a["id"] for a in listed] == [account["id"]]


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"name": ""}, "name"),
        ({"name": " \t "}, "name"),
        ({"name": "n" * 101}, "name"),
        ({"name": "tab\tinside"}, "name"),
        ({"name": "zero\u200bwidth"}, "name"),
        ({}, "name"),
        ({"name": 42}, "name"),
    ],
)
def test_org_and_account_names_are_validated(sb: Sandbox, body: dict, param: str) -> None:
    before = sb.walk("/v1/orgs", OWNER)
    err(sb.post("/v1/orgs", OWNER, json=body), 422, "invalid_request_error", param=param)
    assert sb.walk("/v1/orgs", OWNER) == before
    acct = f"/v1/accounts/{sb.ids.support}"
    err(sb.patch(acct, OWNER, json=body), 422, "invalid_request_error", param=param)
    create = f"/v1/orgs/{sb.ids.acme_org}/accounts"
    err(sb.post(create, OWNER, json={**body, "plan": "connect"}), 422, param=param)


def test_account_create_rejects_an_unknown_plan(sb: Sandbox) -> None:
    resp = sb.post(f"/v1/orgs/{sb.ids.acme_org}/accounts", json={"name": "X", "plan": "gold"})
    err(resp, 422, "invalid_request_error", param="plan")


def test_org_update_by_the_owner(sb: Sandbox) -> None:
    path = f"/v1/orgs/{sb.ids.acme_org}"
    body = {
        "legal_name": "Acme Corporation Ltd",
        "billing_email": "AP@Acme.example",
        "tax_id": "GB123",
    }
    org = ok(sb.patch(path, OWNER, json=body), 200)
    assert org["legal_name"] == "Acme Corporation Ltd" and org["tax_id"] == "GB123"
    assert org["billing_email"] == "ap@acme.example"
    assert org["name"] == "Acme"
    assert ok(sb.get(path, OWNER)) == org
    err(sb.patch(path, OWNER, json={"billing_email": "nope"}), 422, param="billing_email")
    err(sb.patch(path, ADMIN, json={"legal_name": "Hijack"}), 403, "permission_error")
    err(sb.patch(path, OUTSIDER, json={"legal_name": "Hijack"}), 404)
    assert ok(sb.get(path, OWNER))["legal_name"] == "Acme Corporation Ltd"


def test_unknown_ids_are_404(sb: Sandbox) -> None:
    for path in ("/v1/orgs/org_doesnotexist", "/v1/accounts/acct_doesnotexist", "/v1/accounts/x"):
        err(sb.get(path, OWNER), 404, "invalid_request_error")


def test_account_shows_the_callers_role(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}"
    roles = {who: ok(sb.get(path, who))["role"] for who in (OWNER, ADMIN, MEMBER)}
    assert roles == {OWNER: "owner", ADMIN: "admin", MEMBER: "member"}
    account = ok(sb.get(path))
    assert account["org_id"] == sb.ids.acme_org and account["status"] == "open"
    err(sb.get(path, OUTSIDER), 404, "invalid_request_error")


def test_rename_account(sb: Sandbox) -> None:
    path = f"/v1/accounts/{sb.ids.support}"
    renamed = ok(sb.patch(path, OWNER, json={"name": "  Acme Help Desk "}), 200)
    assert renamed["name"] == "Acme Help Desk"
    assert ok(sb.get(path, MEMBER))["name"] == "Acme Help Desk"


def test_package_matches_the_plan_and_resets_on_the_first(sb: Sandbox) -> None:
    for account in (sb.ids.support, sb.ids.sales):
        package = ok(sb.get(f"/v1/accounts/{account}/package"), 200)
        plan = ok(sb.get(f"/v1/accounts/{account}"))["plan"]
        assert package["plan"] == plan
        assert (package["message_limit"], package["bot_limit"]) == PLAN_LIMITS[plan]
        assert package["features"] and all(isinstance(f, str) for f in package["features"])
        assert package["messages_used"] >= 0
        assert parse_time(package["period_start"]) == sb.clock.replace(
            day=1, hour=0, minute=0, second=0, microsecond=0
        )
        assert package["limits_reset_at"] in ("2026-12-01T00:00:00Z", "2026-12-01T00:00:00+00:00")


def test_dashboard_agrees_with_the_other_endpoints(sb: Sandbox) -> None:
    a = sb.ids.support
    dash = ok(sb.get(f"/v1/accounts/{a}/dashboard", MEMBER), 200)
    assert dash["account_id"] == a
    account = ok(sb.get(f"/v1/accounts/{a}"))
    assert dash["account_name"] == account["name"] and dash["plan"] == account["plan"]
    assert dash["members"] == len(sb.walk(f"/v1/accounts/{a}/members"))
    integrations = sb.walk(f"/v1/accounts/{a}/integrations")
    assert dash["active_integrations"] == sum(i["status"] == "enabled" for i in integrations)
    package = ok(sb.get(f"/v1/accounts/{a}/package"))
    assert dash["messages_used"] == package["messages_used"]
    assert dash["message_limit"] == package["message_limit"]
    assert (dash["bots_running"], dash["bots_paused"]) == (
        package["bots_running"],
        package["bots_paused"],
    )
    unpaid = sb.walk(
        f"/v1/accounts/{a}/usage_records",
        params={"status": "unpaid", "since": "2026-11-01"},
        limit=1000,
    )
    assert Decimal(dash["unpaid_this_month"]["amount"]) == sum(
        (Decimal(r["amount"]["amount"]) for r in unpaid), Decimal(0)
    )


# --- closing ---------------------------------------------------------------------------------


def _close(sb: Sandbox, account: str, who: str = OWNER, **body: object):  # type: ignore[no-untyped-def]
    return sb.post(f"/v1/accounts/{account}/close", who, json=body)


def test_close_checks_name_password_and_role(sb: Sandbox) -> None:
    a = sb.ids.support
    name = ok(sb.get(f"/v1/accounts/{a}"))["name"]
    err(_close(sb, a, confirm_name="Wrong Name", password=PASSWORD), 422, param="confirm_name")
    err(
        _close(sb, a, confirm_name=name, password="bad-password"),
        401,
        "authentication_error",
        "invalid_password",
    )
    err(_close(sb, a, ADMIN, confirm_name=name, password=PASSWORD), 403, "permission_error")
    err(_close(sb, a, MEMBER, confirm_name=name, password=PASSWORD), 403, "permission_error")
    err(_close(sb, a, OUTSIDER, confirm_name=name, password=PASSWORD), 404)
    assert ok(sb.get(f"/v1/accounts/{a}"))["status"] == "open"


def test_close_with_2fa_needs_a_valid_code(sb: Sandbox) -> None:
    a = sb.ids.sales
    secret, _ = sb.enable_totp(OWNER)
    name = ok(sb.get(f"/v1/accounts/{a}"))["name"]
    err(_close(sb, a, confirm_name=name, password=PASSWORD), 401, code="totp_required")
    err(
        _close(sb, a, confirm_name=name, password=PASSWORD, totp_code="000000"),
        401,
        code="invalid_totp",
    )
    ok(_close(sb, a, confirm_name=name, password=PASSWORD, totp_code=sb.totp(secret)))
    err(sb.get(f"/v1/accounts/{a}"), 404)


def test_a_closed_account_is_404_everywhere(sb: Sandbox) -> None:
    a = sb.ids.support
    key = sb.create_api_key(a)["secret"]
    name = ok(sb.get(f"/v1/accounts/{a}"))["name"]
    closed = ok(_close(sb, a, confirm_name=name, password=PASSWORD))
    assert closed["status"] == "closed"
    for sub in (
        "",
        "/package",
        "/dashboard",
        "/members",
        "/invitations",
        "/invite_links",
        "/integrations",
        "/api_keys",
        "/subscription",
        "/payment_methods",
        "/invoices",
        "/usage_records",
        "/usage_summary",
    ):
        for who in (OWNER, ADMIN, MEMBER):
            err(sb.get(f"/v1/accounts/{a}{sub}", who), 404, "invalid_request_error")
    err(sb.patch(f"/v1/accounts/{a}", json={"name": "Back"}), 404)
    err(_close(sb, a, confirm_name=name, password=PASSWORD), 404)
    # Its API keys stop working with it.
    err(sb.get(f"/v1/accounts/{a}", key), 401, "authentication_error")
    # Admin and member belonged only to it: no default account any more.
    assert ok(sb.get("/v1/me", ADMIN))["default_account_id"] is None
    assert ok(sb.get("/v1/me", OWNER))["default_account_id"] == sb.ids.sales
