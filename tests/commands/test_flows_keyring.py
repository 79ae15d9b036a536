"""No usable keyring (SPEC §3), in-process: sign-in fails with exit 4 and says how to proceed;
nothing is written in plain text unless the user asks with `--insecure-storage`, and then every
use warns. keyring's own `fail` backend and a backend that never answers stand in for a missing
and a locked keyring; the real Secret Service is tests/keyring/test_secret_service.py."""

from __future__ import annotations

import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from support.harness import DEMO_PASSWORD, OWNER, assert_one_line_error
from support.inprocess import Portal
from support.keyrings import MemoryKeyring


class HangingKeyring(keyring.backend.KeyringBackend):
    """A keyring that does not answer until released, like a locked collection waiting for an
    unlock dialog nobody sees."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.released.wait(60)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.released.wait(60)

    def delete_password(self, service: str, username: str) -> None:
        self.released.wait(60)


@pytest.fixture
def no_keyring() -> None:
    """keyring's `fail` backend (the isolation fixture puts the memory keyring back after)."""
    keyring.set_keyring(keyring.backends.fail.Keyring())


@pytest.fixture
def hanging_keyring() -> Iterator[HangingKeyring]:
    backend = HangingKeyring()
    keyring.set_keyring(backend)
    yield backend
    backend.released.set()  # let portal's abandoned keyring threads end


def _files(config_dir: Path) -> list[Path]:
    return [p for p in config_dir.rglob("*") if p.is_file()] if config_dir.exists() else []


def test_no_keyring_login_fails_with_exit_4_and_a_way_forward(
    portal: Portal, no_keyring: None, config_dir: Path
) -> None:
    result = portal.login(OWNER, exit_code=4)
    assert_one_line_error(result)
    assert "PORTAL_TOKEN" in result.stderr
    assert "--insecure-storage" in result.stderr
    assert not (config_dir / "credentials.toml").exists()
    for path in _files(config_dir):
        assert "pst_" not in path.read_text(errors="replace"), path


def test_no_keyring_portal_token_still_works(portal: Portal, no_keyring: None) -> None:
    token = portal.sandbox.sign_in(OWNER)
    shown = portal.json("account", "show", env={"PORTAL_TOKEN": token})
    assert shown["object"] == "account"


def test_insecure_storage_is_a_private_file_said_at_sign_in_and_in_status(
    portal: Portal, no_keyring: None, config_dir: Path
) -> None:
    login = portal.login(OWNER, DEMO_PASSWORD, "--insecure-storage")
    assert "warning" in login.stderr.lower()
    credentials = config_dir / "credentials.toml"
    assert credentials.exists()
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    token = portal.token()
    assert token in credentials.read_text()
    assert token not in (config_dir / "config.toml").read_text()

    used = portal.run("account", "show", "--json")
    assert used.json()["object"] == "account"
    assert used.stderr == ""  # said at sign-in and in `auth status`, not on every command
    status = portal.run("auth", "status")
    assert "file" in status.stdout and "plain text" in status.stderr

    portal.run("auth", "logout")
    assert token not in (credentials.read_text() if credentials.exists() else "")
    portal.run("account", "show", exit_code=4)


def test_a_hanging_keyring_times_out_instead_of_blocking(
    portal: Portal, hanging_keyring: HangingKeyring
) -> None:
    timeout = {"PORTAL_KEYRING_TIMEOUT": "0.5"}
    started = time.monotonic()
    result = portal.login(OWNER, env=timeout, exit_code=4)
    assert time.monotonic() - started < 10, "the keyring timeout was not applied"
    assert_one_line_error(result)
    assert "PORTAL_TOKEN" in result.stderr
    started = time.monotonic()
    portal.run("account", "show", env=timeout, exit_code=4)
    assert time.monotonic() - started < 10


def test_insecure_file_is_dropped_by_a_later_keyring_login(
    portal: Portal, memory_keyring: MemoryKeyring, config_dir: Path
) -> None:
    # One place per profile: a keyring login removes the plain-text copy.
    portal.login(OWNER, DEMO_PASSWORD, "--insecure-storage")
    credentials = config_dir / "credentials.toml"
    assert "pst_" in credentials.read_text()
    portal.login(OWNER)
    assert "pst_" not in (credentials.read_text() if credentials.exists() else "")
    assert any(token.startswith("pst_") for token in memory_keyring.passwords.values())
