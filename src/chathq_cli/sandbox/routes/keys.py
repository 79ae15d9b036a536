"""Account API keys: the secret is shown only by create and roll; stored as a hash."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from chathq_cli.api.common import ListResponse
from chathq_cli.api.keys import ApiKey, ApiKeyCreate, ApiKeyRoll
from chathq_cli.api.rules import PAGE_LIMIT_DEFAULT
from chathq_cli.sandbox import security
from chathq_cli.sandbox.clock import utc
from chathq_cli.sandbox.deps import Ctx, access
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.problems import conflict, invalid, not_found
from chathq_cli.sandbox.routes.common import Limit, StartingAfter, list_body
from chathq_cli.sandbox.store import page, ts
from chathq_cli.sandbox.views import api_key_out, api_key_status

router = APIRouter(tags=["api keys"])


def _manage(what: str) -> Any:
    return access("admin", keys=False, what=what)


def _key(db: sqlite3.Connection, account_id: str, key_id: str) -> sqlite3.Row:
    row: sqlite3.Row | None = db.execute(
        "SELECT * FROM api_keys WHERE id = ? AND account_id = ?", (key_id, account_id)
    ).fetchone()
    if row is None:
        raise not_found("API key", key_id)
    return row


def _add_secret(db: sqlite3.Connection, key_id: str) -> str:
    secret = security.new_api_key_secret()
    db.execute(
        "INSERT INTO api_key_secrets(secret_hash, key_id) VALUES (?, ?)",
        (security.hash_token(secret), key_id),
    )
    db.execute(
        "UPDATE api_keys SET prefix = ?, last4 = ? WHERE id = ?", (secret[:12], secret[-4:], key_id)
    )
    return secret


@router.get("/accounts/{a}/api_keys", response_model=ListResponse[ApiKey])
def list_api_keys(
    ctx: Annotated[Ctx, Depends(_manage("manage API keys"))],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    now = ctx.now
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db, "api_keys", "account_id = ?", [ctx.acct], limit=limit, starting_after=starting_after
        )
    return list_body([api_key_out(row, now) for row in rows], more, cursor)


@router.post("/accounts/{a}/api_keys", response_model=ApiKey, status_code=201)
def create_api_key(
    body: ApiKeyCreate, ctx: Annotated[Ctx, Depends(_manage("manage API keys"))]
) -> Response:
    """The response is the only time the secret is shown."""
    now = ctx.now
    if body.expires_at is not None and utc(body.expires_at) <= now:
        raise invalid("expires_at", "expires_at: must be in the future", "expires_at_out_of_range")
    with ctx.sandbox.store.write() as db:
        key_id = new_id("api_key")
        db.execute(
            "INSERT INTO api_keys(id, account_id, name, prefix, last4, created_at, expires_at)"
            " VALUES (?,?,?,?,?,?,?)",
            (
                key_id,
                ctx.acct,
                body.name,
                "",
                "",
                ts(now),
                ts(utc(body.expires_at)) if body.expires_at else None,
            ),
        )
        secret = _add_secret(db, key_id)
        return ctx.reply(db, api_key_out(_key(db, ctx.acct, key_id), now, secret), 201, secret=True)


@router.post("/accounts/{a}/api_keys/{k}/revoke", response_model=ApiKey)
def revoke_api_key(k: str, ctx: Annotated[Ctx, Depends(_manage("manage API keys"))]) -> Response:
    with ctx.sandbox.store.write() as db:
        row = _key(db, ctx.acct, k)
        if row["revoked"]:
            raise conflict("api_key_revoked", "the API key is already revoked")
        db.execute("UPDATE api_keys SET revoked = 1 WHERE id = ?", (k,))
        return ctx.reply(db, api_key_out(_key(db, ctx.acct, k), ctx.now))


@router.post("/accounts/{a}/api_keys/{k}/roll", response_model=ApiKey)
def roll_api_key(
    k: str, body: ApiKeyRoll, ctx: Annotated[Ctx, Depends(_manage("manage API keys"))]
) -> Response:
    """A new secret for the same key; the old one keeps working `old_expires_in` seconds."""
    now = ctx.now
    with ctx.sandbox.store.write() as db:
        row = _key(db, ctx.acct, k)
        status = api_key_status(row, now)
        if status != "active":
            raise conflict("api_key_not_active", f"the API key is {status}; create a new one")
        db.execute(
            "UPDATE api_key_secrets SET expires_at = ? WHERE key_id = ?"
            " AND (expires_at IS NULL OR expires_at > ?)",
            (ts(now + timedelta(seconds=body.old_expires_in)), k, ts(now)),
        )
        secret = _add_secret(db, k)
        return ctx.reply(db, api_key_out(_key(db, ctx.acct, k), now, secret), secret=True)
