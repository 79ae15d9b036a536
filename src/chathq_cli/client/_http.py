"""The transport half of PortalClient: URLs, auth, retries, idempotency keys, errors, paging.

Resource methods live in `_portal.py`; everything here is resource-agnostic, which is also
what `portal api` uses for raw requests.
"""

from __future__ import annotations

import functools
import math
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
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
T = TypeVar("T")
# Told before each wait between attempts: the delay in seconds and why ("503", "timed out").
RetryHook = Callable[[float, str], None]

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
        paged: bool = False,
        on_retry: RetryHook | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        """Send one logical request (retried per the policy) and return a 2xx/3xx response.

        `paged`: one page of a paged read, retried while the run makes progress (see
        `_retry.py`). `on_retry(delay, reason)` is told before each wait. `stream`: the
        response's body is not read yet (the caller reads it, then closes the response).

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
        return self._send(request, has_key=bool(key), paged=paged, on_retry=on_retry, stream=stream)

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
            # Past the first page the read has made progress, and follows it (see _retry.py).
            query = page_params(params, size, cursor)
            response = self.request("GET", path, params=query, paged=cursor is not None)
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

        def parse(response: httpx.Response) -> tuple[list[Any], bool, str | None]:
            body = json_or_none(response)
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise errors.UsageError(
                    f"{path} did not return a list, so it cannot be paginated", param="paginate"
                )
            return body["data"], bool(body.get("has_more")), body.get("next_cursor")

        for items, _ in self.iter_pages(path, parse, params=params, page_size=page_size):
            yield from items

    def iter_pages(
        self,
        path: str,
        parse: Callable[[httpx.Response], tuple[list[T], bool, str | None]],
        *,
        params: Params | None = None,
        page_size: int = 100,
        starting_after: str | None = None,
        on_retry: Callable[[int, float, str], None] | None = None,
    ) -> Iterator[tuple[list[T], str | None]]:
        """The pages of a list endpoint as `(items, cursor of the next page or None)`.

        `parse` turns a response into (items, has_more, next_cursor). `starting_after`
        continues an earlier read; `on_retry(page number, delay, reason)` is told before each
        wait (page 1 is the first page of this call).
        """
        cursor = starting_after
        number = 0
        while True:
            number += 1
            hook = None if on_retry is None else functools.partial(on_retry, number)
            response = self.request(
                "GET",
                path,
                params=page_params(params, page_size, cursor),
                # Past the first page the read has made progress, and follows it.
                paged=number > 1,
                on_retry=hook,
            )
            items, has_more, cursor = parse(response)
            if not has_more or not cursor:
                yield items, None
                return
            yield items, cursor

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

    def _send(
        self,
        request: httpx.Request,
        *,
        has_key: bool,
        paged: bool = False,
        on_retry: RetryHook | None = None,
        stream: bool = False,
    ) -> httpx.Response:
        policy = self.retry
        # For a page, the previous page's arrival was the last progress: this is its stretch.
        started = policy.clock()
        limit = policy.attempt_limit(paged)
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
                response = self._http.send(request, stream=stream)
                if stream and response.status_code >= 400:
                    response.read()  # the error's body, for its message
            except httpx.TransportError as exc:
                retry = _Retry(has_key, exc, attempt, limit, started, None, on_retry)
                if not self._may_retry(request, retry):
                    raise self._network_error(exc, started) from exc
                continue
            if self._on_debug is not None:
                log_response(self._debug, response, sent_at)
            if response.status_code < 400:
                return response
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            retry = _Retry(
                has_key, response.status_code, attempt, limit, started, retry_after, on_retry
            )
            if not self._may_retry(request, retry):
                raise api_error(response, retry_after, self.token_source)

    def _may_retry(self, request: httpx.Request, retry: _Retry) -> bool:
        """Decide, and if so wait: False when the failure is final."""
        policy = self.retry
        if retry.attempt >= retry.limit or not should_retry(
            request.method, retry.has_key, retry.outcome
        ):
            return False
        delay = policy.delay(retry.attempt, retry.retry_after)
        # `>=`: an attempt with no time left would fail at once.
        if policy.clock() - retry.started + delay >= policy.total_timeout:
            self._debug(f"* giving up: retrying would exceed {policy.total_timeout:g} s")
            return False
        outcome = retry.outcome
        reason = str(outcome) if isinstance(outcome, int) else error_reason(outcome)
        of = "" if retry.limit == math.inf else f" of {retry.limit:g}"
        self._debug(f"* retrying in {delay:.2f} s (attempt {retry.attempt + 1}{of}): {reason}")
        if retry.on_retry is not None:
            retry.on_retry(delay, reason)
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


@dataclass(frozen=True)
class _Retry:
    """One failed attempt, as `_may_retry` weighs it."""

    has_key: bool
    outcome: int | BaseException  # the status, or the transport error
    attempt: int
    limit: float  # attempts allowed (inf: bounded by time alone)
    started: float  # the policy clock at the first attempt
    retry_after: float | None
    on_retry: RetryHook | None
