"""What HttpClient puts on the wire and reads back, as plain functions: headers and query
pairs checked and built before sending, error envelopes read into typed errors after."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from chathq_cli import errors

Params = Mapping[str, Any] | Sequence[tuple[str, Any]]
# What httpx accepts as query pairs (list is invariant, so spell out its element type).
QueryPairs = list[tuple[str, str | int | float | bool | None]]

# RFC 9110 field names (tchar) and the visible ASCII, space and tab allowed in a value.
HEADER_NAME_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def check_headers(headers: Mapping[str, str]) -> None:
    """UsageError for a header httpx could not send (or that would smuggle a second one)."""
    for name, value in headers.items():
        if not name or not set(name) <= HEADER_NAME_CHARS:
            raise errors.UsageError(f"invalid header name {name!r}", param="header")
        if any(not (" " <= char <= "~" or char == "\t") for char in value):
            raise errors.UsageError(
                f"invalid value for header {name}: only printable ASCII is allowed "
                "(no line breaks or control characters)",
                param="header",
            )


def pop_header(headers: dict[str, str], name: str) -> str | None:
    for key in list(headers):
        if key.lower() == name.lower():
            return headers.pop(key).strip()
    return None


def query_pairs(params: Params | None) -> QueryPairs:
    """Query pairs: lists repeat the key (`unit=sms&unit=calls`), None is dropped."""
    items = params.items() if isinstance(params, Mapping) else (params or [])
    pairs: QueryPairs = []
    for key, value in items:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if item is None:
                continue
            if isinstance(item, bool):
                item = "true" if item else "false"
            pairs.append((key, str(item)))
    return pairs


def page_params(params: Params | None, size: int, cursor: str | None) -> QueryPairs:
    pairs = [(k, v) for k, v in query_pairs(params) if k not in ("limit", "starting_after")]
    pairs.append(("limit", str(size)))
    if cursor:
        pairs.append(("starting_after", cursor))
    return pairs


def json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def error_reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def api_error(
    response: httpx.Response, retry_after: float | None, token_source: errors.TokenSource | None
) -> errors.ApiError:
    """The exception for an error response, from the envelope when there is one."""
    status = response.status_code
    envelope = json_or_none(response)
    detail = envelope.get("error") if isinstance(envelope, dict) else None
    if not isinstance(detail, dict) or not isinstance(detail.get("message"), str):
        detail = {"message": f"the server answered {status} {response.reason_phrase}".strip()}
    request_id = str_or_none(detail.get("request_id")) or response.headers.get("Request-Id")
    code = str_or_none(detail.get("code"))
    return errors.api_error_class(status)(
        detail["message"],
        status=status,
        type=str_or_none(detail.get("type")),
        code=code,
        param=str_or_none(detail.get("param")),
        request_id=request_id,
        retry_after=retry_after,
        token_source=token_source,
    )
