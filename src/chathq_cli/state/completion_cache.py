"""The completion cache: resource IDs the shell scripts offer on TAB, one small file per profile.

`<cache dir>/completion/<profile>.tsv` in the user's cache directory (`$XDG_CACHE_HOME/chathq`,
`~/.cache/chathq`, `~/Library/Caches/chathq`): a cache, so not in the config directory, which
commands that only read leave alone. 0600 in a 0700 directory, written atomically. Lines
are tab-separated so a shell reads them with its own `read` builtin (no process per TAB):

    @accounts<TAB>1733200000        a section: its kind and when it was fetched (Unix time)
    acct_123abc<TAB>Acme Sales      a value and its description
    @signed_out<TAB>1733200000      a refresh found the profile signed out (no sections then)

Only IDs and display names go in: never a token or a secret setting. A section that was never
fetched makes the shell run `portal __complete refresh --timeout WAIT` and wait for it (the
first TAB after sign-in offers values); a section older than TTL makes it start the refresh in
the background; one older than MAX_AGE is not offered at all. While a fresh `@signed_out` line
is newer than config.toml (which `auth login` writes), the shell starts no refresh at all.
Commands that list a kind anyway (`portal account list`) feed it (cli/completion_feed.py), so
a fresh listing costs no extra request.

Nothing here may fail a command or write to the terminal: the cache is a convenience, and
every error is swallowed.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("accounts", "orgs", "members", "secrets", "integrations")
# Account-scoped kinds describe the profile's current account only.
ACCOUNT_KINDS = ("members", "secrets", "integrations")
TTL = 300  # seconds: older sections are refreshed in the background
MAX_AGE = 86_400  # seconds: older sections are not offered
LOCK_AGE = 60  # seconds: a refresh lock older than this is left over from a crash
WAIT = 2  # seconds: how long TAB waits for the refresh of a section never fetched

# A value must be one shell word with nothing a shell would interpret.
_VALUE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@+-]{0,127}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")

Entry = tuple[str, str]


def cache_dir() -> Path:
    """The user's cache directory for portal (platformdirs: XDG_CACHE_HOME is honoured)."""
    import platformdirs

    return platformdirs.user_cache_path("chathq")


def cache_path(directory: Path, profile: str) -> Path:
    return directory / "completion" / f"{profile}.tsv"


def lock_path(directory: Path, profile: str) -> Path:
    return directory / "completion" / f"{profile}.lock"


@dataclass
class Cache:
    """A cache file's content: kind -> (fetched at, entries), and the account the
    account-scoped kinds describe (an `@account<TAB>acct_...` line), and when a refresh last
    found the profile signed out (`@signed_out<TAB>time`)."""

    sections: dict[str, tuple[int, list[Entry]]] = field(default_factory=dict)
    account: str | None = None
    signed_out: int | None = None


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
        elif first == "@signed_out":
            current = None
            cache.signed_out = int(rest) if rest.isdigit() else None
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
    lines = [f"@signed_out\t{cache.signed_out}"] if cache.signed_out is not None else []
    if cache.account:
        lines.append(f"@account\t{cache.account}")
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
    directory: Path,
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
    Anything stored means the profile is signed in: the `@signed_out` mark goes.
    """
    with contextlib.suppress(Exception):
        from chathq_cli.state.files import write_private

        path = cache_path(directory, profile)
        cache = read(path)
        stamp = int(time.time() if now is None else now)
        if account is not None:
            if cache.account not in (None, account):
                for kind in ACCOUNT_KINDS:
                    cache.sections.pop(kind, None)
            cache.account = account
        cache.signed_out = None
        for kind, entries in updates.items():
            if kind not in KINDS:
                continue
            if complete:
                cache.sections[kind] = (stamp, clean(entries))
            else:
                fetched, old = cache.sections.get(kind, (0, []))
                cache.sections[kind] = (fetched, clean([*entries, *old]))
        write_private(path, render(cache))


def forget(directory: Path, profile: str, kind: str, value: str) -> None:
    """Drop `value` from the `kind` section (a key revoked, an account closed), keeping the
    section's time: TAB stops offering what is gone without waiting for a refresh. Never
    raises."""
    with contextlib.suppress(Exception):
        from chathq_cli.state.files import write_private

        path = cache_path(directory, profile)
        cache = read(path)
        if kind not in cache.sections:
            return
        fetched, entries = cache.sections[kind]
        cache.sections[kind] = (fetched, [e for e in entries if e[0] != value])
        write_private(path, render(cache))


def hold(directory: Path, profile: str, kinds: Iterable[str], *, now: float) -> None:
    """Give each of `kinds` that has no section an empty one that is already stale, after a
    refresh that could not fetch them (offline, out of time): TAB then offers nothing at once
    and refreshes in the background, instead of waiting again. Sections that exist keep their
    values. Never raises."""
    with contextlib.suppress(Exception):
        from chathq_cli.state.files import write_private

        path = cache_path(directory, profile)
        cache = read(path)
        missing = [kind for kind in kinds if kind in KINDS and kind not in cache.sections]
        if not missing:
            return
        for kind in missing:
            cache.sections[kind] = (max(int(now) - TTL - 1, 0), [])
        write_private(path, render(cache))


def mark_signed_out(directory: Path, profile: str, *, now: float) -> None:
    """The profile is signed out: drop every section (they were another sign-in's) and say
    when, so TAB offers nothing without starting a process until the next sign-in or TTL.
    Never raises."""
    with contextlib.suppress(Exception):
        from chathq_cli.state.files import write_private

        write_private(cache_path(directory, profile), render(Cache(signed_out=int(now))))
