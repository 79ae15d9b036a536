"""Plans, subscription, payment methods, invoices, the hosted billing portal. Owner only
(except the public plan list); API keys never."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from chathq_cli.api.billing import (
    BillingPortalSession,
    Invoice,
    PaymentMethod,
    Plan,
    Subscription,
    SubscriptionCancel,
    SubscriptionChange,
    SubscriptionPreview,
)
from chathq_cli.api.common import Deleted, ListResponse, PlanId
from chathq_cli.api.rules import PAGE_LIMIT_DEFAULT
from chathq_cli.sandbox import at_rest, pdf, security
from chathq_cli.sandbox.catalog import PLANS, cents_to_str, money
from chathq_cli.sandbox.deps import Ctx, access, signed_in
from chathq_cli.sandbox.domain import apply_plan, bots_to_pause, refresh_account
from chathq_cli.sandbox.problems import Problem, conflict, not_found
from chathq_cli.sandbox.routes.common import Limit, StartingAfter, list_body
from chathq_cli.sandbox.store import page, ts
from chathq_cli.sandbox.views import (
    billing_period,
    invoice_out,
    payment_method_out,
    subscription_out,
)

router = APIRouter(tags=["billing"])

PORTAL_TTL = timedelta(hours=1)


def _owner(what: str) -> Any:
    return access("owner", keys=False, what=what)


@router.get("/plans", response_model=ListResponse[Plan])
def list_plans(ctx: Annotated[Ctx, Depends(signed_in)]) -> dict[str, object]:
    data = [
        Plan(
            id=p.id,
            name=p.name,
            price=money(p.price_cents),
            message_limit=p.message_limit,
            bot_limit=p.bot_limit,
            features=list(p.features),
        )
        for p in PLANS.values()
    ]
    return list_body(data, False, None)


def _subscription(db: sqlite3.Connection, ctx: Ctx) -> sqlite3.Row:
    refresh_account(db, ctx.acct, ctx.now)
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM subscriptions WHERE account_id = ?", (ctx.acct,)
    ).fetchone()
    if row is None:  # every account has one; a missing one is a bug
        raise RuntimeError(f"account {ctx.acct} has no subscription")
    return row


@router.get("/accounts/{a}/subscription", response_model=Subscription)
def get_subscription(ctx: Annotated[Ctx, Depends(_owner("view billing"))]) -> Subscription:
    with ctx.sandbox.store.write() as db:
        return subscription_out(db, _subscription(db, ctx), ctx.now)


def _preview(db: sqlite3.Connection, ctx: Ctx, plan: str) -> SubscriptionPreview:
    sub = _subscription(db, ctx)
    if sub["status"] != "active":
        raise conflict("subscription_canceled", "the subscription is canceled")
    if sub["plan"] == plan:
        raise Problem(400, "plan_unchanged", f"the account is already on {plan}", param="plan")
    now = ctx.now
    old, new = PLANS[sub["plan"]], PLANS[plan]
    # Over the subscription's own period: a subscription that began this month pays (or is
    # credited) for the part of its first, shorter period still to come.
    start, end = billing_period(sub, now)
    remaining = Decimal((end - now).total_seconds()) / Decimal((end - start).total_seconds())
    change = new.price_cents - old.price_cents
    proration = (Decimal(change) * remaining).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return SubscriptionPreview(
        current_plan=old.id,
        new_plan=new.id,
        is_downgrade=new.price_cents < old.price_cents,
        price_change=money(change),
        proration=money(int(proration)),
        limits_reset=True,
        message_limit=new.message_limit,
        bots_paused=[bot["name"] for bot in bots_to_pause(db, ctx.acct, plan)],
    )


@router.get("/accounts/{a}/subscription/preview", response_model=SubscriptionPreview)
def preview_plan_change(
    ctx: Annotated[Ctx, Depends(_owner("change the plan"))],
    plan: Annotated[PlanId, Query(description="The plan to preview")],
) -> SubscriptionPreview:
    """What changing to `plan` would do: price change, proration for the rest of the period,
    limits reset, which bots would pause."""
    with ctx.sandbox.store.write() as db:
        return _preview(db, ctx, plan)


@router.post("/accounts/{a}/subscription", response_model=Subscription)
def change_plan(
    body: SubscriptionChange, ctx: Annotated[Ctx, Depends(_owner("change the plan"))]
) -> Response:
    """Switch plan: the month's message counter resets, the newest bots over the new bot
    limit pause."""
    with ctx.sandbox.store.write() as db:
        _preview(db, ctx, body.plan)  # the same checks as the preview
        apply_plan(db, ctx.acct, body.plan, ctx.now)
        db.execute(
            "UPDATE subscriptions SET plan = ?, cancel_at_period_end = 0 WHERE account_id = ?",
            (body.plan, ctx.acct),
        )
        return ctx.reply(db, subscription_out(db, _subscription(db, ctx), ctx.now))


@router.post("/accounts/{a}/subscription/cancel", response_model=Subscription)
def cancel_subscription(
    body: SubscriptionCancel, ctx: Annotated[Ctx, Depends(_owner("cancel the subscription"))]
) -> Response:
    """`at_period_end` true: ends with the period; false: ends now (status canceled)."""
    with ctx.sandbox.store.write() as db:
        sub = _subscription(db, ctx)
        if sub["status"] != "active":
            raise conflict("subscription_canceled", "the subscription is already canceled")
        if body.at_period_end:
            db.execute(
                "UPDATE subscriptions SET cancel_at_period_end = 1 WHERE id = ?", (sub["id"],)
            )
        else:
            db.execute(
                "UPDATE subscriptions SET status = 'canceled', canceled_at = ?,"
                " cancel_at_period_end = 0 WHERE id = ?",
                (ts(ctx.now), sub["id"]),
            )
        return ctx.reply(db, subscription_out(db, _subscription(db, ctx), ctx.now))


# --- payment methods ---------------------------------------------------------------------------


@router.get("/accounts/{a}/payment_methods", response_model=ListResponse[PaymentMethod])
def list_payment_methods(
    ctx: Annotated[Ctx, Depends(_owner("view billing"))],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db,
            "payment_methods",
            "account_id = ?",
            [ctx.acct],
            limit=limit,
            starting_after=starting_after,
        )
    return list_body([payment_method_out(row) for row in rows], more, cursor)


def _payment_method(db: sqlite3.Connection, ctx: Ctx, pm_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM payment_methods WHERE id = ? AND account_id = ?", (pm_id, ctx.acct)
    ).fetchone()
    if row is None:
        raise not_found("payment method", pm_id)
    return row


@router.post("/accounts/{a}/payment_methods/{p}/set_default", response_model=PaymentMethod)
def set_default_payment_method(
    p: str, ctx: Annotated[Ctx, Depends(_owner("manage payment methods"))]
) -> Response:
    with ctx.sandbox.store.write() as db:
        _payment_method(db, ctx, p)
        db.execute(
            "UPDATE payment_methods SET is_default = (id = ?) WHERE account_id = ?", (p, ctx.acct)
        )
        return ctx.reply(db, payment_method_out(_payment_method(db, ctx, p)))


@router.delete("/accounts/{a}/payment_methods/{p}", response_model=Deleted)
def remove_payment_method(
    p: str, ctx: Annotated[Ctx, Depends(_owner("manage payment methods"))]
) -> Response:
    """Removing the default while others exist is 409 `default_payment_method`: pick another
    default first."""
    with ctx.sandbox.store.write() as db:
        row = _payment_method(db, ctx, p)
        others = db.execute(
            "SELECT COUNT(*) FROM payment_methods WHERE account_id = ? AND id != ?", (ctx.acct, p)
        ).fetchone()[0]
        if row["is_default"] and others:
            raise conflict(
                "default_payment_method",
                "this is the default payment method: set another one as default first",
            )
        db.execute("DELETE FROM payment_methods WHERE id = ?", (p,))
        return ctx.reply(db, Deleted(id=p, object="payment_method"))


# --- invoices ----------------------------------------------------------------------------------


@router.get("/accounts/{a}/invoices", response_model=ListResponse[Invoice])
def list_invoices(
    ctx: Annotated[Ctx, Depends(_owner("view billing"))],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db, "invoices", "account_id = ?", [ctx.acct], limit=limit, starting_after=starting_after
        )
    return list_body([invoice_out(row) for row in rows], more, cursor)


def _invoice(db: sqlite3.Connection, ctx: Ctx, invoice_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM invoices WHERE id = ? AND account_id = ?", (invoice_id, ctx.acct)
    ).fetchone()
    if row is None:
        raise not_found("invoice", invoice_id)
    return row


@router.get("/accounts/{a}/invoices/{i}", response_model=Invoice)
def get_invoice(i: str, ctx: Annotated[Ctx, Depends(_owner("view billing"))]) -> Invoice:
    with ctx.sandbox.store.read() as db:
        return invoice_out(_invoice(db, ctx, i))


@router.get(
    "/accounts/{a}/invoices/{i}/pdf",
    response_class=Response,
    responses={
        200: {
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            "description": "The invoice as a PDF document",
        }
    },
)
def get_invoice_pdf(i: str, ctx: Annotated[Ctx, Depends(_owner("view billing"))]) -> Response:
    with ctx.sandbox.store.read() as db:
        row = _invoice(db, ctx, i)
        account = db.execute("SELECT name FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
    invoice = invoice_out(row)
    lines = [
        f"Invoice {invoice.number}",
        f"Account: {account['name']}",
        f"Period: {invoice.period_start:%Y-%m-%d} to {invoice.period_end:%Y-%m-%d}",
        f"Status: {invoice.status}",
        "",
        *(f"{line.description}: ${line.amount.amount}" for line in invoice.lines),
        "",
        f"Total: ${cents_to_str(row['total_cents'])} USD",
    ]
    return Response(
        pdf.text_document(lines),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{invoice.number}.pdf"'},
    )


@router.post(
    "/accounts/{a}/billing_portal_sessions", response_model=BillingPortalSession, status_code=201
)
def create_billing_portal_session(
    ctx: Annotated[Ctx, Depends(_owner("open the billing portal"))],
) -> Response:
    """A short-lived link to the hosted billing page, where cards are entered (card numbers
    never pass through the API)."""
    token = security.new_link_token()
    expires = ctx.now + PORTAL_TTL
    with ctx.sandbox.store.write() as db:
        # Only recognised when presented, never shown again: a hash is all that is kept.
        db.execute(
            "INSERT INTO portal_sessions(token_hash, account_id, expires_at) VALUES (?,?,?)",
            (at_rest.token_hash(token), ctx.acct, ts(expires)),
        )
        session = BillingPortalSession(
            url=f"{ctx.base_url()}/billing/portal/{token}", expires_at=expires
        )
        return ctx.reply(db, session, 201, secret=True)
