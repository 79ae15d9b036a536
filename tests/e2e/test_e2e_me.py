"""`portal me` as a real process: what only a real process shows. Binary standard input (an
avatar piped in, a 50 MB stream refused after 5 MB), and the scripted two-factor enrolment that
waits for its code on stdin while the script reads the secret file. Everything else about
`portal me` runs in-process: tests/commands/test_me.py and test_flows_me.py."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import time
from datetime import datetime, timedelta
from pathlib import Path

import pyotp
import pytest
import segno

from support.harness import (
    OWNER,
    SANDBOX_NOW,
    Cli,
    Sandbox,
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


def test_scripted_2fa_enable(cli: Cli, sandbox: Sandbox, tmp_path: Path) -> None:
    """The rest of the 2FA life cycle runs in-process: tests/commands/test_flows_me.py."""
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
