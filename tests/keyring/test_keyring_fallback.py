"""No usable keyring (SPEC §3): sign-in fails with exit 4 and says how to proceed; nothing is
written in plain text unless the user asks with `--insecure-storage`, and then every use warns.
These need no daemon: keyring's own `fail` backend and a test backend that hangs."""

from __future__ import annotations

import stat
import time

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Cli, assert_one_line_error

pytestmark = pytest.mark.keyring

NO_KEYRING = {"PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}


def _files(cli: Cli) -> list:
    return [p for p in cli.config_dir.rglob("*") if p.is_file()] if cli.config_dir.exists() else []


def test_no_keyring_login_fails_with_exit_4_and_a_way_forward(cli: Cli) -> None:
    result = cli.login(OWNER, env=NO_KEYRING, exit_code=4)
    assert_one_line_error(result)
    assert "PORTAL_TOKEN" in result.stderr
    assert "--insecure-storage" in result.stderr
    assert not (cli.config_dir / "credentials.toml").exists()
    for path in _files(cli):
        assert "pst_" not in path.read_text(errors="replace"), path


def test_no_keyring_portal_token_still_works(cli: Cli) -> None:
    token = cli.sandbox.sign_in(OWNER)
    shown = cli.run("account", "show", "--json", env=NO_KEYRING | {"PORTAL_TOKEN": token})
    assert shown.json()["object"] == "account"


def test_insecure_storage_is_a_private_file_said_at_login_only(cli: Cli) -> None:
    login = cli.login(OWNER, DEMO_PASSWORD, "--insecure-storage", env=NO_KEYRING)
    assert "warning" in login.stderr.lower()
    credentials = cli.config_dir / "credentials.toml"
    assert credentials.exists()
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.config_dir.stat().st_mode) == 0o700
    token = cli.run("auth", "token", env=NO_KEYRING).stdout.strip()
    assert token in credentials.read_text()
    assert token not in (cli.config_dir / "config.toml").read_text()

    used = cli.run("account", "show", "--json", env=NO_KEYRING)
    assert used.json()["object"] == "account"
    assert used.stderr == ""  # said at sign-in and in `auth status`, not on every command
    status = cli.run("auth", "status", env=NO_KEYRING)
    assert "file" in status.stdout + status.stderr

    cli.run("auth", "logout", env=NO_KEYRING)
    assert token not in (credentials.read_text() if credentials.exists() else "")
    cli.run("account", "show", env=NO_KEYRING, exit_code=4)


def test_a_hanging_keyring_times_out_instead_of_blocking(cli: Cli) -> None:
    hanging = {
        "PYTHON_KEYRING_BACKEND": "_keyring_backend.HangingKeyring",
        "PORTAL_KEYRING_TIMEOUT": "0.5",
    }
    started = time.monotonic()
    result = cli.login(OWNER, env=hanging, exit_code=4)
    assert time.monotonic() - started < 10, "the keyring timeout was not applied"
    assert_one_line_error(result)
    assert "PORTAL_TOKEN" in result.stderr
    started = time.monotonic()
    cli.run("account", "show", env=hanging, exit_code=4)
    assert time.monotonic() - started < 10


def test_insecure_file_is_dropped_by_a_later_keyring_login(cli: Cli) -> None:
    # One place per profile: a keyring login removes the plain-text copy.
    cli.login(OWNER, DEMO_PASSWORD, "--insecure-storage")
    credentials = cli.config_dir / "credentials.toml"
    assert "pst_" in credentials.read_text()
    cli.login(OWNER)
    assert "pst_" not in (credentials.read_text() if credentials.exists() else "")
    assert "pst_" in cli.keyring_file.read_text()
