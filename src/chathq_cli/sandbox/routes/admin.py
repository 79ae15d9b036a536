"""Sandbox-only controls under /_sandbox/ (not part of the API, not in the OpenAPI document):
the outbox, faults, the clock, reset. No authentication: the sandbox listens on loopback."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from chathq_cli.sandbox import at_rest
from chathq_cli.sandbox.deps import Ctx, anonymous
from chathq_cli.sandbox.faults import KINDS, MAX_LATENCY
from chathq_cli.sandbox.problems import invalid
from chathq_cli.sandbox.store import parse_ts

router = APIRouter(prefix="/_sandbox", include_in_schema=False)


class FaultsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rate: float = Field(ge=0.0, le=1.0)
    kinds: list[str] = Field(default_factory=lambda: list(KINDS))
    seed: int = 0
    max_latency: float = Field(default=MAX_LATENCY, ge=0.0, le=10.0)


class ClockBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    now: datetime


@router.get("/outbox")
def outbox(ctx: Annotated[Ctx, Depends(anonymous)], to: str | None = None) -> list[dict[str, Any]]:
    """The e-mails the portal would have sent, oldest first (`?to=` filters by address)."""
    sql = "SELECT to_addr, subject, body, code, created_at FROM outbox"
    params: list[str] = []
    if to:
        sql += " WHERE to_addr = ?"
        params.append(to.strip().lower())
    with ctx.sandbox.store.read() as db:
        rows = db.execute(sql + " ORDER BY seq", params).fetchall()
    mails = []
    for r in rows:
        body, code = at_rest.mail_of(ctx.sandbox.vault, r)
        mails.append(
            {
                "to": r["to_addr"],
                "subject": r["subject"],
                "body": body,
                "code": code,
                "created_at": parse_ts(r["created_at"]).isoformat().replace("+00:00", "Z"),
            }
        )
    return mails


@router.get("/faults")
def get_faults(ctx: Annotated[Ctx, Depends(anonymous)]) -> dict[str, Any]:
    return ctx.sandbox.faults.state()


@router.post("/faults")
def set_faults(body: FaultsBody, ctx: Annotated[Ctx, Depends(anonymous)]) -> dict[str, Any]:
    """Rate 0 turns faults off. Kinds: error_before, error_after, rate_limit, latency (a delay
    of up to `max_latency` seconds, 0.2 by default)."""
    unknown = sorted(set(body.kinds) - set(KINDS))
    if unknown:
        raise invalid("kinds", f"kinds: unknown fault kinds {', '.join(unknown)}")
    ctx.sandbox.faults.configure(body.rate, body.kinds, body.seed, body.max_latency)
    return ctx.sandbox.faults.state()


def _clock(ctx: Ctx) -> dict[str, str]:
    return {"now": ctx.now.isoformat().replace("+00:00", "Z")}


@router.get("/clock")
def get_clock(ctx: Annotated[Ctx, Depends(anonymous)]) -> dict[str, str]:
    return _clock(ctx)


@router.post("/clock")
def set_clock(body: ClockBody, ctx: Annotated[Ctx, Depends(anonymous)]) -> dict[str, str]:
    """Move the sandbox clock (it keeps ticking from there): month resets, expiries."""
    ctx.sandbox.clock.set(body.now)
    return _clock(ctx)


@router.post("/reset")
async def reset(ctx: Annotated[Ctx, Depends(anonymous)]) -> dict[str, Any]:
    """Re-seed as at start: data, clock back to its start value, faults off."""
    await run_in_threadpool(ctx.sandbox.reset)
    return {"object": "reset", **_clock(ctx)}
