"""A command that only reads leaves config.toml alone: the first `account list` of a
signed-in profile used to write `account = ...` into it."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.demo import OWNER


def _snapshot(directory: Path) -> bytes | None:
    config = directory / "config.toml"
    return config.read_bytes() if config.exists() else None


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
def test_read_only_commands_leave_config_toml_alone(portal, config_dir, args) -> None:
    portal.sign_in(OWNER)
    before = _snapshot(config_dir)
    portal.run(*args)
    portal.run(*args)
    assert _snapshot(config_dir) == before
