"""Request context: the sandbox state, who is calling, and on which account with what role.

Authorization is done by dependencies. FastAPI resolves dependencies before it validates the
request body, so a caller without the role gets 403 (or 404) whatever the body says.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import Depends, Request
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from chathq_cli.api.rules import ROLES, SESSION_TOKEN_PREFIX
from chathq_cli.sandbox import sealing, security
from chathq_cli.sandbox.problems import Problem, forbidden, not_found
from chathq_cli.sandbox.store import ts

if TYPE_CHECKING:
    from chathq_cli.sandbox.state import Sandbox

# member 1, admin 2, owner 3
ROLE_RANK: dict[str, int] = {role: len(ROLES) - index for index, role in enumerate(ROLES)}
IDEMPOTENCY_TTL = timedelta(hours=24)

bearer = HTTPBearer(auto_error=False, description="A session token (pst_...) or an API key")


def sandbox_of(request: Request) -> Sandbox:
    sandbox: Sandbox = request.app.state.sandbox
    return sandbox


@dataclass(frozen=True)
class Principal:
    kind: Literal["user", "key"]
    user_id: str | None = None
    session_id: str | None = None
    key_id: str | None = None
    key_account_id: str | None = None

    @property
    def is_key(self) -> bool:
        return self.kind == "key"


@dataclass
class Ctx:
    """What an endpoint needs: the request, the sandbox, the caller, maybe an account."""

    request: Request
    sandbox: Sandbox
    principal: Principal | None = None
    account_id: str | None = None
    role: str | None = None

    @property
    def now(self) -> datetime:
        return self.sandbox.clock.now()

    @property
    def who(self) -> Principal:
        """The authenticated caller (endpoints behind `signed_in` always have one)."""
        if self.principal is None:
            raise RuntimeError("endpoint without authentication asked for the caller")
        return self.principal

    @property
    def user_id(self) -> str:
        if self.who.user_id is None:
            raise RuntimeError("endpoint open to API keys asked for a user")
        return self.who.user_id

    @property
    def acct(self) -> str:
        if self.account_id is None:
            raise RuntimeError("endpoint without an account asked for one")
        return self.account_id

    def base_url(self) -> str:
        return str(self.request.base_url).rstrip("/")

    def reply(
        self,
        db: sqlite3.Connection,
        body: BaseModel | dict[str, Any],
        status: int = 200,
        *,
        secret: bool = False,
    ) -> Response:
        """Serialise a write's response and, inside the same transaction, remember it for
        its Idempotency-Key, so the work and its replay record commit together.

        `secret=True` for a response that holds a secret: its replay is stored sealed
        (sandbox/sealing.py), so the database never holds the secret in clear."""
        data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
        raw = json.dumps(data, separators=(",", ":")).encode()
        idem = getattr(self.request.state, "idempotency", None)
        if idem is not None and 200 <= status < 300:
            stored = (
                self.sandbox.sealer.seal(raw, sealing.context(idem["caller"], idem["key"]))
                if secret
                else raw
            )
            # Keys are kept 24 h: an expired record of this key no longer counts.
            db.execute(
                "DELETE FROM idempotency WHERE created_at <= ?",
                (ts(self.now - IDEMPOTENCY_TTL),),
            )
            try:
                db.execute(
                    "INSERT INTO idempotency(caller, key, method, path, body_hash, status, body,"
                    " sealed, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (
                        idem["caller"],
                        idem["key"],
                        idem["method"],
                        idem["path"],
                        idem["body_hash"],
                        status,
                        stored,
                        int(secret),
                        ts(self.now),
                    ),
                )
            except sqlite3.IntegrityError:
                # A concurrent request with the same key won the race: undo this one's work.
                raise Problem(
                    409,
                    "idempotency_key_in_use",
                    "another request with this Idempotency-Key was processed concurrently",
                    type="idempotency_error",
                ) from None
        return Response(raw, status_code=status, media_type="application/json")


def _authenticate(request: Request, token: str) -> Principal | None:
    sandbox = sandbox_of(request)
    now = ts(sandbox.clock.now())
    digest = security.hash_token(token)
    with sandbox.store.write() as db:
        if token.startswith(SESSION_TOKEN_PREFIX):
            row = db.execute(
                "SELECT s.id, s.user_id FROM sessions s JOIN users u ON u.id = s.user_id"
                " WHERE s.token_hash = ? AND s.expires_at > ?",
                (digest, now),
            ).fetchone()
            if row:
                return Principal("user", user_id=row["user_id"], session_id=row["id"])
        elif token.startswith("sk_"):
            row = db.execute(
                "SELECT k.id, k.account_id FROM api_key_secrets s"
                " JOIN api_keys k ON k.id = s.key_id"
                " JOIN accounts a ON a.id = k.account_id AND a.status = 'open'"
                " WHERE s.secret_hash = ? AND (s.expires_at IS NULL OR s.expires_at > ?)"
                " AND k.revoked = 0 AND (k.expires_at IS NULL OR k.expires_at > ?)",
                (digest, now, now),
            ).fetchone()
            if row:
                db.execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", (now, row["id"]))
                return Principal("key", key_id=row["id"], key_account_id=row["account_id"])
    return None


def current_principal(
    request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if creds is None or not creds.credentials:
        raise Problem(
            401,
            "authentication_required",
            "no bearer token: sign in (POST /v1/auth/sessions) or use an API key",
        )
    principal = _authenticate(request, creds.credentials)
    if principal is None:
        raise Problem(401, "invalid_token", "the token is invalid, expired or revoked")
    return principal


def anonymous(request: Request) -> Ctx:
    return Ctx(request, sandbox_of(request))


def signed_in(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> Ctx:
    return Ctx(request, sandbox_of(request), principal)


def user_only(ctx: Annotated[Ctx, Depends(signed_in)]) -> Ctx:
    """Personal settings: a signed-in user, never an API key."""
    if ctx.who.is_key:
        raise forbidden(
            "API keys cannot use personal (/me) endpoints; sign in as a user",
            code="api_key_not_allowed",
        )
    return ctx


def account_role(db: sqlite3.Connection, principal: Principal, account_id: str) -> str | None:
    """The caller's role on an open account, or None when it may not see the account."""
    if principal.is_key:
        if principal.key_account_id != account_id:
            return None
        row = db.execute(
            "SELECT 1 FROM accounts WHERE id = ? AND status = 'open'", (account_id,)
        ).fetchone()
        return "admin" if row else None
    row = db.execute(
        "SELECT m.role FROM members m JOIN accounts a ON a.id = m.account_id"
        " WHERE m.account_id = ? AND m.user_id = ? AND a.status = 'open'",
        (account_id, principal.user_id),
    ).fetchone()
    return str(row["role"]) if row else None


def access(minimum: str, *, keys: bool = True, what: str = "this") -> Any:
    """A dependency: the caller may act on account `{a}` with at least role `minimum`.

    Another account's ID is a 404, never a 403, so IDs do not leak.
    """

    def dependency(a: str, ctx: Annotated[Ctx, Depends(signed_in)]) -> Ctx:
        with ctx.sandbox.store.read() as db:
            role = account_role(db, ctx.who, a)
        if role is None:
            raise not_found("account", a)
        if ctx.who.is_key and not keys:
            raise forbidden(f"API keys cannot {what}", code="api_key_not_allowed")
        if ROLE_RANK[role] < ROLE_RANK[minimum]:
            raise forbidden(
                f"you need the {minimum} role on this account to {what} (you are {role})",
                code="insufficient_role",
            )
        ctx.account_id, ctx.role = a, role
        return ctx

    return dependency


def users_only(what: str) -> Any:
    """A dependency: a signed-in user; an API key gets 403 saying it cannot `what`."""

    def dependency(ctx: Annotated[Ctx, Depends(signed_in)]) -> Ctx:
        if ctx.who.is_key:
            raise forbidden(f"API keys cannot {what}", code="api_key_not_allowed")
        return ctx

    return dependency
