"""The integration catalogue and an account's configured integrations."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from chathq_cli.api.common import Deleted, ListResponse
from chathq_cli.api.integrations import (
    Integration,
    IntegrationCreate,
    IntegrationType,
    IntegrationUpdate,
)
from chathq_cli.api.rules import (
    ID_PREFIXES,
    PAGE_LIMIT_DEFAULT,
    SETTING_VALUE_MAX,
    email_problem,
    text_problem,
)
from chathq_cli.sandbox import at_rest
from chathq_cli.sandbox.catalog import INTEGRATION_TYPES
from chathq_cli.sandbox.deps import Ctx, access, signed_in
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.problems import conflict, invalid, not_found
from chathq_cli.sandbox.routes.common import Limit, StartingAfter, list_body
from chathq_cli.sandbox.store import page, ts
from chathq_cli.sandbox.views import integration_out

router = APIRouter(tags=["integrations"])

# Settings are checked against each type's settings_schema (GET /v1/integration_types), which
# the OpenAPI document cannot state per type: their errors have a code of their own.
_SETTING = "setting_invalid"


@router.get("/integration_types", response_model=ListResponse[IntegrationType])
def list_integration_types(ctx: Annotated[Ctx, Depends(signed_in)]) -> dict[str, object]:
    """The catalogue, with each type's `settings_schema`."""
    data = [{"id": key, **spec} for key, spec in INTEGRATION_TYPES.items()]
    return list_body(data, False, None)


def _field_problem(field: dict[str, Any], value: Any) -> str | None:
    kind = field["type"]
    if kind == "bool":
        return None if isinstance(value, bool) else "must be true or false"
    if not isinstance(value, str):
        return "must be a string"
    problem = text_problem(value, SETTING_VALUE_MAX)
    if problem:
        return problem
    text = value.strip()
    if kind == "url" and not text.startswith(("https://", "http://")):
        return "must be an http(s) URL"
    if kind == "email":
        return email_problem(text)
    if kind == "enum" and text not in field["choices"]:
        return "must be one of " + ", ".join(field["choices"])
    return None


def validate_settings(
    kind: str, settings: dict[str, Any], existing: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Check `settings` against the type's schema (merged over `existing` for updates);
    a 422 names `settings.<field>`."""
    schema = {f["name"]: f for f in INTEGRATION_TYPES[kind]["settings_schema"]}
    merged = dict(existing or {})
    for name, value in settings.items():
        if name not in schema:
            raise invalid(
                f"settings.{name}", f"settings.{name}: is not a setting of {kind}", _SETTING
            )
        if value is None and not schema[name]["required"]:
            merged.pop(name, None)
            continue
        problem = _field_problem(schema[name], value)
        if problem:
            raise invalid(f"settings.{name}", f"settings.{name}: {problem}", _SETTING)
        merged[name] = value.strip() if isinstance(value, str) else value
    for name, field in schema.items():
        if field["required"] and name not in merged:
            raise invalid(f"settings.{name}", f"settings.{name}: is required", _SETTING)
    return merged


def _integration(db: sqlite3.Connection, account_id: str, ident: str) -> sqlite3.Row:
    """By ID (`intg_...`) or by type name (`slack`)."""
    column = "id" if ident.startswith(ID_PREFIXES["integration"]) else "type"
    row: sqlite3.Row | None = db.execute(
        f"SELECT * FROM integrations WHERE {column} = ? AND account_id = ?", (ident, account_id)
    ).fetchone()
    if row is None:
        raise not_found("integration", ident)
    return row


@router.get("/accounts/{a}/integrations", response_model=ListResponse[Integration])
def list_integrations(
    ctx: Annotated[Ctx, Depends(access("member", what="view integrations"))],
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> dict[str, object]:
    """The account's configured integrations; secret settings shown as `••••last4`."""
    with ctx.sandbox.store.read() as db:
        rows, more, cursor = page(
            db,
            "integrations",
            "account_id = ?",
            [ctx.acct],
            limit=limit,
            starting_after=starting_after,
        )
    return list_body([integration_out(row, ctx.sandbox.vault) for row in rows], more, cursor)


@router.post("/accounts/{a}/integrations", response_model=Integration, status_code=201)
def create_integration(
    body: IntegrationCreate,
    ctx: Annotated[Ctx, Depends(access("admin", what="configure integrations"))],
) -> Response:
    """One per type per account (409 `integration_exists`); starts enabled."""
    if body.type not in INTEGRATION_TYPES:
        raise invalid(
            "type",
            f"type: unknown integration '{body.type}'; see GET /v1/integration_types",
            code="unknown_integration_type",
        )
    settings = validate_settings(body.type, body.settings)
    now = ts(ctx.now)
    with ctx.sandbox.store.write() as db:
        exists = db.execute(
            "SELECT 1 FROM integrations WHERE account_id = ? AND type = ?", (ctx.acct, body.type)
        ).fetchone()
        if exists:
            raise conflict(
                "integration_exists",
                f"{body.type} is already configured; update it instead",
                param="type",
            )
        integration_id = new_id("integration")
        columns = at_rest.settings_columns(ctx.sandbox.vault, integration_id, body.type, settings)
        db.execute(
            "INSERT INTO integrations(id, account_id, type, status, settings, secret_settings,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                integration_id,
                ctx.acct,
                body.type,
                "enabled",
                columns["settings"],
                columns["secret_settings"],
                now,
                now,
            ),
        )
        row = _integration(db, ctx.acct, integration_id)
        return ctx.reply(db, integration_out(row, ctx.sandbox.vault), 201)


@router.get("/accounts/{a}/integrations/{i}", response_model=Integration)
def get_integration(
    i: str, ctx: Annotated[Ctx, Depends(access("member", what="view integrations"))]
) -> Integration:
    """`{i}` is the integration's ID or its type name."""
    with ctx.sandbox.store.read() as db:
        return integration_out(_integration(db, ctx.acct, i), ctx.sandbox.vault)


@router.patch("/accounts/{a}/integrations/{i}", response_model=Integration)
def update_integration(
    i: str,
    body: IntegrationUpdate,
    ctx: Annotated[Ctx, Depends(access("admin", what="configure integrations"))],
) -> Response:
    """Merge settings; omitted fields keep their values (secrets included); null clears an
    optional field. Settings equal to the current ones change nothing: `updated_at` stays,
    which is how a client tells a re-run from a change."""
    with ctx.sandbox.store.write() as db:
        row = _integration(db, ctx.acct, i)
        current = at_rest.settings_of(ctx.sandbox.vault, row)
        settings = validate_settings(row["type"], body.settings, current)
        if settings != current:
            columns = at_rest.settings_columns(ctx.sandbox.vault, row["id"], row["type"], settings)
            db.execute(
                "UPDATE integrations SET settings = ?, secret_settings = ?, updated_at = ?"
                " WHERE id = ?",
                (columns["settings"], columns["secret_settings"], ts(ctx.now), row["id"]),
            )
        return ctx.reply(
            db, integration_out(_integration(db, ctx.acct, row["id"]), ctx.sandbox.vault)
        )


@router.delete("/accounts/{a}/integrations/{i}", response_model=Deleted)
def delete_integration(
    i: str, ctx: Annotated[Ctx, Depends(access("admin", what="remove integrations"))]
) -> Response:
    with ctx.sandbox.store.write() as db:
        row = _integration(db, ctx.acct, i)
        db.execute("DELETE FROM integrations WHERE id = ?", (row["id"],))
        return ctx.reply(db, Deleted(id=row["id"], object="integration"))


def _set_status(ctx: Ctx, ident: str, status: str) -> Response:
    with ctx.sandbox.store.write() as db:
        row = _integration(db, ctx.acct, ident)
        db.execute(
            "UPDATE integrations SET status = ?, updated_at = ? WHERE id = ?",
            (status, ts(ctx.now), row["id"]),
        )
        return ctx.reply(
            db, integration_out(_integration(db, ctx.acct, row["id"]), ctx.sandbox.vault)
        )


@router.post("/accounts/{a}/integrations/{i}/enable", response_model=Integration)
def enable_integration(
    i: str, ctx: Annotated[Ctx, Depends(access("admin", what="enable integrations"))]
) -> Response:
    return _set_status(ctx, i, "enabled")


@router.post("/accounts/{a}/integrations/{i}/disable", response_model=Integration)
def disable_integration(
    i: str, ctx: Annotated[Ctx, Depends(access("admin", what="disable integrations"))]
) -> Response:
    return _set_status(ctx, i, "disabled")


def _out(ctx: Ctx, db: sqlite3.Connection, integration_id: str) -> Integration:
    """The integration as it is now, secret settings masked."""
    return integration_out(_integration(db, ctx.acct, integration_id), ctx.sandbox.vault)
