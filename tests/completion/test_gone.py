"""What is gone is not offered on TAB: revoked keys and closed accounts leave the cache when
the CLI removes them, and a refresh stores only active keys and open accounts."""

from __future__ import annotations

from pathlib import Path

from chathq_cli.state import completion_cache as _completion_cache
from support.demo import DEMO_PASSWORD, OWNER
from support.inprocess import Portal


def _values(cache_dir: Path, kind: str) -> set[str]:
    cache = _completion_cache.read(_completion_cache.cache_path(cache_dir, "default"))
    return {value for value, _ in cache.sections.get(kind, (0, []))[1]}


def test_a_revoked_key_leaves_the_cache_at_once_and_after_a_refresh(
    portal: Portal, cache_dir: Path
) -> None:
    portal.sign_in(OWNER)
    key = portal.json("secrets", "add", "ci-tab")["id"]
    portal.run("__complete", "refresh")
    assert key in _values(cache_dir, "secrets")
    portal.run("secrets", "revoke", key, "--yes")
    assert key not in _values(cache_dir, "secrets")
    portal.run("__complete", "refresh")
    assert key not in _values(cache_dir, "secrets")
    assert _values(cache_dir, "secrets")  # the demo's active keys are still offered


def test_a_closed_account_leaves_the_cache(portal: Portal, cache_dir: Path) -> None:
    portal.sign_in(OWNER)
    sales = portal.run("account", "list", "--jq", '.[] | select(.name == "Acme Sales") | .id')
    account = sales.stdout.strip()
    portal.run("__complete", "refresh")
    assert account in _values(cache_dir, "accounts")
    portal.run("account", "use", account)
    portal.run("account", "close", "--yes", "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert account not in _values(cache_dir, "accounts")
    assert _values(cache_dir, "accounts")
