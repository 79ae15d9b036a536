"""The real OS keyring: gnome-keyring's Secret Service in a private D-Bus session.

`portal auth login` stores the token there (service `chathq-cli`, user `<profile>@<host>`, the
attributes keyring's SecretService backend writes: `service` and `username`), the config dir holds
no token, `account show` works with it, `auth logout` removes it. Skipped, saying which program
is missing, when dbus/gnome-keyring/secret-tool are not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Cli, base_env

NEEDED = ("dbus-daemon", "gnome-keyring-daemon", "secret-tool")
MISSING = [program for program in NEEDED if shutil.which(program) is None]

pytestmark = [
    pytest.mark.keyring,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"real-keyring tests need {', '.join(MISSING)} (apt: dbus, gnome-keyring, "
        "libsecret-tools)",
    ),
]


@pytest.fixture(scope="module")
def secret_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private session bus with an unlocked gnome-keyring; yields the env to reach it."""
    home = tmp_path_factory.mktemp("keyring-home")
    runtime_dir = home / "run"
    runtime_dir.mkdir(mode=0o700)
    env = base_env() | {
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime_dir),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_CONFIG_HOME": str(home / ".config"),
    }
    bus = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    daemon: subprocess.Popen[str] | None = None
    try:
        assert bus.stdout is not None
        address = bus.stdout.readline().strip()
        assert address, "dbus-daemon printed no address"
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        # --unlock reads the login keyring's password on stdin (creating the keyring with it).
        daemon = subprocess.Popen(
            ["gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert daemon.stdin is not None
        daemon.stdin.write("throwaway-keyring-pw")
        daemon.stdin.close()
        # Ready when a lookup through the bus answers (exit 1 = nothing found, which is fine).
        probe = subprocess.run(
            ["secret-tool", "lookup", "service", "probe"], env=env, timeout=20, check=False
        )
        assert probe.returncode in (0, 1)
        yield env
    finally:
        for proc in (daemon, bus):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()


def _lookup(env: dict[str, str], user: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["secret-tool", "lookup", "service", "chathq-cli", "username", user],
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
        check=False,
    )


def test_login_show_logout_with_the_secret_service(
    cli: Cli, secret_service: dict[str, str]
) -> None:
    env = {
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        "DBUS_SESSION_BUS_ADDRESS": secret_service["DBUS_SESSION_BUS_ADDRESS"],
        "XDG_RUNTIME_DIR": secret_service["XDG_RUNTIME_DIR"],
    }
    user = f"default@{cli.sandbox.url}"

    cli.login(OWNER, env=env)
    token = cli.run("auth", "token", env=env).stdout.strip()
    assert token
    stored = _lookup(secret_service, user)
    assert stored.returncode == 0, stored.stderr
    assert stored.stdout.strip() == token

    # No copy anywhere else: not in the config dir, not in the test's JSON keyring.
    assert not cli.keyring_file.exists()
    for path in cli.config_dir.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            assert token not in text and DEMO_PASSWORD not in text, path

    status = cli.run("auth", "status", env=env)
    assert "keyring" in status.stdout + status.stderr
    shown = cli.run("account", "show", "--json", env=env).json()
    assert shown["object"] == "account"

    cli.run("auth", "logout", env=env)
    gone = _lookup(secret_service, user)
    assert gone.returncode != 0 and gone.stdout == ""
    cli.run("account", "show", env=env, exit_code=4)


def test_two_profiles_are_two_keyring_entries(cli: Cli, secret_service: dict[str, str]) -> None:
    env = {
        "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
        "DBUS_SESSION_BUS_ADDRESS": secret_service["DBUS_SESSION_BUS_ADDRESS"],
    }
    cli.login(OWNER, env=env)
    cli.login("member@demo.chathq.test", DEMO_PASSWORD, "--profile", "work", env=env)
    first = _lookup(secret_service, f"default@{cli.sandbox.url}").stdout.strip()
    second = _lookup(secret_service, f"work@{cli.sandbox.url}").stdout.strip()
    assert first and second and first != second
    cli.run("auth", "logout", "--profile", "work", env=env)
    assert _lookup(secret_service, f"work@{cli.sandbox.url}").returncode != 0
    assert _lookup(secret_service, f"default@{cli.sandbox.url}").stdout.strip() == first
    cli.run("auth", "logout", env=env)
