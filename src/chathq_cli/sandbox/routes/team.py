"""Team: members, invitations, invite links."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from chathq_cli.api.common import Deleted, ListResponse
from chathq_cli.api.rules import LINK_MAX_DAYS, PAGE_LIMIT_DEFAULT
from chathq_cli.api.team import (
    Invitation,
    InvitationCreate,
    InvitationStatus,
    InviteLink,
    InviteLinkCreate,
    Member,
    MemberUpdate,
)
from chathq_cli.sandbox import at_rest, security
from chathq_cli.sandbox.clock import utc
from chathq_cli.sandbox.deps import Ctx, access
from chathq_cli.sandbox.domain import send_mail
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.problems import conflict, forbidden, invalid, not_found
from chathq_cli.sandbox.routes.common import Limit, StartingAfter, list_body
from chathq_cli.sandbox.store import page, ts
from chathq_cli.sandbox.views import (
    invitation_out,
    invitation_status,
    link_out,
    member_out,
)

router = APIRouter(tags=["team"])

INVITATION_TTL = timedelta(days=7)
LINK_DEFAULT_TTL = timedelta(days=7)
LINK_MAX_TTL = timedelta(days=LINK_MAX_DAYS)
_MEMBER_VIEW = (
    "(SELECT m.id, m.account_id, m.user_id, m.role, m.joined_at, m.joined_at AS created_at,"
    " u.email, u.display_name FROM members m JOIN users u ON u.id = m.user_id)"
)


def _member(db: sqlite3.Connection, account_id: str, member_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        f"SELECT * FROM {_MEMBER_VIEW} WHERE id = ? AND account_id = ?", (member_id, account_id)
    ).fetchone()
    if row is None:
        raise not_found("member", member_id)
    return row


def _owners(db: sqlite3.Connection, account_id: str) -> int:
    return int(
        db.execute(
            "SELECT COUNT(*) FROM members WHERE account_id = ? AND role = 'owner'", (account_id,)
        ).fetchone()[0]
    )


@router.get("/accounts/{a}/members", response_model=ListResponse[Member])
def list_members(
    ctx: Annotated[Ctx, Depends(access("member", what="view the team"))],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db,
            _MEMBER_VIEW,
            "account_id = ?",
            [ctx.acct],
            limit=limit,
            starting_after=starting_after,
        )
    return list_body([member_out(row) for row in rows], more, cursor)


@router.patch("/accounts/{a}/members/{m}", response_model=Member)
def set_member_role(
    m: str, body: MemberUpdate, ctx: Annotated[Ctx, Depends(access("admin", what="change roles"))]
) -> Response:
    """Admins change roles; granting or taking away `owner` needs an owner. 409 `last_owner`
    when the change would leave the account without an owner."""
    with ctx.sandbox.store.write() as db:
        member = _member(db, ctx.acct, m)
        if "owner" in (member["role"], body.role) and ctx.role != "owner":
            raise forbidden(
                "only an owner can grant or remove the owner role", code="insufficient_role"
            )
        if member["role"] == "owner" and body.role != "owner" and _owners(db, ctx.acct) == 1:
            raise conflict("last_owner", "the account needs at least one owner")
        db.execute("UPDATE members SET role = ? WHERE id = ?", (body.role, m))
        return ctx.reply(db, member_out(_member(db, ctx.acct, m)))


@router.delete("/accounts/{a}/members/{m}", response_model=Deleted)
def remove_member(
    m: str, ctx: Annotated[Ctx, Depends(access("admin", what="remove members"))]
) -> Response:
    """409 `last_owner` for the last owner; removing an owner needs an owner."""
    with ctx.sandbox.store.write() as db:
        member = _member(db, ctx.acct, m)
        if member["role"] == "owner":
            if ctx.role != "owner":
                raise forbidden("only an owner can remove an owner", code="insufficient_role")
            if _owners(db, ctx.acct) == 1:
                raise conflict("last_owner", "the account needs at least one owner")
        db.execute("DELETE FROM members WHERE id = ?", (m,))
        return ctx.reply(db, Deleted(id=m, object="member"))


# --- invitations -------------------------------------------------------------------------------

_EFFECTIVE_STATUS = (
    "CASE WHEN status = 'pending' AND expires_at <= ? THEN 'expired' ELSE status END"
)


@router.get("/accounts/{a}/invitations", response_model=ListResponse[Invitation])
def list_invitations(
    ctx: Annotated[Ctx, Depends(access("admin", what="view invitations"))],
    status: Annotated[InvitationStatus | None, Query()] = None,
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    now = ctx.now
    where, params = "account_id = ?", [ctx.acct]
    if status is not None:
        where += f" AND {_EFFECTIVE_STATUS} = ?"
        params += [ts(now), status]
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db, "invitations", where, params, limit=limit, starting_after=starting_after
        )
    return list_body([invitation_out(row, now) for row in rows], more, cursor)


def _invite_mail(db: sqlite3.Connection, ctx: Ctx, row: sqlite3.Row) -> None:
    account = db.execute("SELECT name FROM accounts WHERE id = ?", (ctx.acct,)).fetchone()
    url = f"{ctx.base_url()}/join/{at_rest.token_of(ctx.sandbox.vault, 'invitations', row)}"
    send_mail(
        db,
        ctx.sandbox.vault,
        row["email"],
        f"You are invited to {account['name']} on ChatHQ",
        f"Join {account['name']} as {row['role']}: {url}",
        ctx.now,
    )


@router.post("/accounts/{a}/invitations", response_model=ListResponse[Invitation], status_code=201)
def create_invitations(
    body: InvitationCreate, ctx: Annotated[Ctx, Depends(access("admin", what="invite people"))]
) -> Response:
    """One invitation per address (each e-mailed, see the outbox). Inviting an owner needs an
    owner; inviting someone already on the team is 409 `already_member`. An address with a
    pending invitation keeps it: the existing invitation is returned as it is (same ID, role
    and expiry, no new e-mail), so sending the same request again is safe."""
    if body.role == "owner" and ctx.role != "owner":
        raise forbidden("only an owner can invite owners", code="insufficient_role")
    now = ctx.now
    with ctx.sandbox.store.write() as db:
        created = []
        for index, email in enumerate(dict.fromkeys(body.emails)):
            member = db.execute(
                "SELECT 1 FROM members m JOIN users u ON u.id = m.user_id"
                " WHERE m.account_id = ? AND u.email = ?",
                (ctx.acct, email),
            ).fetchone()
            if member:
                raise conflict(
                    "already_member", f"{email} is already on the team", param=f"emails.{index}"
                )
            pending = db.execute(
                "SELECT * FROM invitations WHERE account_id = ? AND email = ?"
                " AND status = 'pending' AND expires_at > ? ORDER BY created_at DESC LIMIT 1",
                (ctx.acct, email, ts(now)),
            ).fetchone()
            if pending is not None:
                created.append(invitation_out(pending, now))
                continue
            invitation_id = new_id("invitation")
            token = at_rest.token_columns(
                ctx.sandbox.vault, "invitations", invitation_id, security.new_link_token()
            )
            db.execute(
                "INSERT INTO invitations(id, account_id, email, role, status, token, token_hash,"
                " created_at, expires_at, last_sent_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    invitation_id,
                    ctx.acct,
                    email,
                    body.role,
                    "pending",
                    token["token"],
                    token["token_hash"],
                    ts(now),
                    ts(now + INVITATION_TTL),
                    ts(now),
                ),
            )
            row = db.execute("SELECT * FROM invitations WHERE id = ?", (invitation_id,)).fetchone()
            _invite_mail(db, ctx, row)
            created.append(invitation_out(row, now))
        created.reverse()  # newest first, like every list
        return ctx.reply(
            db, list_body([i.model_dump(mode="json") for i in created], False, None), 201
        )


def _pending_invitation(db: sqlite3.Connection, ctx: Ctx, invitation_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM invitations WHERE id = ? AND account_id = ?", (invitation_id, ctx.acct)
    ).fetchone()
    if row is None:
        raise not_found("invitation", invitation_id)
    status = invitation_status(row, ctx.now)
    if status != "pending":
        raise conflict("invitation_not_pending", f"the invitation is {status}, not pending")
    return row


@router.post("/accounts/{a}/invitations/{i}/revoke", response_model=Invitation)
def revoke_invitation(
    i: str, ctx: Annotated[Ctx, Depends(access("admin", what="revoke invitations"))]
) -> Response:
    with ctx.sandbox.store.write() as db:
        _pending_invitation(db, ctx, i)
        db.execute("UPDATE invitations SET status = 'revoked' WHERE id = ?", (i,))
        row = db.execute("SELECT * FROM invitations WHERE id = ?", (i,)).fetchone()
        return ctx.reply(db, invitation_out(row, ctx.now))


@router.post("/accounts/{a}/invitations/{i}/resend", response_model=Invitation)
def resend_invitation(
    i: str, ctx: Annotated[Ctx, Depends(access("admin", what="resend invitations"))]
) -> Response:
    """E-mail the invitation again; its expiry restarts."""
    now = ctx.now
    with ctx.sandbox.store.write() as db:
        _pending_invitation(db, ctx, i)
        db.execute(
            "UPDATE invitations SET last_sent_at = ?, expires_at = ? WHERE id = ?",
            (ts(now), ts(now + INVITATION_TTL), i),
        )
        row = db.execute("SELECT * FROM invitations WHERE id = ?", (i,)).fetchone()
        _invite_mail(db, ctx, row)
        return ctx.reply(db, invitation_out(row, now))


# --- invite links -----------------------------------------------------------------------------


@router.get("/accounts/{a}/invite_links", response_model=ListResponse[InviteLink])
def list_invite_links(
    ctx: Annotated[Ctx, Depends(access("admin", what="view invite links"))],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    now, base, vault = ctx.now, ctx.base_url(), ctx.sandbox.vault
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db,
            "invite_links",
            "account_id = ?",
            [ctx.acct],
            limit=limit,
            starting_after=starting_after,
        )
    return list_body([link_out(row, now, base, vault) for row in rows], more, cursor)


@router.post("/accounts/{a}/invite_links", response_model=InviteLink, status_code=201)
def create_invite_link(
    body: InviteLinkCreate,
    ctx: Annotated[Ctx, Depends(access("admin", what="create invite links"))],
) -> Response:
    """A multi-use link: `max_uses` 0 = unlimited; expiry in the future, at most 90 days
    (default 7)."""
    if body.role == "owner" and ctx.role != "owner":
        raise forbidden("only an owner can invite owners", code="insufficient_role")
    now = ctx.now
    expires = utc(body.expires_at) if body.expires_at else now + LINK_DEFAULT_TTL
    if expires <= now:
        raise invalid("expires_at", "expires_at: must be in the future", "expires_at_out_of_range")
    if expires > now + LINK_MAX_TTL:
        raise invalid(
            "expires_at",
            f"expires_at: must be at most {LINK_MAX_DAYS} days ahead",
            "expires_at_out_of_range",
        )
    with ctx.sandbox.store.write() as db:
        link_id = new_id("invite_link")
        token = at_rest.token_columns(
            ctx.sandbox.vault, "invite_links", link_id, security.new_link_token()
        )
        db.execute(
            "INSERT INTO invite_links(id, account_id, token, token_hash, role, max_uses,"
            " expires_at, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                link_id,
                ctx.acct,
                token["token"],
                token["token_hash"],
                body.role,
                body.max_uses,
                ts(expires),
                ts(now),
            ),
        )
        row = db.execute("SELECT * FROM invite_links WHERE id = ?", (link_id,)).fetchone()
        # The URL holds the link's token: its replay is kept sealed like any secret.
        link = link_out(row, now, ctx.base_url(), ctx.sandbox.vault)
        return ctx.reply(db, link, 201, secret=True)


@router.post("/accounts/{a}/invite_links/{l}/revoke", response_model=InviteLink)
def revoke_invite_link(
    l: str,  # noqa: E741 - the path parameter's name in the documented URL
    ctx: Annotated[Ctx, Depends(access("admin", what="revoke invite links"))],
) -> Response:
    now = ctx.now
    with ctx.sandbox.store.write() as db:
        row = db.execute(
            "SELECT * FROM invite_links WHERE id = ? AND account_id = ?", (l, ctx.acct)
        ).fetchone()
        if row is None:
            raise not_found("invite link", l)
        if row["revoked"]:
            raise conflict("invite_link_revoked", "the invite link is already revoked")
        db.execute("UPDATE invite_links SET revoked = 1 WHERE id = ?", (l,))
        row = db.execute("SELECT * FROM invite_links WHERE id = ?", (l,)).fetchone()
        link = link_out(row, now, ctx.base_url(), ctx.sandbox.vault)
        return ctx.reply(db, link, secret=True)
