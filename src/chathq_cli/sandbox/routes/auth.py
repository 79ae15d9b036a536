"""Sessions and password resets."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from chathq_cli.api.auth import (
    Accepted,
    CurrentSession,
    PasswordResetConfirm,
    PasswordResetRequest,
    Session,
    SessionCreate,
)
from chathq_cli.api.common import Deleted
from chathq_cli.sandbox import security
from chathq_cli.sandbox.deps import Ctx, anonymous, user_only
from chathq_cli.sandbox.domain import check_second_factor, send_mail
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.problems import Problem
from chathq_cli.sandbox.store import parse_ts, ts
from chathq_cli.sandbox.views import user_out

router = APIRouter(tags=["auth"])

SESSION_TTL = timedelta(days=30)
RESET_TTL = timedelta(hours=1)
_BAD_CREDENTIALS = "invalid e-mail, password or two-factor code"


@router.post("/auth/sessions", response_model=Session, status_code=201)
def create_session(body: SessionCreate, ctx: Annotated[Ctx, Depends(anonymous)]) -> Response:
    """Sign in. With 2FA on and no `totp_code`: 401 `totp_required` (param `totp_code`).
    A wrong password or code is 401 `invalid_credentials`, the same whether the e-mail exists."""
    with ctx.sandbox.store.write() as db:
        user = db.execute("SELECT * FROM users WHERE email = ?", (body.email,)).fetchone()
        if user is None or not security.verify_password(body.password, user["password_hash"]):
            raise Problem(401, "invalid_credentials", _BAD_CREDENTIALS)
        check_second_factor(
            db, ctx.sandbox.vault, user, body.totp_code, ctx.now, wrong_code="invalid_credentials"
        )
        token = security.new_session_token()
        expires = ctx.now + SESSION_TTL
        db.execute(
            "INSERT INTO sessions(id, user_id, token_hash, created_at, expires_at)"
            " VALUES (?,?,?,?,?)",
            (new_id("session"), user["id"], security.hash_token(token), ts(ctx.now), ts(expires)),
        )
        session = Session(
            token=token,
            expires_at=expires,
            expires_in=_seconds_until(expires, ctx),
            user=user_out(db, user, ctx.base_url()),
        )
        return ctx.reply(db, session, 201)


def _seconds_until(when: datetime, ctx: Ctx) -> int:
    return max(0, int((when - ctx.now).total_seconds()))


@router.get("/auth/sessions/current", response_model=CurrentSession)
def current_session(ctx: Annotated[Ctx, Depends(user_only)]) -> CurrentSession:
    """The session of the token in use: when it expires, also as seconds from now by the
    server's clock (`expires_in`). API keys have no session (403)."""
    with ctx.sandbox.store.read() as db:
        row = db.execute(
            "SELECT created_at, expires_at FROM sessions WHERE id = ?", (ctx.who.session_id,)
        ).fetchone()
    if row is None:  # ended between authentication and here
        raise Problem(401, "invalid_token", "the token is invalid, expired or revoked")
    expires = parse_ts(row["expires_at"])
    return CurrentSession(
        created_at=parse_ts(row["created_at"]),
        expires_at=expires,
        expires_in=_seconds_until(expires, ctx),
    )


@router.delete("/auth/sessions/current", response_model=Deleted)
def delete_current_session(ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    """Sign out: the session token stops working."""
    with ctx.sandbox.store.write() as db:
        db.execute("DELETE FROM sessions WHERE id = ?", (ctx.who.session_id,))
        return ctx.reply(db, Deleted(id=str(ctx.who.session_id), object="session"))


@router.post("/auth/password_resets", response_model=Accepted, status_code=202)
def request_password_reset(
    body: PasswordResetRequest, ctx: Annotated[Ctx, Depends(anonymous)]
) -> Response:
    """Always 202, whether or not the address exists; the code goes to the outbox."""
    with ctx.sandbox.store.write() as db:
        user = db.execute("SELECT id, email FROM users WHERE email = ?", (body.email,)).fetchone()
        if user is not None:
            code = security.new_code(8)
            db.execute(
                "INSERT INTO password_resets(user_id, code_hash, expires_at) VALUES (?,?,?)",
                (user["id"], security.hash_token(code), ts(ctx.now + RESET_TTL)),
            )
            send_mail(
                db,
                ctx.sandbox.vault,
                user["email"],
                "Reset your ChatHQ password",
                f"Your password reset code is {code}. It expires in one hour.",
                ctx.now,
                code,
            )
        return ctx.reply(db, Accepted(), 202)


@router.post("/auth/password_resets/confirm", response_model=Accepted)
def confirm_password_reset(
    body: PasswordResetConfirm, ctx: Annotated[Ctx, Depends(anonymous)]
) -> Response:
    """Set a new password with the e-mailed code; every session of the user ends."""
    with ctx.sandbox.store.write() as db:
        user = db.execute("SELECT id FROM users WHERE email = ?", (body.email,)).fetchone()
        reset = None
        if user is not None:
            reset = db.execute(
                "SELECT rowid FROM password_resets WHERE user_id = ? AND code_hash = ?"
                " AND used_at IS NULL AND expires_at > ?",
                (user["id"], security.hash_token(body.code.strip()), ts(ctx.now)),
            ).fetchone()
        if user is None or reset is None:
            raise Problem(400, "invalid_code", "the code is invalid or expired", param="code")
        db.execute(
            "UPDATE password_resets SET used_at = ? WHERE user_id = ?", (ts(ctx.now), user["id"])
        )
        db.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?",
            (security.hash_password(body.new_password), user["id"]),
        )
        db.execute("DELETE FROM sessions WHERE user_id = ?", (user["id"],))
        return ctx.reply(db, Accepted())
