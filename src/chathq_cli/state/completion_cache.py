"""The completion cache: resource IDs the shell scripts offer on TAB, one small file per profile.

`<config dir>/completion/<profile>.tsv`, 0600 in a 0700 directory, written atomically. Lines
are tab-separated so a shell reads them with its own `read` builtin (no process per TAB):

    @accounts<TAB>1733200000        a section: its kind and when it was fetched (Unix time)
    acct_123abc<TAB>Acme Sales      a value and its description

Only IDs and display names go in: never a token or a secret setting. A section older than
TTL makes the shell start `portal __complete refresh` in the background; one older than
MAX_AGE is not offered at all. Commands that list a kind anyway (`portal account list`) feed
it through `tee()`, so a fresh listing costs no extra request.

Nothing here may fail a command or write to the terminal: the cache is a convenience, and
every error is swallowed.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

KINDS = ("accounts", "orgs", "members", "secrets", "integrations")
# Account-scoped kinds describe the profile's current account only.
ACCOUNT_KINDS = ("members", "secrets", "integrations")
TTL = 300  # seconds: older sections are refreshed in the background
MAX_AGE = 86_400  # seconds: older sections are not offered
LOCK_AGE = 60  # seconds: a refresh lock older than this is left over from a crash

# A value must be one shell word with nothing a shell would interpret.
_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

Entry = tuple[str, str]


def cache_path(config_dir: Path, profile: str) -> Path:
    return config_dir / "completion" / f"{profile}.tsv"


def lock_path(config_dir: Path, profile: str) -> Path:
    return config_dir / "completion" / f"{profile}.lock"


@dataclass
class Cache:
    """A cache file's content: kind -> (fetched at, entries), and the account the
    account-scoped kinds describe (an `@account<TAB>acct_...` line)."""

    sections: dict[str, tuple[int, list[Entry]]] = field(default_factory=dict)
    account: str | None = None


def read(path: Path) -> Cache:
    """The file's content; unreadable files and garbled lines are skipped."""
    cache = Cache()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return cache
    current: list[Entry] | None = None
    for line in text.splitlines():
        first, _, rest = line.partition("\t")
        if first == "@account":
            current = None
            cache.account = rest if _VALUE.match(rest) else None
        elif first.startswith("@"):
            kind = first[1:]
            current = None
            if kind in KINDS and rest.isdigit():
                current = []
                cache.sections[kind] = (int(rest), current)
        elif current is not None and _VALUE.match(first):
            current.append((first, rest))
    return cache


def render(cache: Cache) -> str:
    lines = [f"@account\t{cache.account}"] if cache.account else []
    for kind in KINDS:
        if kind in cache.sections:
            fetched, entries = cache.sections[kind]
            lines.append(f"@{kind}\t{fetched}")
            lines.extend(f"{value}\t{description}" for value, description in entries)
    return "".join(line + "\n" for line in lines)


def clean(entries: Iterable[tuple[Any, Any]]) -> list[Entry]:
    """Entries safe for every shell: word-like values, one-line descriptions, no duplicates."""
    seen: dict[str, str] = {}
    for value, description in entries:
        value = str(value)
        if _VALUE.match(value) and value not in seen:
            text = _CONTROL.sub(" ", str(description or "")).strip()
            seen[value] = text[:80]
    return list(seen.items())


def store(
    config_dir: Path,
    profile: str,
    updates: dict[str, list[Entry]],
    *,
    complete: bool = True,
    account: str | None = None,
    now: float | None = None,
) -> None:
    """Replace (or, `complete=False`, add to) the sections in `updates`. Never raises.

    A partial listing (one org's accounts) adds its entries but keeps the section's old time,
    so the background refresh still fetches the whole set when it is due. `account` names the
    account the account-scoped sections describe; those of another account are dropped.
    """
    with contextlib.suppress(Exception):
        from chathq_cli.state.files import write_private

        path = cache_path(config_dir, profile)
        cache = read(path)
        stamp = int(time.time() if now is None else now)
        if account is not None:
            if cache.account not in (None, account):
                for kind in ACCOUNT_KINDS:
                    cache.sections.pop(kind, None)
            cache.account = account
        for kind, entries in updates.items():
            if kind not in KINDS:
                continue
            if complete:
                cache.sections[kind] = (stamp, clean(entries))
            else:
                fetched, old = cache.sections.get(kind, (0, []))
                cache.sections[kind] = (fetched, clean([*entries, *old]))
        write_private(path, render(cache))


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
    store(rt.settings.config_dir, rt.settings.profile, {kind: seen}, complete=complete)


def refresh(rt: Runtime, *, now: Callable[[], float] = time.time) -> None:
    """Fetch every kind for the profile and rewrite its cache (`portal __complete refresh`).

    Runs detached from the shell: a lock keeps concurrent TABs from starting more than one.
    """
    config_dir, profile = rt.settings.config_dir, rt.settings.profile
    lock = lock_path(config_dir, profile)
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
        store(config_dir, profile, updates, account=rt.settings.account, now=now())
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
            accounts += [(a.id, f"{a.name} ({org.name})") for a in client.list_accounts(org.id)]
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
    return [(k.id, k.name) for k in client.list_api_keys(account)]


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
