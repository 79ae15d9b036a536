"""`portal __complete refresh`, in-process against the sandbox: what it stores when signed
out, offline or without an account, and that `--timeout` bounds it."""

from __future__ import annotations

import socket
import time
from pathlib import Path

from chathq_cli.state import completion_cache as _completion_cache
from support.demo import OWNER
from support.inprocess import Portal


def _cache(cache_dir: Path) -> _completion_cache.Cache:
    return _completion_cache.read(_completion_cache.cache_path(cache_dir, "default"))


def test_integration_types_are_fetched_without_an_account(portal: Portal, cache_dir: Path) -> None:
    token = portal.sign_in(OWNER)
    empty = portal.sandbox.api("POST", "orgs", token, json={"name": "Empty Labs"}).json()["id"]
    types = {t["id"] for t in portal.sandbox.list_all("integration_types", token)}
    # An org without accounts selected: no account, but the catalog is the same for everyone.
    portal.run("__complete", "refresh", "--timeout", "5", env={"PORTAL_ORG": empty})
    sections = _cache(cache_dir).sections
    assert {value for value, _ in sections["integrations"][1]} == types
    assert sections["members"][1] == [] and sections["secrets"][1] == []


def test_signed_out_drops_the_sections_and_says_so(portal: Portal, cache_dir: Path) -> None:
    _completion_cache.store(cache_dir, "default", {"accounts": [("acct_old1", "Old")]})
    portal.run("__complete", "refresh", "--timeout", "2")
    cache = _cache(cache_dir)
    assert cache.sections == {}
    assert cache.signed_out is not None and abs(cache.signed_out - time.time()) < 60
    portal.sign_in(OWNER)
    portal.run("__complete", "refresh", "--timeout", "5")
    cache = _cache(cache_dir)
    assert cache.signed_out is None and cache.sections["accounts"][1]


def test_a_server_that_does_not_answer_keeps_the_cache_and_holds_the_rest(
    portal: Portal, cache_dir: Path
) -> None:
    portal.sign_in(OWNER)
    token = portal.sandbox.sign_in(OWNER)
    _completion_cache.store(cache_dir, "default", {"orgs": [("org_kept1", "Kept")]}, now=1000)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)  # accepts, never answers
        host = f"http://127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        portal.run(
            "__complete",
            "refresh",
            "--timeout",
            "1",
            env={"PORTAL_HOST": host, "PORTAL_TOKEN": token},
        )
        took = time.monotonic() - started
    assert took < 1.5
    sections = _cache(cache_dir).sections
    assert sections["orgs"] == (1000, [("org_kept1", "Kept")])  # not wiped by a failure
    # Never fetched: empty but already stale, so TAB stops waiting and refreshes in the background.
    fetched, entries = sections["accounts"]
    assert entries == [] and time.time() - fetched > _completion_cache.TTL


def test_the_timeout_is_checked(portal: Portal) -> None:
    result = portal.run("__complete", "refresh", "--timeout", "0", exit_code=2)
    assert "--timeout" in result.stderr
