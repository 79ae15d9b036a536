"""Organizations and the accounts in them."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from chathq_cli.api.accounts import Account
from chathq_cli.api.common import ListResponse
from chathq_cli.api.orgs import AccountCreate, Org, OrgCreate, OrgUpdate
from chathq_cli.api.rules import PAGE_LIMIT_DEFAULT
from chathq_cli.sandbox.clock import month_start
from chathq_cli.sandbox.deps import ROLE_RANK, Ctx, Principal, signed_in, users_only
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.problems import forbidden, not_found
from chathq_cli.sandbox.routes.common import Limit, StartingAfter, list_body
from chathq_cli.sandbox.store import page, ts
from chathq_cli.sandbox.views import account_out, org_out

router = APIRouter(tags=["orgs"])

# Orgs a user sees: those they own, and those holding an open account they belong to.
_VISIBLE_TO_USER = (
    "(owner_id = ? OR id IN (SELECT a.org_id FROM accounts a JOIN members m"
    " ON m.account_id = a.id WHERE m.user_id = ? AND a.status = 'open'))"
)


def _visibility(principal: Principal) -> tuple[str, list[str]]:
    if principal.is_key:
        return "id = (SELECT org_id FROM accounts WHERE id = ?)", [str(principal.key_account_id)]
    user = str(principal.user_id)
    return _VISIBLE_TO_USER, [user, user]


def _org_role(db: sqlite3.Connection, principal: Principal, org: sqlite3.Row) -> str | None:
    """The caller's highest role in the org: owning it counts as owner."""
    if principal.is_key:
        return "admin"
    if org["owner_id"] == principal.user_id:
        return "owner"
    roles = db.execute(
        "SELECT m.role FROM members m JOIN accounts a ON a.id = m.account_id"
        " WHERE a.org_id = ? AND m.user_id = ? AND a.status = 'open'",
        (org["id"], principal.user_id),
    ).fetchall()
    return max((r["role"] for r in roles), key=ROLE_RANK.__getitem__, default=None)


def _visible_org(db: sqlite3.Connection, ctx: Ctx, org_id: str) -> sqlite3.Row:
    where, params = _visibility(ctx.who)
    row: sqlite3.Row | None = db.execute(
        f"SELECT * FROM orgs WHERE id = ? AND {where}", [org_id, *params]
    ).fetchone()
    if row is None:
        raise not_found("org", org_id)
    return row


def _owned_org(db: sqlite3.Connection, ctx: Ctx, org_id: str, what: str) -> sqlite3.Row:
    org = _visible_org(db, ctx, org_id)
    if ctx.who.is_key:
        raise forbidden(f"API keys cannot {what}", code="api_key_not_allowed")
    if org["owner_id"] != ctx.who.user_id:
        raise forbidden(f"only the org's owner can {what}", code="insufficient_role")
    return org


@router.get("/orgs", response_model=ListResponse[Org])
def list_orgs(
    ctx: Annotated[Ctx, Depends(signed_in)],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    """Orgs the caller owns or holds an open account in (an API key: its account's org)."""
    where, params = _visibility(ctx.who)
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db, "orgs", where, params, limit=limit, starting_after=starting_after
        )
        data = [org_out(row, _org_role(db, ctx.who, row)) for row in rows]
    return list_body(data, more, cursor)


def org_owner(what: str) -> Any:
    """A dependency: the caller owns org `{o}` (checked before the body is validated)."""

    def dependency(o: str, ctx: Annotated[Ctx, Depends(signed_in)]) -> Ctx:
        with ctx.sandbox.store.read() as db:
            _owned_org(db, ctx, o, what)
        return ctx

    return dependency


@router.post("/orgs", response_model=Org, status_code=201)
def create_org(
    body: OrgCreate, ctx: Annotated[Ctx, Depends(users_only("create orgs"))]
) -> Response:
    """A new org owned by the caller, with no accounts yet."""
    with ctx.sandbox.store.write() as db:
        org_id = new_id("org")
        db.execute(
            "INSERT INTO orgs(id, name, owner_id, created_at) VALUES (?,?,?,?)",
            (org_id, body.name, ctx.user_id, ts(ctx.now)),
        )
        row = db.execute("SELECT * FROM orgs WHERE id = ?", (org_id,)).fetchone()
        return ctx.reply(db, org_out(row, "owner"), 201)


@router.get("/orgs/{o}", response_model=Org)
def get_org(o: str, ctx: Annotated[Ctx, Depends(signed_in)]) -> Org:
    with ctx.sandbox.store.read() as db:
        row = _visible_org(db, ctx, o)
        return org_out(row, _org_role(db, ctx.who, row))


@router.patch("/orgs/{o}", response_model=Org)
def update_org(
    o: str, body: OrgUpdate, ctx: Annotated[Ctx, Depends(org_owner("update the org"))]
) -> Response:
    """The org's owner only."""
    with ctx.sandbox.store.write() as db:
        changes = body.model_dump(exclude_unset=True)
        for column, value in changes.items():
            db.execute(f"UPDATE orgs SET {column} = ? WHERE id = ?", (value, o))
        row = db.execute("SELECT * FROM orgs WHERE id = ?", (o,)).fetchone()
        return ctx.reply(db, org_out(row, "owner"))


@router.get("/orgs/{o}/accounts", response_model=ListResponse[Account])
def list_accounts(
    o: str,
    ctx: Annotated[Ctx, Depends(signed_in)],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    """Open accounts of the org the caller can reach, with the caller's role on each."""
    with ctx.sandbox.store.read() as db:
        org = _visible_org(db, ctx, o)
        if ctx.who.is_key:
            where, params = (
                "org_id = ? AND status = 'open' AND id = ?",
                [o, str(ctx.who.key_account_id)],
            )
        elif org["owner_id"] == ctx.who.user_id:
            where, params = "org_id = ? AND status = 'open'", [o]
        else:
            where = (
                "org_id = ? AND status = 'open' AND id IN"
                " (SELECT account_id FROM members WHERE user_id = ?)"
            )
            params = [o, str(ctx.who.user_id)]
        rows, more, cursor = page(
            db, "accounts", where, params, limit=limit, starting_after=starting_after
        )
        data = [account_out(row, _role_on(db, ctx.who, row["id"])) for row in rows]
    return list_body(data, more, cursor)


def _role_on(db: sqlite3.Connection, principal: Principal, account_id: str) -> str | None:
    if principal.is_key:
        return "admin"
    row = db.execute(
        "SELECT role FROM members WHERE account_id = ? AND user_id = ?",
        (account_id, principal.user_id),
    ).fetchone()
    return str(row["role"]) if row else None


@router.post("/orgs/{o}/accounts", response_model=Account, status_code=201)
def create_account(
    o: str,
    body: AccountCreate,
    ctx: Annotated[Ctx, Depends(org_owner("create accounts in the org"))],
) -> Response:
    """The org's owner only: they become the account's owner; a subscription on `plan`
    starts."""
    with ctx.sandbox.store.write() as db:
        account_id, now = new_id("account"), ts(ctx.now)
        db.execute(
            "INSERT INTO accounts(id, org_id, name, plan, period_start, created_at)"
            " VALUES (?,?,?,?,?,?)",
            (account_id, o, body.name, body.plan, ts(month_start(ctx.now)), now),
        )
        db.execute(
            "INSERT INTO members(id, account_id, user_id, role, joined_at) VALUES (?,?,?,?,?)",
            (new_id("member"), account_id, ctx.user_id, "owner", now),
        )
        db.execute(
            "INSERT INTO subscriptions(id, account_id, plan, status, created_at)"
            " VALUES (?,?,?,?,?)",
            (new_id("subscription"), account_id, body.plan, "active", now),
        )
        row = db.execute("SELECT * FROM accounts WHERE id = ?", (account_id,)).fetchone()
        return ctx.reply(db, account_out(row, "owner"), 201)
