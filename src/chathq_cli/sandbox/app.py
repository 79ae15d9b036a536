"""`create_app()`: the sandbox portal API as a FastAPI application (SPEC §5, §6)."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from chathq_cli import __version__
from chathq_cli.api.rules import PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX, PAGE_LIMIT_MIN
from chathq_cli.sandbox.clock import Clock
from chathq_cli.sandbox.edge import EdgeMiddleware
from chathq_cli.sandbox.faults import KINDS, Faults
from chathq_cli.sandbox.problems import Problem
from chathq_cli.sandbox.routing import allowed_methods
from chathq_cli.sandbox.state import Sandbox, SeedKind
from chathq_cli.sandbox.store import Store


def create_app(
    db_path: str | None = None,
    *,
    seed: SeedKind = "demo",
    seed_value: int = 42,
    usage_records: int | None = None,
    fault_rate: float = 0.0,
    fault_kinds: Sequence[str] = KINDS,
    now: datetime | None = None,
) -> FastAPI:
    """Build a sandbox. `db_path=None` stores in a temporary file removed at shutdown."""
    store = Store(db_path)
    sandbox = Sandbox(store, Clock(now), Faults(0.0), seed, seed_value, usage_records)
    sandbox.reset()
    sandbox.faults.configure(fault_rate, fault_kinds, seed_value)

    app = FastAPI(
        title="ChatHQ portal API (sandbox)",
        version=__version__,
        description=_DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
        # Parse a body sent without Content-Type as JSON too (curl -d), so bad JSON is a 400.
        strict_content_type=False,
    )
    app.state.sandbox = sandbox
    # Not closed at lifespan shutdown: tests reuse one app across several TestClient sessions.
    # The store (and a temporary database file) goes when the app does, or at exit; `serve`
    # closes it explicitly when the server stops.
    weakref.finalize(app, store.close)
    _install_error_handlers(app)
    _include_routers(app)
    _document_errors(app)
    app.add_middleware(EdgeMiddleware, sandbox=sandbox)
    return app


_PAGE_SIZES = f"{PAGE_LIMIT_MIN}-{PAGE_LIMIT_MAX}, default {PAGE_LIMIT_DEFAULT}"
_DESCRIPTION = f"""\
The ChatHQ portal API, as implemented by the local sandbox of `chathq-cli`.

* Authentication: `Authorization: Bearer <token>` with a session token (`pst_...`, from
  `POST /v1/auth/sessions`, valid 30 days) or an account API key (`sk_test_...`). An API key acts
  as an admin of its one account; it cannot manage API keys, billing or personal settings
  (every `/v1/me*` endpoint, `GET /v1/me` included, answers 403 to an API key).
* Errors: `{{"error": {{"type", "code", "message", "param", "request_id"}}}}`; every response has a
  `Request-Id` header. 429 and 503 carry `Retry-After` (the sandbox always says 1 second).
* Lists: `limit` ({_PAGE_SIZES}) and `starting_after` (an opaque cursor, still valid after
  its object is deleted); newest first, ties by id.
* Idempotency: POST/PUT/PATCH/DELETE accept `Idempotency-Key`. Successful (2xx) responses are
  kept for 24 hours, per credential, and replayed with `Idempotent-Replayed: true`; the same key
  with another method, path or body is 409 `idempotency_key_reused`. Failed requests store
  nothing, so the same key can be retried with a corrected body. Responses that hold a secret
  (API key secrets, TOTP enrolment, recovery codes, invite link and billing portal URLs) are
  kept encrypted under a key that lives only in the server process: after a restart their
  replay is 409 `idempotency_replay_unavailable`.
"""


def _request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def _problem_response(request: Request, problem: Problem) -> JSONResponse:
    return JSONResponse(
        problem.envelope(_request_id(request)),
        status_code=problem.status,
        headers=problem.headers,
    )


def _validation_param(loc: Sequence[Any]) -> str | None:
    # ("body", "notifications", "notes") -> "notifications.notes"; ("query", "unit", 1) -> "unit"
    if loc and loc[0] in ("query", "path", "header", "cookie"):
        return str(loc[1]) if len(loc) > 1 else None
    parts = [str(part) for part in (loc[1:] if loc and loc[0] == "body" else loc)]
    return ".".join(parts) or None


def _validation_message(error: dict[str, Any], param: str | None) -> str:
    message = str(error.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    if error.get("type") == "missing":
        message = "is required" if param else "a request body is required"
    elif error.get("type") == "extra_forbidden":
        message = "is not a known parameter"
    return f"{param}: {message}" if param else message


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def on_problem(request: Request, exc: Problem) -> JSONResponse:
        return _problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        first = errors[0] if errors else {}
        if first.get("type") == "json_invalid" or getattr(request.state, "invalid_json", False):
            problem = Problem(400, "invalid_json", "the request body is not valid JSON")
        else:
            param = _validation_param(first.get("loc", ()))
            problem = Problem(
                422, "parameter_invalid", _validation_message(first, param), param=param
            )
        return _problem_response(request, problem)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 404:
            problem = Problem(
                404, "route_not_found", f"no such endpoint: {request.method} {request.url.path}"
            )
        elif exc.status_code == 405:
            allowed = ", ".join(allowed_methods(request.app.routes, request.url.path))
            problem = Problem(
                405,
                "method_not_allowed",
                f"{request.method} is not allowed on {request.url.path}; allowed: {allowed}",
                headers={"Allow": allowed},
            )
        else:
            code = "invalid_request" if exc.status_code < 500 else "internal_error"
            problem = Problem(exc.status_code, code, str(exc.detail))
        problem.headers = {**(exc.headers or {}), **problem.headers}
        return _problem_response(request, problem)


def _document_errors(app: FastAPI) -> None:
    from fastapi.openapi.utils import get_openapi

    from chathq_cli.sandbox.routes.common import document_errors

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _include_routers(app: FastAPI) -> None:
    from chathq_cli.sandbox import pages
    from chathq_cli.sandbox.routes import (
        accounts,
        admin,
        auth,
        billing,
        integrations,
        keys,
        me,
        orgs,
        team,
        usage,
    )

    for module in (auth, me, orgs, accounts, team, integrations, keys, billing, usage):
        app.include_router(module.router, prefix="/v1")
    app.include_router(admin.router)
    app.include_router(pages.router)
