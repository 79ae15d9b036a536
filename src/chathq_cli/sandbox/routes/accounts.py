"""Accounts: show, rename, package, dashboard, close."""

from __future__ import annotations

import sqlite3
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from chathq_cli.api.accounts import Account, AccountClose, AccountUpdate, Dashboard, Package
from chathq_cli.sandbox.catalog import PLANS, money
from chathq_cli.sandbox.clock import add_months, month_start
from chathq_cli.sandbox.deps import Ctx, access
from chathq_cli.sandbox.domain import check_password, check_second_factor, refresh_account
from chathq_cli.sandbox.problems import invalid
from chathq_cli.sandbox.store import ts
from chathq_cli.sandbox.views import account_out

router = APIRouter(tags=["accounts"])


@router.get("/accounts/{a}", response_model=Account)
def get_account(ctx: Annotated[Ctx, Depends(access("member", what="view the account"))]) -> Account:
    with ctx.sandbox.store.read() as db:
        row = db.execute("SELECT * FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
        return account_out(row, ctx.role)


@router.patch("/accounts/{a}", response_model=Account)
def rename_account(
    body: AccountUpdate, ctx: Annotated[Ctx, Depends(access("admin", what="rename the account"))]
) -> Response:
    """Admins and owners (and API keys) may rename."""
    with ctx.sandbox.store.write() as db:
        db.execute("UPDATE accounts SET name = ? WHERE id = ?", (body.name, ctx.acct))
        row = db.execute("SELECT * FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
        return ctx.reply(db, account_out(row, ctx.role))


def _bots(db: sqlite3.Connection, account_id: str) -> tuple[int, int]:
    rows = db.execute(
        "SELECT status, COUNT(*) AS n FROM bots WHERE account_id = ? GROUP BY status",
        (account_id,),
    ).fetchall()
    counts = {row["status"]: row["n"] for row in rows}
    return counts.get("running", 0), counts.get("paused", 0)


@router.get("/accounts/{a}/package", response_model=Package)
def get_package(ctx: Annotated[Ctx, Depends(access("member", what="view the package"))]) -> Package:
    """What the package includes and the month's use; limits reset on the 1st, 00:00 UTC."""
    now = ctx.now
    with ctx.sandbox.store.write() as db:
        refresh_account(db, ctx.acct, now)
        account = db.execute("SELECT * FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
        running, paused = _bots(db, ctx.acct)
    plan = PLANS[account["plan"]]
    return Package(
        plan=plan.id,
        name=plan.name,
        price=money(plan.price_cents),
        message_limit=plan.message_limit,
        messages_used=account["messages_used"],
        bot_limit=plan.bot_limit,
        bots_running=running,
        bots_paused=paused,
        features=list(plan.features),
        period_start=month_start(now),
        limits_reset_at=add_months(now, 1),
    )


@router.get("/accounts/{a}/dashboard", response_model=Dashboard)
def get_dashboard(
    ctx: Annotated[Ctx, Depends(access("member", what="view the dashboard"))],
) -> Dashboard:
    now = ctx.now
    with ctx.sandbox.store.write() as db:
        refresh_account(db, ctx.acct, now)
        account = db.execute("SELECT * FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
        running, paused = _bots(db, ctx.acct)
        unpaid = db.execute(
            "SELECT COALESCE(SUM(amount_cents), 0) FROM usage_records WHERE account_id = ?"
            " AND occurred_at >= ? AND status = 'unpaid'",
            (ctx.acct, month_start(now).strftime("%Y-%m-%dT%H:%M:%SZ")),
        ).fetchone()[0]
        members = db.execute(
            "SELECT COUNT(*) FROM members WHERE account_id = ?", (ctx.acct,)
        ).fetchone()[0]
        integrations = db.execute(
            "SELECT COUNT(*) FROM integrations WHERE account_id = ? AND status = 'enabled'",
            (ctx.acct,),
        ).fetchone()[0]
    plan = PLANS[account["plan"]]
    return Dashboard(
        account_id=account["id"],
        account_name=account["name"],
        plan=plan.id,
        messages_used=account["messages_used"],
        message_limit=plan.message_limit,
        limits_reset_at=add_months(now, 1),
        unpaid_this_month=money(unpaid),
        members=members,
        active_integrations=integrations,
        bots_running=running,
        bots_paused=paused,
    )


@router.post("/accounts/{a}/close", response_model=Account)
def close_account(
    body: AccountClose,
    ctx: Annotated[Ctx, Depends(access("owner", keys=False, what="close the account"))],
) -> Response:
    """Owner only, permanent: afterwards every call on the account is 404. Needs the account's
    name typed in `confirm_name`, the password, and a 2FA code when 2FA is on."""
    with ctx.sandbox.store.write() as db:
        account = db.execute("SELECT * FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
        if body.confirm_name.strip() != account["name"]:
            raise invalid(
                "confirm_name",
                "confirm_name: must be the account's current name",
                code="confirmation_mismatch",
            )
        user = db.execute("SELECT * FROM users WHERE id = ?", (ctx.user_id,)).fetchone()
        check_password(user, body.password)
        check_second_factor(db, ctx.sandbox.vault, user, body.totp_code, ctx.now)
        db.execute(
            "UPDATE accounts SET status = 'closed', closed_at = ? WHERE id = ?",
            (ts(ctx.now), ctx.acct),
        )
        db.execute(
            "UPDATE subscriptions SET status = 'canceled', canceled_at = ? WHERE account_id = ?",
            (ts(ctx.now), ctx.acct),
        )
        db.execute(
            "UPDATE bots SET status = 'paused', paused_reason = 'closed' WHERE account_id = ?",
            (ctx.acct,),
        )
        row = db.execute("SELECT * FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
        return ctx.reply(db, account_out(row, ctx.role))
