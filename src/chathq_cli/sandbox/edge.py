"""The outermost layer of every request: Request-Id, faults, idempotency replay, last resort.

A pure ASGI middleware, because two of its jobs need control below the response object:
replaying a stored response before routing (so a replay works even when the thing it created
or deleted has changed since), and dropping a connection half-way for the `error_after` fault.

Idempotency records are kept per caller: a hash of the Authorization header, never the header.
Two exceptions keep the store free of anything that works as a credential or leaks across
callers:

* `POST /v1/auth/sessions` is never stored (nor replayed): its response is a bearer token, and
  a hash-only record could not replay it anyway. A retry with the same key signs in again,
  which only makes one more session; the key is still accepted, so clients need no special case.
* Anonymous requests (no Authorization header) are keyed by a hash of their body as well, so
  one anonymous caller can neither replay nor collide with another's key: a replay needs the
  identical body, which for the anonymous endpoints (password reset request and confirm) holds
  the e-mail address, and the e-mailed code with the new password. Reusing a key with another
  body is therefore a new request, not a 409, for anonymous callers.
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import TYPE_CHECKING, Any

import anyio
from starlette.datastructures import Headers, MutableHeaders

from chathq_cli.sandbox import sealing
from chathq_cli.sandbox.deps import IDEMPOTENCY_TTL
from chathq_cli.sandbox.problems import Problem
from chathq_cli.sandbox.routing import allowed_methods
from chathq_cli.sandbox.store import ts

if TYPE_CHECKING:
    from chathq_cli.sandbox.state import Sandbox

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

logger = logging.getLogger("chathq_cli.sandbox")

MUTATING = {"POST", "PUT", "PATCH", "DELETE"}
MAX_BODY = 8 * 1024 * 1024  # no request of the API is legitimately larger
# Responses that hold a bearer credential of their own: never kept for replay.
NOT_STORED = {("POST", "/v1/auth/sessions")}
# A sealed replay from before a restart: its key went with the old process (sandbox/sealing.py).
# Refused rather than run again, which would make a second API key or a new TOTP secret.
_REPLAY_UNAVAILABLE = Problem(
    409,
    "idempotency_replay_unavailable",
    "the request with this Idempotency-Key was applied, but its response held a secret the"
    " sandbox no longer holds (it was restarted); check the result, and use a new key for a new"
    " operation",
    type="idempotency_error",
    param="Idempotency-Key",
)
RETRY_AFTER = "1"  # seconds; small so clients and tests stay fast (the CLI caps its waits)


class DroppedConnection(Exception):
    """Raised after a partial response to make the server close the connection (a fault)."""


class EdgeMiddleware:
    def __init__(self, app: Callable[..., Awaitable[None]], sandbox: Sandbox) -> None:
        self.app = app
        self.sandbox = sandbox

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = "req_" + secrets.token_hex(12)
        scope.setdefault("state", {})["request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)["Request-Id"] = request_id
            await send(message)

        try:
            await self._handle(scope, receive, send_with_id, request_id)
        except DroppedConnection:
            raise
        except Exception:
            # Never a traceback to the client: log it here, answer with the envelope.
            logger.exception("unhandled error in %s %s", scope["method"], scope["path"])
            if started:
                raise
            await _send_problem(
                send_with_id, Problem(500, "internal_error", "internal server error"), request_id
            )

    async def _handle(self, scope: Scope, receive: Receive, send: Send, request_id: str) -> None:
        path, method = scope["path"], scope["method"]
        if method == "HEAD" and "GET" in allowed_methods(scope["app"].routes, path):
            # HEAD is GET without the body (RFC 9110): same status and headers.
            scope["method"] = method = "GET"
            send = _bodiless(send)
        headers = Headers(scope=scope)
        is_api = path == "/v1" or path.startswith("/v1/")
        fault = self.sandbox.faults.draw() if is_api else None
        if fault == "error_before":
            await _send_problem(
                send,
                Problem(
                    503,
                    "service_unavailable",
                    "the service is temporarily unavailable (sandbox fault)",
                    type="api_error",
                    headers={"Retry-After": RETRY_AFTER},
                ),
                request_id,
            )
            return
        if fault == "rate_limit":
            await _send_problem(
                send,
                Problem(
                    429,
                    "rate_limited",
                    "too many requests (sandbox fault); retry later",
                    headers={"Retry-After": RETRY_AFTER},
                ),
                request_id,
            )
            return
        if fault == "latency":
            await anyio.sleep(self.sandbox.faults.latency_seconds())

        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            await _send_problem(
                send,
                Problem(413, "file_too_large", f"the request body exceeds {MAX_BODY} bytes"),
                request_id,
            )
            return

        key = headers.get("idempotency-key")
        content_type = headers.get("content-type", "")
        if is_api and method in MUTATING and (key is not None or _is_json(content_type)):
            # Buffered (at most MAX_BODY): to hash it for the key and to check it is JSON.
            # An upload without a key streams through to its endpoint instead.
            body = await _read_body(receive)
            if body is None:
                await _send_problem(
                    send,
                    Problem(413, "file_too_large", f"the request body exceeds {MAX_BODY} bytes"),
                    request_id,
                )
                return
            receive = _replaying(_checked_json(scope, content_type, body), receive)
            if key is not None and await self._idempotency(scope, send, key, body, request_id):
                return

        if fault == "error_after":
            await self._fail_after(scope, receive, send, request_id)
        else:
            await self.app(scope, receive, send)

    async def _idempotency(
        self, scope: Scope, send: Send, key: str, body: bytes, request_id: str
    ) -> bool:
        """Replay or refuse a reused key (True: answered); otherwise note the key so the
        endpoint stores its response in the same transaction as its work."""
        if not 1 <= len(key) <= 255:
            await _send_problem(
                send,
                Problem(
                    400,
                    "parameter_invalid",
                    "Idempotency-Key must be 1-255 characters",
                    param="Idempotency-Key",
                ),
                request_id,
            )
            return True
        if (scope["method"], scope["path"]) in NOT_STORED:
            return False
        auth = Headers(scope=scope).get("authorization", "")
        body_hash = hashlib.sha256(body).hexdigest()
        # Per credential, never stored raw; anonymous callers per request body (see above).
        identity = auth.encode() if auth else b"anonymous\0" + body_hash.encode()
        caller = hashlib.sha256(identity).hexdigest()
        record = await anyio.to_thread.run_sync(self._lookup, caller, key)
        if record is None:
            scope["state"]["idempotency"] = {
                "caller": caller,
                "key": key,
                "method": scope["method"],
                "path": scope["path"],
                "body_hash": body_hash,
            }
            return False
        if (record["method"], record["path"], record["body_hash"]) != (
            scope["method"],
            scope["path"],
            body_hash,
        ):
            await _send_problem(
                send,
                Problem(
                    409,
                    "idempotency_key_reused",
                    "this Idempotency-Key was used with a different request (method, path or "
                    "body); use a new key for a new operation",
                    type="idempotency_error",
                    param="Idempotency-Key",
                ),
                request_id,
            )
        else:
            stored: bytes | None = record["body"]
            if record["sealed"]:
                stored = self.sandbox.sealer.open(record["body"], sealing.context(caller, key))
            if stored is None:
                await _send_problem(send, _REPLAY_UNAVAILABLE, request_id)
            else:
                await _send_raw(send, record["status"], stored, {"Idempotent-Replayed": "true"})
        return True

    def _lookup(self, caller: str, key: str) -> dict[str, Any] | None:
        cutoff = ts(self.sandbox.clock.now() - IDEMPOTENCY_TTL)
        with self.sandbox.store.read() as db:
            row = db.execute(
                "SELECT method, path, body_hash, status, body, sealed FROM idempotency"
                " WHERE caller = ? AND key = ? AND created_at > ?",
                (caller, key, cutoff),
            ).fetchone()
        return dict(row) if row else None

    async def _fail_after(self, scope: Scope, receive: Receive, send: Send, rid: str) -> None:
        """Let the work commit, then lose the answer: a 500, or a connection cut mid-body."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        if start is not None and self.sandbox.faults.drop_connection():
            await send(start)
            await send(
                {"type": "http.response.body", "body": body[: len(body) // 2], "more_body": True}
            )
            raise DroppedConnection("sandbox fault error_after: connection dropped")
        await _send_problem(
            send,
            Problem(
                500,
                "internal_error",
                "the server failed after applying the request (sandbox fault); retry with the same "
                "Idempotency-Key",
                type="api_error",
            ),
            rid,
        )


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None when it is larger than MAX_BODY."""
    chunks, size = [], 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)


def _bodiless(send: Send) -> Send:
    async def send_headers_only(message: Message) -> None:
        if message["type"] == "http.response.body":
            message = {**message, "body": b""}
        await send(message)

    return send_headers_only


def _is_json(content_type: str) -> bool:
    # No Content-Type at all counts: the app parses such bodies as JSON (curl -d).
    return content_type == "" or "json" in content_type


def _checked_json(scope: Scope, content_type: str, body: bytes) -> bytes:
    """FastAPI parses a JSON body before it runs the endpoint's dependencies, so malformed
    JSON would be a 400 before authorization. Instead hand it `null`, which fails validation
    only after the dependencies (401/403/404 first), and flag the request so that validation
    failure is reported as the 400 `invalid_json` it is."""
    if not body or not _is_json(content_type):
        return body
    try:
        json.loads(body)
    except ValueError:
        scope["state"]["invalid_json"] = True
        return b"null"
    return body


def _replaying(body: bytes, receive: Receive) -> Receive:
    """A receive() that yields the buffered body once, then the rest of the conversation."""
    sent = False

    async def receive_buffered() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return receive_buffered


async def _send_raw(send: Send, status: int, body: bytes, headers: dict[str, str]) -> None:
    raw_headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    raw_headers += [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


async def _send_problem(send: Send, problem: Problem, request_id: str) -> None:
    body = json.dumps(problem.envelope(request_id)).encode()
    await _send_raw(send, problem.status, body, problem.headers)
