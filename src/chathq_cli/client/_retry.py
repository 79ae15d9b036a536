"""When to retry a request and how long to wait (SPEC §8).

Pure decisions, kept apart from the transport so they can be tested without HTTP:
- connect failures: always (nothing reached the server);
- 429/502/503/504: always, honouring `Retry-After` (the server asks us to come back);
- anything else that failed (500, a dropped connection, a read timeout): only when a replay
  is harmless, i.e. a safe method or a request carrying an idempotency key.

How long: a request gives up after `attempts` attempts or once `total_timeout` seconds have
passed without an answer, whichever comes first. A paged read (an export) follows progress
instead: each page is a new request with a fresh budget, and a page is retried for as long as
the stretch since the previous page stays under `total_timeout` (`page_attempts`, when set,
also caps a page's attempts). One bad minute in an hour-long export costs a minute, not the
export; a server that stops answering still ends the run within `total_timeout`.
"""

from __future__ import annotations

import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALWAYS_RETRY_STATUSES = frozenset({429, 502, 503, 504})

# Env knobs for scripts and end-to-end tests that want a tiny retry budget (read only when the
# caller gives no policy; the client never reads settings, so these are plain env vars).
ENV_ATTEMPTS = "PORTAL_RETRY_ATTEMPTS"
ENV_TOTAL_TIMEOUT = "PORTAL_RETRY_TOTAL_TIMEOUT"
ENV_MAX_DELAY = "PORTAL_RETRY_MAX_DELAY"


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry; `sleep`, `clock` and `rng` are injectable."""

    attempts: int = 5
    base_delay: float = 0.25
    max_delay: float = 8.0
    # The longest stretch without progress: a request's whole life, or the time since a paged
    # read's last page arrived.
    total_timeout: float = 120.0
    # Attempts per page of a paged read; None: as many as fit in `total_timeout`.
    page_attempts: int | None = None
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def none(cls) -> RetryPolicy:
        """One attempt, no waiting: for unit tests and callers that handle failure themselves."""
        return cls(attempts=1, page_attempts=1)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> RetryPolicy:
        """The default policy, with `PORTAL_RETRY_*` overrides (invalid values are ignored)."""
        env = os.environ if environ is None else environ
        policy = cls()
        overrides: dict[str, float] = {}
        for name, attr in (
            (ENV_ATTEMPTS, "attempts"),
            (ENV_TOTAL_TIMEOUT, "total_timeout"),
            (ENV_MAX_DELAY, "max_delay"),
        ):
            raw = env.get(name, "").strip()
            try:
                value = float(raw)
            except ValueError:
                continue
            if value >= 0:
                overrides[attr] = value
        given_attempts = overrides.get("attempts")
        return cls(
            attempts=max(1, int(overrides.get("attempts", policy.attempts))),
            page_attempts=None if given_attempts is None else max(1, int(given_attempts)),
            base_delay=policy.base_delay,
            max_delay=overrides.get("max_delay", policy.max_delay),
            total_timeout=overrides.get("total_timeout", policy.total_timeout),
        )

    def attempt_limit(self, paged: bool) -> float:
        """How many attempts one request (or one page of a paged read) may make."""
        if not paged:
            return self.attempts
        return math.inf if self.page_attempts is None else self.page_attempts

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter for the wait after failed attempt `attempt`."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return self.rng.uniform(0, ceiling)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """The wait before the next attempt: the server's `Retry-After` (capped) or backoff."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay)
        return self.backoff(attempt)


def is_connect_failure(exc: BaseException) -> bool:
    """The request never reached the server, so a retry cannot apply anything twice."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def should_retry(method: str, has_idempotency_key: bool, outcome: int | BaseException) -> bool:
    """Whether a request that ended with `outcome` (a status or a transport error) is retried."""
    replay_is_harmless = method.upper() in SAFE_METHODS or has_idempotency_key
    if isinstance(outcome, BaseException):
        if is_connect_failure(outcome) or isinstance(outcome, httpx.ProxyError):
            return True
        if isinstance(outcome, httpx.UnsupportedProtocol | httpx.LocalProtocolError):
            return False  # our own mistake: retrying cannot help
        return isinstance(outcome, httpx.TransportError) and replay_is_harmless
    if outcome in ALWAYS_RETRY_STATUSES:
        return True
    return outcome >= 500 and replay_is_harmless


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max((when - now).total_seconds(), 0.0)
