"""The lines `--debug` shows for one request and its response, redacted (see _redact.py)."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx

from chathq_cli.client._redact import describe_body, redact_headers, redact_url

# Headers every request carries that only add noise to the debug log.
QUIET_HEADERS = frozenset({"host", "accept-encoding", "connection", "content-length"})


def log_request(debug: Callable[[str], None], request: httpx.Request, attempt: int) -> None:
    suffix = f" (attempt {attempt})" if attempt > 1 else ""
    debug(f"> {request.method} {redact_url(str(request.url))}{suffix}")
    for name, value in redact_headers(request.headers.multi_items()):
        if name.lower() not in QUIET_HEADERS:
            debug(f"> {name}: {value}")
    body = describe_body(request.content, request.headers.get("Content-Type", ""))
    if body:
        debug(f"> {body}")


def log_response(debug: Callable[[str], None], response: httpx.Response, sent_at: float) -> None:
    elapsed_ms = (time.perf_counter() - sent_at) * 1000
    request_id = response.headers.get("Request-Id", "-")
    replayed = " (idempotent replay)" if response.headers.get("Idempotent-Replayed") else ""
    debug(
        f"< {response.status_code} {response.reason_phrase} ({elapsed_ms:.0f} ms) "
        f"request-id={request_id}{replayed}"
    )
    body = describe_body(response.content, response.headers.get("Content-Type", ""))
    if body:
        debug(f"< {body}")
