"""Personal settings of the signed-in user (`/me*`). API keys get 403 on all of them."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from chathq_cli.api.common import Deleted
from chathq_cli.api.me import (
    EmailChange,
    EmailConfirm,
    MeUpdate,
    PasswordChange,
    RecoveryCodes,
    RecoveryCodesCreate,
    TotpDisable,
    TotpEnrollment,
    TotpVerify,
    User,
    UserDelete,
)
from chathq_cli.api.rules import AVATAR_MAX_BYTES
from chathq_cli.sandbox import at_rest, security
from chathq_cli.sandbox.deps import Ctx, user_only
from chathq_cli.sandbox.domain import check_password, check_second_factor, send_mail
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.problems import Problem, conflict, invalid
from chathq_cli.sandbox.store import ts
from chathq_cli.sandbox.views import user_out

router = APIRouter(tags=["me"])

AVATAR_MAX = AVATAR_MAX_BYTES
EMAIL_CODE_TTL = timedelta(hours=1)
_MAGIC = (  # content type by the file's first bytes, never by its name
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def _me(db: sqlite3.Connection, ctx: Ctx) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM users WHERE id = ?", (ctx.user_id,)
    ).fetchone()
    if row is None:  # a session never outlives its user
        raise RuntimeError(f"session of a deleted user {ctx.user_id}")
    return row


def _reply_user(db: sqlite3.Connection, ctx: Ctx) -> Response:
    return ctx.reply(db, user_out(db, _me(db, ctx), ctx.base_url()))


@router.get("/me", response_model=User)
def get_me(ctx: Annotated[Ctx, Depends(user_only)]) -> User:
    """The signed-in user, with `default_account_id`. An API key gets 403: it has no user."""
    with ctx.sandbox.store.read() as db:
        return user_out(db, _me(db, ctx), ctx.base_url())


@router.patch("/me", response_model=User)
def update_me(body: MeUpdate, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        if body.display_name is not None:
            db.execute(
                "UPDATE users SET display_name = ? WHERE id = ?", (body.display_name, me["id"])
            )
        if body.theme is not None:
            db.execute("UPDATE users SET theme = ? WHERE id = ?", (body.theme, me["id"]))
        if body.notifications is not None:
            current = json.loads(me["notifications"])
            current.update(body.notifications.model_dump(exclude_none=True))
            db.execute(
                "UPDATE users SET notifications = ? WHERE id = ?", (json.dumps(current), me["id"])
            )
        return _reply_user(db, ctx)


_AVATAR_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            }
        },
    }
}


@router.put("/me/avatar", response_model=User, openapi_extra=_AVATAR_BODY)
async def set_avatar(request: Request, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    """Multipart field `file`: JPEG, PNG or GIF by content (415 otherwise), at most 5 MB
    (413). The declared size is checked before the body is read, the file is read in chunks."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > AVATAR_MAX + 64 * 1024:
        raise _too_large()
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise Problem(
            415,
            "unsupported_media_type",
            "send the image as multipart/form-data in the field 'file'",
            param="file",
        )
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise invalid("file", "file: is required (a multipart file field)")
        data = b""
        while chunk := await upload.read(256 * 1024):
            data += chunk
            if len(data) > AVATAR_MAX:
                raise _too_large()
    kind = next((mime for magic, mime in _MAGIC if data.startswith(magic)), None)
    if kind is None:
        raise Problem(
            415,
            "unsupported_media_type",
            "the avatar must be a JPEG, PNG or GIF image",
            param="file",
        )
    return await run_in_threadpool(_store_avatar, ctx, kind, data)


def _too_large() -> Problem:
    return Problem(413, "file_too_large", "the avatar must be at most 5 MB", param="file")


def _store_avatar(ctx: Ctx, kind: str, data: bytes) -> Response:
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        avatar_id = new_id("avatar")
        db.execute("DELETE FROM avatars WHERE user_id = ?", (me["id"],))
        db.execute(
            "INSERT INTO avatars(id, user_id, content_type, data, created_at) VALUES (?,?,?,?,?)",
            (avatar_id, me["id"], kind, data, ts(ctx.now)),
        )
        db.execute("UPDATE users SET avatar_id = ? WHERE id = ?", (avatar_id, me["id"]))
        return _reply_user(db, ctx)


@router.delete("/me/avatar", response_model=User)
def remove_avatar(ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    with ctx.sandbox.store.write() as db:
        db.execute("DELETE FROM avatars WHERE user_id = ?", (ctx.user_id,))
        db.execute("UPDATE users SET avatar_id = NULL WHERE id = ?", (ctx.user_id,))
        return _reply_user(db, ctx)


@router.post("/me/email", response_model=User)
def change_email(body: EmailChange, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    """Start an e-mail change: a code goes to the new address (see the outbox)."""
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        check_password(me, body.password)
        check_second_factor(db, ctx.sandbox.vault, me, body.totp_code, ctx.now)
        taken = db.execute(
            "SELECT 1 FROM users WHERE email = ? AND id != ?", (body.new_email, me["id"])
        ).fetchone()
        if taken:
            raise conflict(
                "email_taken", "that e-mail address is already in use", param="new_email"
            )
        code = security.new_code(6)
        db.execute(
            "UPDATE users SET pending_email = ?, email_code_hash = ?, email_code_expires_at = ?"
            " WHERE id = ?",
            (body.new_email, security.hash_token(code), ts(ctx.now + EMAIL_CODE_TTL), me["id"]),
        )
        send_mail(
            db,
            ctx.sandbox.vault,
            body.new_email,
            "Confirm your new ChatHQ e-mail address",
            f"Your confirmation code is {code}. It expires in one hour.",
            ctx.now,
            code,
        )
        return _reply_user(db, ctx)


@router.post("/me/email/confirm", response_model=User)
def confirm_email(body: EmailConfirm, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        if (
            me["pending_email"] is None
            or me["email_code_expires_at"] <= ts(ctx.now)
            or security.hash_token(body.code.strip()) != me["email_code_hash"]
        ):
            raise Problem(400, "invalid_code", "the code is invalid or expired", param="code")
        if db.execute("SELECT 1 FROM users WHERE email = ?", (me["pending_email"],)).fetchone():
            raise conflict("email_taken", "that e-mail address is already in use")
        db.execute(
            "UPDATE users SET email = pending_email, pending_email = NULL, email_code_hash = NULL,"
            " email_code_expires_at = NULL WHERE id = ?",
            (me["id"],),
        )
        return _reply_user(db, ctx)


@router.post("/me/password", response_model=User)
def change_password(body: PasswordChange, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    """Change the password; the user's other sessions end."""
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        check_password(me, body.current_password)
        check_second_factor(db, ctx.sandbox.vault, me, body.totp_code, ctx.now)
        db.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?",
            (security.hash_password(body.new_password), me["id"]),
        )
        db.execute(
            "DELETE FROM sessions WHERE user_id = ? AND id != ?",
            (me["id"], ctx.who.session_id),
        )
        return _reply_user(db, ctx)


@router.post("/me/totp", response_model=TotpEnrollment)
def start_totp(ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    """Begin enrolment: a new secret, pending until `POST /me/totp/verify` with a code."""
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        if me["totp_secret"] is not None:
            raise conflict("totp_already_enabled", "two-factor authentication is already on")
        secret = security.new_totp_secret()
        at_rest.start_totp(db, ctx.sandbox.vault, me["id"], secret)
        enrollment = TotpEnrollment(
            secret=secret, otpauth_uri=security.otpauth_uri(secret, me["email"])
        )
        return ctx.reply(db, enrollment, secret=True)


def _new_recovery_codes(db: sqlite3.Connection, user_id: str) -> RecoveryCodes:
    codes = security.new_recovery_codes()
    db.execute("DELETE FROM recovery_codes WHERE user_id = ?", (user_id,))
    db.executemany(
        "INSERT INTO recovery_codes(user_id, code_hash) VALUES (?, ?)",
        [(user_id, security.hash_token(code)) for code in codes],
    )
    return RecoveryCodes(recovery_codes=codes)


@router.post("/me/totp/verify", response_model=RecoveryCodes)
def verify_totp(body: TotpVerify, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    """Finish enrolment with a current code; the 10 recovery codes are shown this once."""
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        pending = at_rest.totp_pending(ctx.sandbox.vault, me)
        if pending is None:
            raise conflict("totp_not_pending", "start enrolment first: POST /v1/me/totp")
        counter = security.totp_match(pending, body.code, ctx.now)
        if counter is None:
            raise Problem(401, "invalid_totp", "the two-factor code is invalid", param="code")
        at_rest.confirm_totp(db, me["id"])
        db.execute(
            "INSERT OR IGNORE INTO totp_used(user_id, counter) VALUES (?, ?)", (me["id"], counter)
        )
        return ctx.reply(db, _new_recovery_codes(db, me["id"]), secret=True)


@router.delete("/me/totp", response_model=User)
def disable_totp(body: TotpDisable, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        if me["totp_secret"] is None:
            raise conflict("totp_not_enabled", "two-factor authentication is not on")
        check_password(me, body.password)
        check_second_factor(db, ctx.sandbox.vault, me, body.totp_code, ctx.now)
        db.execute(
            "UPDATE users SET totp_secret = NULL, totp_pending = NULL WHERE id = ?", (me["id"],)
        )
        db.execute("DELETE FROM recovery_codes WHERE user_id = ?", (me["id"],))
        return _reply_user(db, ctx)


@router.post("/me/recovery_codes", response_model=RecoveryCodes)
def regenerate_recovery_codes(
    body: RecoveryCodesCreate, ctx: Annotated[Ctx, Depends(user_only)]
) -> Response:
    """New recovery codes (the old ones stop working), shown this once."""
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        if me["totp_secret"] is None:
            raise conflict("totp_not_enabled", "two-factor authentication is not on")
        check_password(me, body.password)
        check_second_factor(db, ctx.sandbox.vault, me, body.totp_code, ctx.now)
        return ctx.reply(db, _new_recovery_codes(db, me["id"]), secret=True)


@router.delete("/me", response_model=Deleted)
def delete_me(body: UserDelete, ctx: Annotated[Ctx, Depends(user_only)]) -> Response:
    """Delete the user for good. 409 `sole_owner` while the only owner of an open account."""
    with ctx.sandbox.store.write() as db:
        me = _me(db, ctx)
        if body.confirm_email.strip().lower() != me["email"]:
            raise invalid(
                "confirm_email",
                "confirm_email: must be your current e-mail address",
                code="confirmation_mismatch",
            )
        check_password(me, body.password)
        check_second_factor(db, ctx.sandbox.vault, me, body.totp_code, ctx.now)
        sole = db.execute(
            "SELECT a.name FROM members m JOIN accounts a ON a.id = m.account_id"
            " WHERE m.user_id = ? AND m.role = 'owner' AND a.status = 'open'"
            " AND NOT EXISTS (SELECT 1 FROM members o WHERE o.account_id = m.account_id"
            "   AND o.role = 'owner' AND o.user_id != m.user_id)"
            " ORDER BY a.created_at",
            (me["id"],),
        ).fetchall()
        if sole:
            names = ", ".join(row["name"] for row in sole)
            raise conflict(
                "sole_owner",
                f"you are the only owner of {names}: make someone else owner or close it first",
            )
        for table in (
            "members",
            "sessions",
            "totp_used",
            "recovery_codes",
            "password_resets",
            "avatars",
        ):
            db.execute(f"DELETE FROM {table} WHERE user_id = ?", (me["id"],))
        db.execute("DELETE FROM users WHERE id = ?", (me["id"],))
        return ctx.reply(db, Deleted(id=me["id"], object="user"))
