"""Feeding the completion cache (state/completion_cache.py) from what commands fetch anyway,
and the background refresh the shell scripts start (`portal __complete refresh`).

Nothing here may fail a command or write to the terminal: the cache is a convenience, and
every error is swallowed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from chathq_cli.state.completion_cache import (
    KINDS,
    LOCK_AGE,
    Entry,
    cache_dir,
    forget,
    hold,
    lock_path,
    mark_signed_out,
    store,
)

if TYPE_CHECKING:
    from pathlib import Path

    from chathq_cli.api.accounts import Account
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

T = TypeVar("T")

__all__ = ["gone", "refresh", "tee"]


def tee(
    rt: Runtime,
    kind: str,
    rows: Iterable[dict[str, Any]],
    *,
    value: str = "id",
    description: str = "name",
    complete: bool = True,
) -> Iterator[dict[str, Any]]:
    """Yield `rows` unchanged and, once they are all out, store them as `kind` in the cache.

    For listing commands: `rt.out.list(tee(rt, "orgs", rows), columns)`.
    """
    seen: list[Entry] = []
    for row in rows:
        seen.append((row.get(value, ""), row.get(description, "")))
        yield row
    store(cache_dir(), rt.settings.profile, {kind: seen}, complete=complete)


def gone(rt: Runtime, kind: str, value: str) -> None:
    """`value` of `kind` no longer exists for completion (a revoked key, a closed account)."""
    forget(cache_dir(), rt.settings.profile, kind, value)


def refresh(
    rt: Runtime,
    *,
    timeout: float | None = None,
    now: Callable[[], float] = time.time,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Fetch every kind for the profile and rewrite its cache (`portal __complete refresh`).

    Without `timeout` it runs detached from the shell: a lock keeps concurrent TABs from
    starting more than one. With `timeout` the shell waits for it (a section never fetched),
    so everything, the keyring and every request included, ends within `timeout` seconds; a
    refresh already under way is waited for instead of started again.
    """
    directory, profile = cache_dir(), rt.settings.profile
    budget = _Budget(timeout, clock)
    if not _lock(lock_path(directory, profile), budget, now):
        return
    try:
        budget.limit(rt)
        fetched = _Fetched()
        # Offline, out of time or anything unforeseen: keep what was fetched before it.
        with contextlib.suppress(Exception):
            _fetch(rt, budget, fetched)
        if fetched.signed_out:
            mark_signed_out(directory, profile, now=now())
            return
        store(directory, profile, fetched.updates, account=fetched.account, now=now())
        hold(directory, profile, KINDS, now=now())
    finally:
        with contextlib.suppress(OSError):
            lock_path(directory, profile).unlink()


def _lock(lock: Path, budget: _Budget, now: Callable[[], float]) -> bool:
    """Take the refresh lock; False if another refresh holds it (after waiting for it to end,
    within the budget, when the shell is waiting)."""
    try:
        lock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        while True:
            with contextlib.suppress(FileNotFoundError):
                if now() - lock.stat().st_mtime < LOCK_AGE:
                    if budget.left() <= _POLL:
                        return False
                    # The other refresh writes what this one would: wait for it, then leave.
                    time.sleep(_POLL)
                    if lock.exists():
                        continue
                    return False
                lock.unlink()
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            return True
    except OSError:
        return False


_POLL = 0.05  # seconds between looks at another refresh's lock


class _Unreachable(Exception):
    """The server did not answer (in time): nothing more can be fetched."""


class _Budget:
    """The deadline of a refresh the shell waits for; no deadline for a background one."""

    def __init__(self, seconds: float | None, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.end = None if seconds is None else clock() + seconds

    def left(self) -> float:
        return 0.0 if self.end is None else self.end - self.clock()

    def limit(self, rt: Runtime) -> None:
        """Settings for the client about to be built: one attempt each (the user is waiting at
        TAB, and the next TAB tries again), the keyring within the budget."""
        if self.end is not None:
            left = max(self.left(), 0.001)
            rt.settings.keyring_timeout = min(rt.settings.keyring_timeout, left)
            rt.settings.retry_attempts = 1
            rt.settings.retry_total_timeout = left

    def call(self, client: PortalClient, fetch: Callable[[], T]) -> T:
        """`fetch()` with what is left of the budget as its requests' time limit. A server
        that does not answer ends the refresh; a refusal (no permission) is the caller's."""
        from chathq_cli import errors

        if self.end is not None:
            left = self.left()
            if left <= 0:
                raise _Unreachable
            client.retry = dataclasses.replace(client.retry, total_timeout=left)
        try:
            return fetch()
        except (errors.NetworkError, errors.ServerError, errors.RateLimited) as error:
            raise _Unreachable from error


@dataclass
class _Fetched:
    """What a refresh learnt: the kinds it could read (a kind it could not reach is left
    out, so its cached values stay), the account they describe, or that nobody is signed in."""

    updates: dict[str, list[Entry]] = field(default_factory=dict)
    account: str | None = None
    signed_out: bool = False


def _fetch(rt: Runtime, budget: _Budget, got: _Fetched) -> None:
    """Fill `got` kind by kind. A kind that cannot be read (no permission, no account) is
    stored empty, so the shell does not ask again before TTL is over; _Unreachable stops."""
    from chathq_cli import errors

    try:
        client = rt.client()
        orgs = budget.call(client, lambda: list(client.list_orgs()))
    except (errors.AuthRequired, errors.Unauthenticated):
        got.signed_out = True
        return
    got.updates["orgs"] = [(org.id, org.name) for org in orgs]
    accounts: list[Entry] = []
    for org in orgs:
        with contextlib.suppress(errors.ApiError):
            listed = budget.call(client, functools.partial(_accounts, client, org.id))
            accounts += [(a.id, f"{a.name} ({org.name})") for a in listed if a.status != "closed"]
    got.updates["accounts"] = accounts
    account = None
    with contextlib.suppress(errors.PortalError):  # no account selected: nothing of one
        account = budget.call(client, rt.account_id)
    got.account = account
    # The catalog of integration types is the same for everyone signed in: it completes
    # without an account; with one, each type says whether it is configured there.
    _kind(got, "integrations", budget, client, lambda: _integrations(client, account))
    if account is None:
        got.updates |= {"members": [], "secrets": []}
        return
    rt.settings.account = account
    _kind(got, "members", budget, client, lambda: _members(client, account))
    _kind(got, "secrets", budget, client, lambda: _secrets(client, account))


def _kind(
    got: _Fetched,
    kind: str,
    budget: _Budget,
    client: PortalClient,
    fetch: Callable[[], list[Entry]],
) -> None:
    """One kind into `got`; refused (no permission): empty until TTL, nothing to offer."""
    from chathq_cli import errors

    try:
        got.updates[kind] = budget.call(client, fetch)
    except errors.ApiError:
        got.updates[kind] = []


def _accounts(client: PortalClient, org: str) -> list[Account]:
    return list(client.list_accounts(org))


def _members(client: PortalClient, account: str) -> list[Entry]:
    return [(m.id, f"{m.email} ({m.role})") for m in client.list_members(account)]


def _secrets(client: PortalClient, account: str) -> list[Entry]:
    # Only keys that still work: revoking or rolling a revoked or expired key is refused.
    return [(k.id, k.name) for k in client.list_api_keys(account) if k.status == "active"]


def _integrations(client: PortalClient, account: str | None) -> list[Entry]:
    types = client.list_integration_types()
    if account is None:
        return [(t.id, t.name) for t in types]
    status: dict[str, str] = {}
    with contextlib.suppress(Exception):  # not allowed to see them: the names alone
        status = {i.type: i.status for i in client.list_integrations(account)}
    return [(t.id, f"{t.name} ({status.get(t.id, 'not configured')})") for t in types]
