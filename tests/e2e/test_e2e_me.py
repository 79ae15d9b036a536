"""`portal me` end to end: the console entry point as a subprocess against the real sandbox,
with the server's state checked after each command. The in-process tests
(tests/commands/test_me.py) cover the bad-input cases; these show the real process does the
same with real pipes, binary stdin, files and the keyring."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import segno

from support.harness import (
    ADMIN,
    DEMO_PASSWORD,
    OWNER,
    SANDBOX_NOW,
    Cli,
    Sandbox,
    assert_one_line_error,
)

pytestmark = pytest.mark.e2e

NOW = datetime.fromisoformat(SANDBOX_NOW.replace("Z", "+00:00"))


def _at(sandbox: Sandbox, minutes: int) -> datetime:
    later = NOW + timedelta(minutes=minutes)
    sandbox.clock(later.isoformat().replace("+00:00", "Z"))
    return later


def _png() -> bytes:
    buffer = io.BytesIO()
    segno.make("me").save(buffer, kind="png")
    return buffer.getvalue()


def test_settings_round_trip(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    cli.run("me", "set-name", "Olivia O.")
    cli.run("me", "theme", "light")
    cli.run("me", "notifications", "set", "assigned_tickets=off")
    me = sandbox.get("me", token)
    assert me["display_name"] == "Olivia O." and me["theme"] == "light"
    assert me["notifications"]["assigned_tickets"] is False
    shown = cli.run("me", "show", "--json").json()
    assert shown == me


def test_avatar_from_binary_stdin_then_removed(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    image = _png()
    proc = subprocess.run(
        cli.command("me", "avatar", "set", "-"),
        input=image,
        env=cli.env(),
        cwd=cli.home,
        capture_output=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    url = sandbox.get("me", token)["avatar_url"]
    assert sandbox.api("GET", url).content == image
    cli.run("me", "avatar", "remove")
    assert sandbox.get("me", token)["avatar_url"] is None


def test_a_50_mb_stream_is_refused_without_uploading(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    proc = subprocess.Popen(
        cli.command("me", "avatar", "set", "-"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli.env(),
        cwd=cli.home,
    )
    assert proc.stdin is not None
    chunk = b"\x89PNG\r\n\x1a\n" + b"\x00" * (1024 * 1024 - 8)
    with contextlib.suppress(BrokenPipeError):  # portal stops reading after 5 MB + 1 byte
        for _ in range(50):  # generated as it goes: never 50 MB in memory
            proc.stdin.write(chunk)
    with contextlib.suppress(BrokenPipeError):
        proc.stdin.close()
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.wait(timeout=30)
    assert proc.returncode == 2, stderr
    assert b"5 MB" in stderr and b"Traceback" not in stderr
    assert sandbox.get("me", token)["avatar_url"] is None


def test_email_change_and_confirm(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    new = "olivia@elsewhere.example"
    changed = cli.run("me", "email", "change", new, "--password-stdin", stdin=DEMO_PASSWORD + "\n")
    assert new in changed.stderr
    assert sandbox.get("me", token)["pending_email"] == new
    code = [mail for mail in sandbox.outbox() if mail["to"] == new][-1]["code"]
    wrong = cli.run(
        "me", "email", "confirm", "000000" if code != "000000" else "111111", exit_code=2
    )
    assert_one_line_error(wrong, mentions="code")
    cli.run("me", "email", "confirm", code)
    assert sandbox.get("me", token)["email"] == new


def test_password_change_ends_other_sessions(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    other = sandbox.sign_in(OWNER)
    new = "a-fresh-long-password"
    cli.run("me", "password", "change", "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{new}\n")
    assert sandbox.api("GET", "me", token).status_code == 200
    assert sandbox.api("GET", "me", other).status_code == 401
    assert sandbox.sign_in(OWNER, new)


def _scripted_enable(
    cli: Cli, sandbox: Sandbox, secret_file: Path, *extra: str
) -> tuple[str, str, str]:
    """What the --help promises a script can do: start enrolment, read the secret file,
    compute the code (pyotp, at the sandbox's clock), pipe it in. Returns (secret, stdout,
    stderr)."""
    when = _at(sandbox, 0)
    proc = subprocess.Popen(
        cli.command(
            "me", "2fa", "enable", "--secret-out", str(secret_file), "--code-stdin", *extra
        ),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli.env(),
        cwd=cli.home,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not (secret_file.exists() and secret_file.read_text().endswith("\n")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the secret file never appeared"
        time.sleep(0.05)
    secret = secret_file.read_text().strip()
    stdout, stderr = proc.communicate(pyotp.TOTP(secret).at(when) + "\n", timeout=30)
    assert proc.returncode == 0, stderr
    return secret, stdout, stderr


def test_scripted_2fa_lifecycle(cli: Cli, sandbox: Sandbox, tmp_path: Path) -> None:
    token = cli.sign_in(OWNER)
    secret_file = tmp_path / "totp.secret"
    secret, stdout, stderr = _scripted_enable(cli, sandbox, secret_file, "--debug")
    assert os.stat(secret_file).st_mode & 0o777 == 0o600
    codes = stdout.split()
    assert len(codes) == 10
    assert "store these" in stderr
    for value in (secret, token, *codes):
        assert value not in stderr  # the --debug log shows none of them
    assert sandbox.get("me", token)["totp_enabled"] is True
    assert cli.run("me", "2fa", "status", "--json").json()["totp_enabled"] is True

    totp = pyotp.TOTP(secret)
    regenerated = cli.run(
        "me",
        "2fa",
        "recovery-codes",
        "--password-stdin",
        stdin=f"{DEMO_PASSWORD}\n{totp.at(_at(sandbox, 2))}\n",
    ).stdout.split()
    assert len(regenerated) == 10 and not set(regenerated) & set(codes)

    # Signing in now needs a code; a recovery code works once.
    login = ("auth", "login", "--email", OWNER, "--password-stdin")
    assert_one_line_error(cli.run(*login, stdin=DEMO_PASSWORD + "\n", exit_code=4))
    cli.run(*login, stdin=f"{DEMO_PASSWORD}\n{regenerated[0]}\n")
    cli.run(*login, stdin=f"{DEMO_PASSWORD}\n{regenerated[0]}\n", exit_code=4)
    cli.run(*login, stdin=f"{DEMO_PASSWORD}\n{codes[1]}\n", exit_code=4)  # an old set's code

    cli.run(
        "me",
        "2fa",
        "disable",
        "--password-stdin",
        stdin=f"{DEMO_PASSWORD}\n{totp.at(_at(sandbox, 4))}\n",
    )
    assert sandbox.get("me", token)["totp_enabled"] is False
    cli.run(*login, stdin=DEMO_PASSWORD + "\n")


def test_delete_removes_the_user_and_the_keyring_entry(cli: Cli, sandbox: Sandbox) -> None:
    cli.login(ADMIN)
    assert json.loads(cli.keyring_file.read_text())["chathq-cli"]
    result = cli.run(
        "me",
        "delete",
        "--yes",
        "--confirm-email",
        ADMIN,
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
    )
    assert "Deleted" in result.stderr
    assert not json.loads(cli.keyring_file.read_text()).get("chathq-cli")
    refused = sandbox.api("POST", "auth/sessions", json={"email": ADMIN, "password": DEMO_PASSWORD})
    assert refused.status_code == 401
    assert_one_line_error(cli.run("me", "show", exit_code=4))


def test_delete_as_sole_owner_is_exit_7(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in(OWNER)
    result = cli.run(
        "me",
        "delete",
        "--yes",
        "--confirm-email",
        OWNER,
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
        exit_code=7,
    )
    assert_one_line_error(result)
    assert "hint:" in result.stderr
    assert sandbox.api("GET", "me", token).status_code == 200
