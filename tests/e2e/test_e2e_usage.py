"""`portal usage` as a real process: Ctrl-C during an export leaves no file, and one stopped
by SIGTERM resumes. Everything else
about `portal usage` runs in-process: tests/commands/test_flows_usage.py and the other
tests/commands/test_usage_*.py."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.harness import Cli, Sandbox, start_sandbox
from support.terminal import default_signals

pytestmark = pytest.mark.e2e


def test_ctrl_c_during_export_leaves_no_file(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in()
    account_id = sandbox.get("me", token)["default_account_id"]
    target = cli.home / "usage.csv"
    part = Path(str(target) + ".part")
    # The server answers 503 to everything and the client may retry for a minute, so the
    # export is still running, its .part file open, when the interrupt comes.
    sandbox.faults(1.0, ["error_before"])
    retry_for_long = {
        # Known, so the .part file is opened before any request (which would be retried).
        "PORTAL_ACCOUNT": account_id,
        "PORTAL_RETRY_ATTEMPTS": "1000",
        "PORTAL_RETRY_TOTAL_TIMEOUT": "60",
        "PORTAL_RETRY_MAX_DELAY": "0.2",
    }
    proc = subprocess.Popen(
        cli.command("usage", "--all", "--format", "csv", "--output", str(target)),
        cwd=cli.home,
        env=cli.env(retry_for_long),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A suite started as a background job has SIGINT ignored, and children inherit that.
        preexec_fn=default_signals,
    )
    deadline = time.monotonic() + 20
    while not part.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert part.exists(), "the export should write to FILE.part while it runs"
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=20)
    # The boundary returns 130 (it always does: the handler runs once, then sys.exit(130)).
    # About 1 run in 20 under load the interpreter then ends itself by SIGINT instead: strace
    # shows a single SIGINT from this test, then, after sys.exit(130) and the atexit handlers,
    # the process's own kill(getpid(), SIGINT), which CPython sends after restoring SIG_DFL
    # when it believes a KeyboardInterrupt went unhandled (bpo-1054041). It is not the
    # inherited SIGINT disposition (the child starts with Python's handler, see
    # default_signals) nor a second signal from here. Both endings are exit status 130 to a
    # shell, which is what Ctrl-C must give, and the file clean-up holds either way.
    assert proc.returncode in (130, -signal.SIGINT), stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    # Stopped before its first page: nothing worth resuming, so nothing is left behind.
    assert not target.exists()
    assert not part.exists()
    assert not Path(f"{target}.checkpoint").exists()


@pytest.fixture(scope="module")
def big_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """A sandbox of its own with enough records for an export of many pages."""
    server = start_sandbox(tmp_path_factory.mktemp("big-sandbox"), "--usage-records", "5000")
    try:
        yield server
    finally:
        server.close()


def test_sigterm_keeps_the_part_and_resume_finishes_it(
    big_sandbox: Sandbox, tmp_path: Path
) -> None:
    cli = Cli(big_sandbox, tmp_path)
    cli.sign_in()
    reference = cli.home / "reference.csv"
    cli.run("usage", "--all", "--format", "csv", "--output", str(reference))
    target = cli.home / "usage.csv"
    part, checkpoint = Path(f"{target}.part"), Path(f"{target}.checkpoint")
    # Every request slowed down, so the export is still running when the first page is saved.
    big_sandbox.faults(1.0, ["latency"])
    proc = subprocess.Popen(
        cli.command("usage", "--all", "--format", "csv", "--output", str(target)),
        cwd=cli.home,
        env=cli.env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=default_signals,
    )
    try:
        deadline = time.monotonic() + 20
        while not checkpoint.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert checkpoint.exists(), "the export should save a checkpoint after its first page"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=20)
    finally:
        big_sandbox.faults(0.0)
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    assert "--resume" in stderr
    assert part.exists() and not target.exists()
    assert reference.read_bytes().startswith(part.read_bytes())

    cli.run("usage", "--all", "--format", "csv", "--output", str(target), "--resume")
    assert target.read_bytes() == reference.read_bytes()
    assert not part.exists() and not checkpoint.exists()
