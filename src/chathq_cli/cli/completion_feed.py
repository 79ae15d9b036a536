"""Feeding the completion cache (state/completion_cache.py) from what commands fetch anyway,
and the background refresh the shell scripts start (`portal __complete refresh`).

Nothing here may fail a command or write to the terminal: the cache is a convenience, and
every error is swallowed.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from chathq_cli.state.completion_cache import (
    KINDS,
    LOCK_AGE,
    Entry,
    cache_dir,
    forget,
    lock_path,
    store,
)

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

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


def refresh(rt: Runtime, *, now: Callable[[], float] = time.time) -> None:
    """Fetch every kind for the profile and rewrite its cache (`portal __complete refresh`).

    Runs detached from the shell: a lock keeps concurrent TABs from starting more than one.
    """
    directory, profile = cache_dir(), rt.settings.profile
    lock = lock_path(directory, profile)
    try:
        lock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            if now() - lock.stat().st_mtime < LOCK_AGE:
                return
            lock.unlink()
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except OSError:
        return
    try:
        updates = _fetch(rt)
        store(directory, profile, updates, account=rt.settings.account, now=now())
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()


def _fetch(rt: Runtime) -> dict[str, list[Entry]]:
    """Everything the cache holds. A kind that cannot be read (not signed in, no permission)
    is stored empty, so the shell does not ask again before TTL is over."""
    updates: dict[str, list[Entry]] = {kind: [] for kind in KINDS}
    try:
        client = rt.client()
        orgs = list(client.list_orgs())
    except Exception:  # noqa: BLE001 - not signed in, offline: an empty cache until TTL
        return updates
    updates["orgs"] = [(org.id, org.name) for org in orgs]
    accounts = []
    for org in orgs:
        with contextlib.suppress(Exception):
            accounts += [
                (a.id, f"{a.name} ({org.name})")
                for a in client.list_accounts(org.id)
                if a.status != "closed"
            ]
    updates["accounts"] = accounts
    try:
        account = rt.account_id()
    except Exception:  # noqa: BLE001 - no account selected: nothing account-scoped to cache
        return updates
    rt.settings.account = account
    for kind, fetch in _ACCOUNT_FETCHERS.items():
        with contextlib.suppress(Exception):
            updates[kind] = fetch(client, account)
    return updates


def _members(client: PortalClient, account: str) -> list[Entry]:
    return [(m.id, f"{m.email} ({m.role})") for m in client.list_members(account)]


def _secrets(client: PortalClient, account: str) -> list[Entry]:
    # Only keys that still work: revoking or rolling a revoked or expired key is refused.
    return [(k.id, k.name) for k in client.list_api_keys(account) if k.status == "active"]


def _integrations(client: PortalClient, account: str) -> list[Entry]:
    status = {i.type: i.status for i in client.list_integrations(account)}
    return [
        (t.id, f"{t.name} ({status.get(t.id, 'not configured')})")
        for t in client.list_integration_types()
    ]


_ACCOUNT_FETCHERS: dict[str, Callable[[PortalClient, str], list[Entry]]] = {
    "members": _members,
    "secrets": _secrets,
    "integrations": _integrations,
}
