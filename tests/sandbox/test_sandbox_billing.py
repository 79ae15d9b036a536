"""Billing: plans, subscription preview/change/cancel, payment methods, invoices, portal."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sandbox_support import OWNER, Sandbox, err, items, ok, parse_time

PLANS = {
    "connect": (Decimal("29"), 1_000, 1),
    "interact": (Decimal("99"), 10_000, 5),
    "transact": (Decimal("299"), 50_000, 20),
}


def money(m: dict) -> Decimal:
    assert m["currency"] == "usd", m
    return Decimal(m["amount"])


def test_plans(sb: Sandbox) -> None:
    rows = items(ok(sb.get("/v1/plans"), 200))
    got = {p["id"]: (money(p["price"]), p["message_limit"], p["bot_limit"]) for p in rows}
    assert got == PLANS
    assert all(p["features"] and p["interval"] == "month" for p in rows)


def test_subscription_matches_the_account(sb: Sandbox) -> None:
    a = sb.ids.support
    sub = ok(sb.get(f"/v1/accounts/{a}/subscription"), 200)
    plan = ok(sb.get(f"/v1/accounts/{a}"))["plan"]
    assert sub["id"].startswith("sub_") and sub["plan"] == plan and sub["status"] == "active"
    assert money(sub["price"]) == PLANS[plan][0]
    assert (
        parse_time(sub["current_period_start"]) <= sb.clock < parse_time(sub["current_period_end"])
    )
    defaults = [p["id"] for p in sb.walk(f"/v1/accounts/{a}/payment_methods") if p["is_default"]]
    assert [sub["default_payment_method"]] == defaults


def test_preview_of_a_downgrade_then_the_change(sb: Sandbox) -> None:
    a = sb.ids.support
    current = ok(sb.get(f"/v1/accounts/{a}"))["plan"]
    assert current != "connect"
    before = ok(sb.get(f"/v1/accounts/{a}/package"))
    preview = ok(sb.get(f"/v1/accounts/{a}/subscription/preview", params={"plan": "connect"}), 200)
    assert (preview["current_plan"], preview["new_plan"]) == (current, "connect")
    assert preview["is_downgrade"] is True and preview["limits_reset"] is True
    assert preview["message_limit"] == 1_000
    change = PLANS["connect"][0] - PLANS[current][0]
    assert money(preview["price_change"]) == change
    proration = money(preview["proration"])
    assert change <= proration <= 0, (
        "proration is the unused rest of the period, at most the full change"
    )
    assert proration == proration.quantize(Decimal("0.01"))
    assert len(preview["bots_paused"]) == max(0, before["bots_running"] - 1)
    # Nothing changed by previewing.
    assert ok(sb.get(f"/v1/accounts/{a}/package")) == before

    sub = ok(sb.post(f"/v1/accounts/{a}/subscription", json={"plan": "connect"}), 200)
    assert sub["plan"] == "connect"
    after = ok(sb.get(f"/v1/accounts/{a}/package"))
    assert after["plan"] == "connect" and after["messages_used"] == 0
    assert after["bots_running"] <= 1
    assert after["bots_paused"] == before["bots_paused"] + len(preview["bots_paused"])
    assert ok(sb.get(f"/v1/accounts/{a}"))["plan"] == "connect"


def test_upgrade_preview(sb: Sandbox) -> None:
    a = sb.ids.support
    preview = ok(sb.get(f"/v1/accounts/{a}/subscription/preview", params={"plan": "transact"}))
    assert preview["is_downgrade"] is False and preview["bots_paused"] == []
    assert money(preview["price_change"]) > 0 and money(preview["proration"]) >= 0


def test_proration_is_over_the_subscriptions_own_period(sb: Sandbox) -> None:
    """A subscription begun on the 21st has a first period of the 21st to the 1st: five days
    into it, two thirds of that period are left (the calendar month would say a sixth)."""
    start = datetime(2026, 11, 21, tzinfo=UTC)
    sb.set_clock(start)
    account = ok(
        sb.post(f"/v1/orgs/{sb.ids.acme_org}/accounts", json={"name": "Late", "plan": "connect"})
    )["id"]
    sub = ok(sb.get(f"/v1/accounts/{account}/subscription"))
    # The sandbox clock ticks on from where it was set: the account came a moment after.
    assert timedelta(0) <= parse_time(sub["current_period_start"]) - start < timedelta(minutes=1)
    assert parse_time(sub["current_period_end"]) == datetime(2026, 12, 1, tzinfo=UTC)
    sb.set_clock(datetime(2026, 11, 24, 8, tzinfo=UTC))  # 3 d 8 h in: 6 d 16 h (2/3) left
    preview = ok(
        sb.get(f"/v1/accounts/{account}/subscription/preview", params={"plan": "interact"})
    )
    change = PLANS["interact"][0] - PLANS["connect"][0]
    assert money(preview["proration"]) == (change * 2 / 3).quantize(Decimal("0.01"))
    # Next month the period is the whole calendar month.
    sb.set_clock(datetime(2026, 12, 6, tzinfo=UTC))
    sub = ok(sb.get(f"/v1/accounts/{account}/subscription"))
    assert parse_time(sub["current_period_start"]) == datetime(2026, 12, 1, tzinfo=UTC)


def test_preview_and_change_validate_the_plan(sb: Sandbox) -> None:
    a = sb.ids.support
    err(
        sb.get(f"/v1/accounts/{a}/subscription/preview", params={"plan": "gold"}), 422, param="plan"
    )
    err(sb.get(f"/v1/accounts/{a}/subscription/preview"), 422, param="plan")
    err(sb.post(f"/v1/accounts/{a}/subscription", json={"plan": "gold"}), 422, param="plan")
    err(sb.post(f"/v1/accounts/{a}/subscription", json={}), 422, param="plan")


def test_cancel_at_period_end_then_now(sb: Sandbox) -> None:
    a = sb.ids.support
    sub = ok(sb.post(f"/v1/accounts/{a}/subscription/cancel", json={"at_period_end": True}), 200)
    assert sub["cancel_at_period_end"] is True and sub["status"] == "active"
    sub = ok(sb.post(f"/v1/accounts/{a}/subscription/cancel", json={"at_period_end": False}), 200)
    assert sub["status"] == "canceled" and sub["canceled_at"] is not None
    assert ok(sb.get(f"/v1/accounts/{a}/subscription"))["status"] == "canceled"


def test_payment_methods_default_rules(sb: Sandbox) -> None:
    a = sb.ids.support
    methods = sb.walk(f"/v1/accounts/{a}/payment_methods")
    assert len(methods) >= 2 and sum(p["is_default"] for p in methods) == 1
    assert all(p["id"].startswith("pm_") and len(p["last4"]) == 4 for p in methods)
    default = next(p for p in methods if p["is_default"])
    other = next(p for p in methods if not p["is_default"])
    err(
        sb.delete(f"/v1/accounts/{a}/payment_methods/{default['id']}"),
        409,
        "conflict_error",
        "default_payment_method",
    )
    ok(sb.post(f"/v1/accounts/{a}/payment_methods/{other['id']}/set_default"), 200)
    now = {p["id"]: p["is_default"] for p in sb.walk(f"/v1/accounts/{a}/payment_methods")}
    assert now[other["id"]] is True and now[default["id"]] is False
    assert ok(sb.get(f"/v1/accounts/{a}/subscription"))["default_payment_method"] == other["id"]
    ok(sb.delete(f"/v1/accounts/{a}/payment_methods/{default['id']}"))
    remaining = sb.walk(f"/v1/accounts/{a}/payment_methods")
    assert default["id"] not in [p["id"] for p in remaining]
    err(sb.delete(f"/v1/accounts/{a}/payment_methods/{default['id']}"), 404)
    err(sb.post(f"/v1/accounts/{a}/payment_methods/pm_nope/set_default"), 404)


def test_twelve_paid_invoices_whose_lines_add_up(sb: Sandbox) -> None:
    a = sb.ids.support
    invoices = sb.walk(f"/v1/accounts/{a}/invoices")
    assert len(invoices) == 12
    assert len({i["number"] for i in invoices}) == 12
    for inv in invoices:
        assert inv["id"].startswith("in_") and inv["status"] == "paid" and inv["paid_at"]
        assert money(inv["total"]) == sum(
            (money(line["amount"]) for line in inv["lines"]), Decimal(0)
        )
        assert parse_time(inv["period_end"]) <= sb.clock
    starts = [parse_time(i["period_start"]) for i in invoices]
    assert starts == sorted(starts, reverse=True), "newest first"
    one = ok(sb.get(f"/v1/accounts/{a}/invoices/{invoices[0]['id']}"), 200)
    assert one == invoices[0]
    err(sb.get(f"/v1/accounts/{a}/invoices/in_nope"), 404)


def test_invoice_pdf(sb: Sandbox) -> None:
    a = sb.ids.support
    inv = sb.walk(f"/v1/accounts/{a}/invoices")[0]
    pdf = sb.get(f"/v1/accounts/{a}/invoices/{inv['id']}/pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"].startswith("application/pdf")
    assert pdf.content.startswith(b"%PDF-") and b"%%EOF" in pdf.content[-64:]
    err(sb.get(f"/v1/accounts/{a}/invoices/in_nope/pdf"), 404)


def test_billing_portal_session_is_a_hosted_page(sb: Sandbox) -> None:
    session = ok(sb.post(f"/v1/accounts/{sb.ids.support}/billing_portal_sessions", OWNER))
    assert session["object"] == "billing_portal_session"
    assert "/billing/portal/" in session["url"] and parse_time(session["expires_at"]) > sb.clock
    page = sb.client.get(session["url"])
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
