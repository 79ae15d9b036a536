"""A command that only reads leaves the config directory alone: the first `account list` of a
signed-in profile used to write `account = ...` into config.toml, and the completion cache
lived beside it (it is a cache: the user's cache directory is its place)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.demo import OWNER


def _snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in directory.rglob("*") if p.is_file()
    }


@pytest.mark.parametrize(
    "args",
    [
        ["account", "list"],
        ["account", "show", "--json"],
        ["team", "list"],
        ["usage", "--limit", "3"],
        ["org", "list"],
    ],
    ids=" ".join,
)
def test_read_only_commands_leave_the_config_dir_alone(portal, config_dir, args) -> None:
    portal.sign_in(OWNER)
    before = _snapshot(config_dir)
    portal.run(*args)
    portal.run(*args)
    assert _snapshot(config_dir) == before


def test_listings_feed_the_completion_cache_in_the_cache_dir(portal, cache_dir) -> None:
    portal.sign_in(OWNER)
    portal.run("org", "list")
    assert (cache_dir / "completion" / "default.tsv").read_text().startswith("@orgs\t")
