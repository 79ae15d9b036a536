"""The transport half of PortalClient: URLs, auth, retries, idempotency keys, errors, paging.

Resource methods live in `_portal.py`; everything here is resource-agnostic, which is also
what `portal api` uses for raw requests.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from urllib.parse import urlsplit

import httpx

from chathq_cli import __version__, errors
from chathq_cli.client._body import check_utf8
from chathq_cli.client._debug_log import log_request, log_response
from chathq_cli.client._redact import Redactor
from chathq_cli.client._retry import RetryPolicy, parse_retry_after, should_retry
from chathq_cli.client._wire import (
    Params,
    api_error,
    check_headers,
    error_reason,
    json_or_none,
    page_params,
    pop_header,
    query_pairs,
)

if TYPE_CHECKING:
    # Imported by the methods that parse a response, as are the wire models (see _portal.py).
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

IDEMPOTENT_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})
IDEMPOTENCY_HEADER = "Idempotency-Key"


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
        check_headers(request_headers)
        check_utf8(path, "path")
        query = query_pairs(params)
        for name, value in query:
            check_utf8(value, name)
        check_utf8(json)
        key = pop_header(request_headers, IDEMPOTENCY_HEADER)
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
            response = self.request("GET", path, params=page_params(params, size, cursor))
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
            response = self.request("GET", path, params=page_params(params, page_size, cursor))
            body = json_or_none(response)
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
            if self._on_debug is not None:
                log_request(self._debug, request, attempt)
            sent_at = time.perf_counter()
            try:
                response = self._http.send(request)
            except httpx.TransportError as exc:
                if not self._may_retry(request, has_key, exc, attempt, started, None):
                    raise self._network_error(exc, started) from exc
                continue
            if self._on_debug is not None:
                log_response(self._debug, response, sent_at)
            if response.status_code < 400:
                return response
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if not self._may_retry(
                request, has_key, response.status_code, attempt, started, retry_after
            ):
                raise api_error(response, retry_after, self.token_source)

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
        reason = outcome if isinstance(outcome, int) else error_reason(outcome)
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

    def _network_error(self, exc: httpx.TransportError, started: float) -> errors.NetworkError:
        if isinstance(exc, httpx.TimeoutException) and not isinstance(exc, httpx.ConnectTimeout):
            waited = self.retry.clock() - started
            return errors.NetworkError(
                f"{self.host} did not answer in time (gave up after {waited:.1f} s)",
                host=self.host,
            )
        return errors.NetworkError(
            f"could not reach {self.host}: {error_reason(exc)}", host=self.host
        )

    def _debug(self, line: str) -> None:
        if self._on_debug is not None:
            self._on_debug(self._redact(line))
