"""Shared bits of the routers: documented error responses, list parameters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Query

from chathq_cli.api.common import ErrorResponse
from chathq_cli.api.rules import CURSOR_MAX, PAGE_LIMIT_MAX, PAGE_LIMIT_MIN

# Documented on every operation by `document_errors()` (added to the OpenAPI document after it
# is generated: declaring them per route costs FastAPI hundreds of models at start-up).
ERRORS = {
    "400": "Malformed request (bad JSON, bad cursor, until <= since)",
    "401": "Missing, invalid or expired token; wrong credentials",
    "403": "The caller lacks the role, or is an API key where keys are not allowed",
    "404": "No such object (or not visible to the caller)",
    "409": "Conflict with the current state, or idempotency key reused",
    "413": "Request body or file too large",
    "415": "Unsupported media type",
    "422": "Invalid parameter; `param` names it",
    "429": "Rate limited; see Retry-After",
    "500": "Server error",
    "503": "Temporarily unavailable; see Retry-After",
}


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error envelope to every operation of an OpenAPI document, in place."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    envelope = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(envelope.pop("$defs", {}))
    components["ErrorResponse"] = envelope
    components.pop("HTTPValidationError", None)
    components.pop("ValidationError", None)
    ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, text in ERRORS.items():
                responses[status] = {
                    "description": text,
                    "content": {"application/json": {"schema": ref}},
                }
    return schema


Limit = Annotated[
    int,
    Query(
        ge=PAGE_LIMIT_MIN,
        le=PAGE_LIMIT_MAX,
        description=f"Page size, {PAGE_LIMIT_MIN}-{PAGE_LIMIT_MAX}",
    ),
]
StartingAfter = Annotated[
    str | None,
    Query(
        max_length=CURSOR_MAX,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="The next_cursor of the previous page (opaque, URL-safe base64)",
    ),
]


def list_body(data: list[Any], has_more: bool, next_cursor: str | None) -> dict[str, Any]:
    return {"object": "list", "data": data, "has_more": has_more, "next_cursor": next_cursor}
