"""Fixtures for the whole suite (helpers live in tests/support/).

- `isolation` (autouse): a temporary HOME, config dir and cache dir, no inherited PORTAL_*
  variables, NO_COLOR=1, COLUMNS=100 and an in-memory keyring, like hatch's and llm's
  conftest files.
- `sandbox` (session): a real `portal sandbox serve` on a free loopback port, reset to the
  demo data before each test that uses it.
- `portal`: runs `portal` in this process against that sandbox (support/inprocess.py).
- `cli`: runs `portal` as a subprocess with its own HOME, config dir and file keyring
  (support/harness.py); `tty=True` puts stdout on a real pseudo-terminal.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import keyring
import pytest

from chathq_cli.output._clock import set_clock
from support.demo import SANDBOX_NOW
from support.harness import Cli, Sandbox, start_sandbox
from support.inprocess import Portal
from support.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def isolation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in list(os.environ):
        if name.startswith("PORTAL_") or name in ("NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("PORTAL_CONFIG_DIR", str(tmp_path / "config" / "chathq"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    # Tables say times relative to now ("3 days ago"): now is the sandbox's clock, not the wall's.
    set_clock(lambda: datetime.fromisoformat(SANDBOX_NOW))
    try:
        yield home
    finally:
        keyring.set_keyring(previous)
        set_clock(None)


@pytest.fixture
def memory_keyring() -> MemoryKeyring:
    """The in-memory keyring the isolation fixture installed (inspect `.passwords`)."""
    backend = keyring.get_keyring()
    assert isinstance(backend, MemoryKeyring)
    return backend


@pytest.fixture
def cache_dir() -> Path:
    """The temporary cache directory (under XDG_CACHE_HOME) of this test; not created yet."""
    from chathq_cli.state.completion_cache import cache_dir as user_cache_dir

    return user_cache_dir()


@pytest.fixture
def config_dir() -> Path:
    """The temporary config directory (PORTAL_CONFIG_DIR) of this test; not created yet."""
    return Path(os.environ["PORTAL_CONFIG_DIR"])


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    server = start_sandbox(tmp_path_factory.mktemp("sandbox"))
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(autouse=True)
def _fresh_sandbox(request: pytest.FixtureRequest) -> None:
    """Each test that uses the sandbox starts from the demo data (a reset is well under 1 s)."""
    if {"sandbox", "cli", "portal"} & set(request.fixturenames):
        request.getfixturevalue("sandbox").reset()


@pytest.fixture
def cli(sandbox: Sandbox, tmp_path: Path) -> Cli:
    return Cli(sandbox, tmp_path)


@pytest.fixture
def portal(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Portal:
    return Portal(sandbox, monkeypatch)
