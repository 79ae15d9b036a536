"""The transport half of PortalClient: URLs, auth, retries, idempotency keys, errors, paging.

Resource methods live in `_portal.py`; everything here is resource-agnostic, which is also
what `portal api` uses for raw requests.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from chathq_cli import __version__, errors
from chathq_cli.client._body import check_utf8
from chathq_cli.client._redact import Redactor, describe_body, redact_headers, redact_url
from chathq_cli.client._retry import RetryPolicy, parse_retry_after, should_retry

if TYPE_CHECKING:
    # Imported by the methods that parse a response, as are the wire models (see _portal.py).
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")
Params = Mapping[str, Any] | Sequence[tuple[str, Any]]
# What httpx accepts as query pairs (list is invariant, so spell out its element type).
QueryPairs = list[tuple[str, str | int | float | bool | None]]

IDEMPOTENT_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Headers every request carries that only add noise to the debug log.
QUIET_HEADERS = frozenset({"host", "accept-encoding", "connection", "content-length"})
# RFC 9110 field names (tchar) and the visible ASCII, space and tab allowed in a value.
HEADER_NAME_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


class HttpClient:
    """An authenticated, retrying JSON client for one portal host."""

    def __init__(
        self,
        host: str,
        token: str | None = None,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        on_debug: Callable[[str], None] | None = None,
        transport: httpx.BaseTransport | None = None,
        user_agent: str = f"portal/{__version__}",
        token_source: errors.TokenSource | None = None,
    ) -> None:
        """`timeout` bounds one attempt; the retry policy's total_timeout bounds them all.

        `token_source` says where `token` came from, so a 401 can say what to fix.
        """
        self.host = host.rstrip("/")
        self.retry = retry if retry is not None else RetryPolicy.from_env()
        self.timeout = timeout
        self.token_source = token_source
        self._on_debug = on_debug
        self._redact = Redactor([token])
        headers = {"User-Agent": user_agent, "Accept": "application/json"}
        if token:
            # httpx would fail building the header, reported as "could not reach" the host.
            errors.MalformedToken.check(token, token_source)
            headers["Authorization"] = f"Bearer {token}"
        self._http = httpx.Client(
            base_url=self.host,
            headers=headers,
            timeout=timeout,
            transport=transport,
            follow_redirects=False,
            # Loading the CA bundle costs ~25 ms per start. A plain-http host (loopback only,
            # see settings.check_host) never does TLS: _url() refuses any other scheme or
            # host and redirects are not followed, so it has no use for one.
            verify=not self.host.startswith("http://"),
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- requests -----------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json: Any = None,
        content: bytes | None = None,
        files: Any = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
    ) -> httpx.Response:
        """Send one logical request (retried per the policy) and return a 2xx/3xx response.

        Mutating methods get an `Idempotency-Key` (a uuid4, or `idempotency_key`, or one given
        in `headers`), the same on every retry. An empty key (`""`, or an empty header value)
        sends none, and then only safe failures are retried.
        """
        method = method.upper()
        request_headers = dict(headers or {})
        _check_headers(request_headers)
        check_utf8(path, "path")
        query = _query(params)
        for name, value in query:
            check_utf8(value, name)
        check_utf8(json)
        key = _pop_header(request_headers, IDEMPOTENCY_HEADER)
        if key is None:
            key = idempotency_key
        if key is None and method in IDEMPOTENT_METHODS:
            key = str(uuid.uuid4())
        if key:
            request_headers[IDEMPOTENCY_HEADER] = key
        try:
            request = self._http.build_request(
                method,
                self._url(path),
                params=query,
                json=json,
                content=content,
                files=files,
                headers=request_headers,
            )
        except httpx.InvalidURL as exc:
            # e.g. control characters in an ID taken from user input
            raise errors.UsageError(f"invalid request path {path!r}: {exc}", param="path") from exc
        return self._send(request, has_key=bool(key))

    def get_model(self, path: str, model: type[M], *, params: Params | None = None) -> M:
        return self._parse(model, self.request("GET", path, params=params))

    def paginate(
        self,
        path: str,
        model: type[M],
        *,
        params: Params | None = None,
        page_size: int = 100,
        limit: int | None = None,
        on_page: Callable[[int], None] | None = None,
    ) -> Iterator[M]:
        """Items of a list endpoint, newest first, fetching the next page only when needed."""
        from chathq_cli.api.common import ListResponse

        page_model = ListResponse[model]  # type: ignore[valid-type]
        yielded = 0
        cursor: str | None = None
        while limit is None or yielded < limit:
            size = page_size if limit is None else min(page_size, limit - yielded)
            response = self.request("GET", path, params=_page_params(params, size, cursor))
            page = self._parse(page_model, response)
            if on_page is not None:
                on_page(len(page.data))
            for item in page.data:
                yield item
                yielded += 1
                if limit is not None and yielded >= limit:
                    return
            if not page.has_more or not page.next_cursor:
                return
            cursor = page.next_cursor

    def paginate_raw(
        self, path: str, *, params: Params | None = None, page_size: int = 100
    ) -> Iterator[dict[str, Any]]:
        """The raw `data` items of every page of a list endpoint (for `portal api --paginate`)."""
        cursor: str | None = None
        while True:
            response = self.request("GET", path, params=_page_params(params, page_size, cursor))
            body = _json_or_none(response)
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise errors.UsageError(
                    f"{path} did not return a list, so it cannot be paginated", param="paginate"
                )
            yield from body["data"]
            cursor = body.get("next_cursor")
            if not body.get("has_more") or not cursor:
                return

    # --- internals -----------------------------------------------------------------------

    def _url(self, path: str) -> str:
        """`/v1/x` and `/_sandbox/x` as given, `x` and `v1/x` under /v1, full URLs on our host."""
        if path.startswith(("http://", "https://")):
            ours, theirs = urlsplit(self.host), urlsplit(path)
            if (ours.scheme, ours.netloc) != (theirs.scheme, theirs.netloc):
                raise errors.UsageError(
                    f"{path} is not on the configured host {self.host}", param="path"
                )
            return path
        if path.startswith("/"):
            return path
        if path.startswith("v1/"):
            return f"/{path}"
        return f"/v1/{path}"

    def _send(self, request: httpx.Request, *, has_key: bool) -> httpx.Response:
        policy = self.retry
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            # Every attempt gets at most what is left of the total budget, so a server that
            # accepts and never answers cannot keep us past it (5 x 30 s otherwise).
            remaining = policy.total_timeout - (policy.clock() - started)
            budget = max(min(self.timeout, remaining), 0.001)
            request.extensions["timeout"] = httpx.Timeout(budget).as_dict()
            self._log_request(request, attempt)
            sent_at = time.perf_counter()
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                if not self._may_retry(request, has_key, exc, attempt, started, None):
                    raise self._network_error(exc, started) from exc
                continue
            self._log_response(response, sent_at)
            if response.status_code < 400:
                return response
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if not self._may_retry(
                request, has_key, response.status_code, attempt, started, retry_after
            ):
                raise self._api_error(response, retry_after)

    def _may_retry(
        self,
        request: httpx.Request,
        has_key: bool,
        outcome: int | BaseException,
        attempt: int,
        started: float,
        retry_after: float | None,
    ) -> bool:
        """Decide, and if so wait: False when the failure is final."""
        policy = self.retry
        if attempt >= policy.attempts or not should_retry(request.method, has_key, outcome):
            return False
        delay = policy.delay(attempt, retry_after)
        # `>=`: an attempt with no time left would fail at once.
        if policy.clock() - started + delay >= policy.total_timeout:
            self._debug(f"* giving up: retrying would exceed {policy.total_timeout:g} s")
            return False
        reason = outcome if isinstance(outcome, int) else _reason(outcome)
        self._debug(
            f"* retrying in {delay:.2f} s (attempt {attempt + 1} of {policy.attempts}): {reason}"
        )
        policy.sleep(delay)
        return True

    def _parse(self, model: type[M], response: httpx.Response) -> M:
        from pydantic import ValidationError

        try:
            return model.model_validate_json(response.content)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(part) for part in first["loc"]) or "body"
            raise errors.ServerError(
                f"unexpected response from {response.request.method} "
                f"{response.request.url.path}: {where}: {first['msg']}",
                status=response.status_code,
                request_id=response.headers.get("Request-Id"),
            ) from None

    def _parse_list(self, model: type[M], response: httpx.Response) -> list[M]:
        """The items of a list object returned by a create call (e.g. invitations)."""
        from chathq_cli.api.common import ListResponse

        page_model = ListResponse[model]  # type: ignore[valid-type]
        items: list[M] = self._parse(page_model, response).data
        return items

    def _api_error(self, response: httpx.Response, retry_after: float | None) -> errors.ApiError:
        """The exception for an error response, from the envelope when there is one."""
        status = response.status_code
        envelope = _json_or_none(response)
        detail = envelope.get("error") if isinstance(envelope, dict) else None
        if not isinstance(detail, dict) or not isinstance(detail.get("message"), str):
            detail = {"message": f"the server answered {status} {response.reason_phrase}".strip()}
        request_id = _str_or_none(detail.get("request_id")) or response.headers.get("Request-Id")
        code = _str_or_none(detail.get("code"))
        return errors.api_error_class(status)(
            detail["message"],
            status=status,
            type=_str_or_none(detail.get("type")),
            code=code,
            param=_str_or_none(detail.get("param")),
            request_id=request_id,
            retry_after=retry_after,
            token_source=self.token_source,
        )

    def _network_error(self, exc: httpx.TransportError, started: float) -> errors.NetworkError:
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            waited = self.retry.clock() - started
            return errors.NetworkError(
                f"{self.host} did not answer in time (gave up after {waited:.1f} s)",
                host=self.host,
            )
        return errors.NetworkError(f"could not reach {self.host}: {_reason(exc)}", host=self.host)

    def _debug(self, line: str) -> None:
        if self._on_debug is not None:
            self._on_debug(self._redact(line))

    def _log_request(self, request: httpx.Request, attempt: int) -> None:
        if self._on_debug is None:
            return
        suffix = f" (attempt {attempt})" if attempt > 1 else ""
        self._debug(f"> {request.method} {redact_url(str(request.url))}{suffix}")
        for name, value in redact_headers(request.headers.multi_items()):
            if name.lower() not in QUIET_HEADERS:
                self._debug(f"> {name}: {value}")
        body = describe_body(request.content, request.headers.get("Content-Type", ""))
        if body:
            self._debug(f"> {body}")

    def _log_response(self, response: httpx.Response, sent_at: float) -> None:
        if self._on_debug is None:
            return
        elapsed_ms = (time.perf_counter() - sent_at) * 1000
        request_id = response.headers.get("Request-Id", "-")
        replayed = " (idempotent replay)" if response.headers.get("Idempotent-Replayed") else ""
        self._debug(
            f"< {response.status_code} {response.reason_phrase} ({elapsed_ms:.0f} ms) "
            f"request-id={request_id}{replayed}"
        )
        body = describe_body(response.content, response.headers.get("Content-Type", ""))
        if body:
            self._debug(f"< {body}")


def _check_headers(headers: Mapping[str, str]) -> None:
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


def _pop_header(headers: dict[str, str], name: str) -> str | None:
    for key in list(headers):
        if key.lower() == name.lower():
            return headers.pop(key).strip()
    return None


def _query(params: Params | None) -> QueryPairs:
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


def _page_params(params: Params | None, size: int, cursor: str | None) -> QueryPairs:
    pairs = [(k, v) for k, v in _query(params) if k not in ("limit", "starting_after")]
    pairs.append(("limit", str(size)))
    if cursor:
        pairs.append(("starting_after", cursor))
    return pairs


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _str_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
