"""The few pages the sandbox serves outside /v1: avatars, invite join pages, the hosted
billing portal (where, in the real portal, card numbers are typed: never through the API)."""

from __future__ import annotations

import html
from typing import Annotated

from fastapi import APIRouter, Depends, Form
from fastapi.responses import HTMLResponse, Response

from chathq_cli.sandbox import at_rest, security
from chathq_cli.sandbox.deps import Ctx, anonymous
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.store import ts
from chathq_cli.sandbox.views import link_status

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem}}
table{{border-collapse:collapse}}td,th{{padding:.3rem .8rem;border-bottom:1px solid #ddd}}</style>
</head><body><h1>{title}</h1>{body}<p><small>ChatHQ sandbox</small></p></body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(title=html.escape(title), body=body), status_code=status)


@router.get("/avatars/{avatar_id}")
def avatar(avatar_id: str, ctx: Annotated[Ctx, Depends(anonymous)]) -> Response:
    with ctx.sandbox.store.read() as db:
        row = db.execute(
            "SELECT content_type, data FROM avatars WHERE id = ?", (avatar_id,)
        ).fetchone()
    if row is None:
        return Response(status_code=404)
    return Response(
        row["data"],
        media_type=row["content_type"],
        headers={"Cache-Control": "private, max-age=60"},
    )


def _join_target(ctx: Ctx, token: str) -> tuple[str, str, str, str] | None:
    """(kind, id, account id, role) of a usable invite link or pending invitation."""
    now = ctx.now
    with ctx.sandbox.store.read() as db:
        digest = at_rest.token_hash(token)
        link = db.execute("SELECT * FROM invite_links WHERE token_hash = ?", (digest,)).fetchone()
        if link is not None:
            if link_status(link, now) != "active":
                return None
            return "link", link["id"], link["account_id"], link["role"]
        invitation = db.execute(
            "SELECT * FROM invitations WHERE token_hash = ? AND status = 'pending'"
            " AND expires_at > ?",
            (digest, ts(now)),
        ).fetchone()
        if invitation is not None:
            return ("invitation", invitation["id"], invitation["account_id"], invitation["role"])
    return None


def _account_name(ctx: Ctx, account_id: str) -> str | None:
    with ctx.sandbox.store.read() as db:
        row = db.execute(
            "SELECT name FROM accounts WHERE id = ? AND status = 'open'", (account_id,)
        ).fetchone()
    return str(row["name"]) if row else None


@router.get("/join/{token}")
def join_page(token: str, ctx: Annotated[Ctx, Depends(anonymous)]) -> HTMLResponse:
    target = _join_target(ctx, token)
    name = _account_name(ctx, target[2]) if target else None
    if target is None or name is None:
        return _page(
            "Invitation not valid",
            "<p>This invitation has expired, was revoked or has been used up.</p>",
            404,
        )
    form = (
        f"<p>You are invited to join <b>{html.escape(name)}</b> as "
        f"<b>{html.escape(target[3])}</b>.</p><form method=post>"
        "<p><label>E-mail <input name=email type=email required></label></p>"
        "<p><label>Password <input name=password type=password required></label></p>"
        "<p><button>Join</button></p></form>"
    )
    return _page(f"Join {name}", form)


@router.post("/join/{token}")
def join(
    token: str,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    ctx: Annotated[Ctx, Depends(anonymous)],
) -> HTMLResponse:
    """Accept an invite link or invitation as an existing user (the sandbox has no sign-up)."""
    target = _join_target(ctx, token)
    if target is None:
        return _page("Invitation not valid", "<p>This invitation is no longer valid.</p>", 404)
    kind, ident, account_id, role = target
    with ctx.sandbox.store.write() as db:
        user = db.execute(
            "SELECT * FROM users WHERE email = ?", (email.strip().lower(),)
        ).fetchone()
        if user is None or not security.verify_password(password, user["password_hash"]):
            return _page("Sign-in failed", "<p>Wrong e-mail or password.</p>", 401)
        db.execute(
            "INSERT OR IGNORE INTO members(id, account_id, user_id, role, joined_at)"
            " VALUES (?,?,?,?,?)",
            (new_id("member"), account_id, user["id"], role, ts(ctx.now)),
        )
        if kind == "link":
            db.execute("UPDATE invite_links SET uses = uses + 1 WHERE id = ?", (ident,))
        else:
            db.execute("UPDATE invitations SET status = 'accepted' WHERE id = ?", (ident,))
    return _page("Welcome", "<p>You joined the account. Run <code>portal account list</code>.</p>")


@router.get("/billing/portal/{token}")
def billing_portal(token: str, ctx: Annotated[Ctx, Depends(anonymous)]) -> HTMLResponse:
    with ctx.sandbox.store.read() as db:
        session = db.execute(
            "SELECT account_id FROM portal_sessions WHERE token_hash = ? AND expires_at > ?",
            (at_rest.token_hash(token), ts(ctx.now)),
        ).fetchone()
        if session is None:
            return _page(
                "Link expired",
                "<p>Open a new billing portal link from the CLI: "
                "<code>portal billing portal</code>.</p>",
                404,
            )
        account = db.execute(
            "SELECT name, plan FROM accounts WHERE id = ?", (session["account_id"],)
        ).fetchone()
        cards = db.execute(
            "SELECT brand, last4, exp_month, exp_year, is_default FROM payment_methods"
            " WHERE account_id = ? ORDER BY created_at DESC",
            (session["account_id"],),
        ).fetchall()
    rows = "".join(
        f"<tr><td>{html.escape(c['brand'])}</td><td>•••• {html.escape(c['last4'])}</td>"
        f"<td>{c['exp_month']:02d}/{c['exp_year']}</td>"
        f"<td>{'default' if c['is_default'] else ''}</td></tr>"
        for c in cards
    )
    body = (
        f"<p>Account <b>{html.escape(account['name'])}</b>, plan "
        f"<b>{html.escape(account['plan'])}</b>.</p><h2>Payment methods</h2>"
        f"<table>{rows}</table><p>In the real portal, new cards are entered on this page; "
        "the sandbox does not take card numbers.</p>"
    )
    return _page("Billing", body)
