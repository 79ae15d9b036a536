"""Fixtures of the sandbox's tests.

`sb`        a Sandbox driver with fresh demo data for each test (one app for the session,
            reset between tests: ~30 ms, against ~0.5 s to build and seed a new app).
`shared_sb` the same app, reset once per module, for tests that only read.
`live_url`  a real server on a loopback socket: `portal sandbox serve --port 0`, or, when the
            console script is not usable, uvicorn serving `create_app` in a thread.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# sandbox_support sits next to this file; make it importable whatever pytest's import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sandbox_support import NOW, Sandbox, make_app, rfc3339

pytest.importorskip("fastapi", reason="the sandbox needs the 'sandbox' extra")

LISTENING = "portal sandbox listening on "


@pytest.fixture(scope="session")
def sandbox_app_client() -> Iterator[object]:
    from fastapi.testclient import TestClient

    # raise_server_exceptions=False: a 500 must reach the test as a response (the envelope),
    # exactly as a real client would see it.
    with TestClient(make_app(), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def shared_sb(sandbox_app_client) -> Sandbox:  # type: ignore[no-untyped-def]
    # One driver per module: `sb` resets it, which also drops its cached tokens and IDs, so
    # read-only tests sharing it never hold a token from before a reset.
    driver = Sandbox(sandbox_app_client)  # type: ignore[arg-type]
    driver.reset()
    return driver


@pytest.fixture
def sb(shared_sb: Sandbox) -> Sandbox:
    shared_sb.reset()
    return shared_sb


def _portal_command() -> list[str] | None:
    exe = Path(sys.executable).with_name("portal")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("portal")
    return [found] if found else None


def _start_portal_serve(extra: list[str]) -> tuple[subprocess.Popen[str], str] | None:
    """Start `portal sandbox serve --port 0`; None if the command is not (yet) usable."""
    cmd = _portal_command()
    if cmd is None:
        return None
    args = [*cmd, "sandbox", "serve", "--port", "0", "--seed", "demo", "--seed-value", "42"]
    args += ["--now", rfc3339(NOW), *extra]
    proc = subprocess.Popen(
        args,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 15
    seen: list[str] = []
    # readline blocks; a reader thread keeps the deadline honest if the server hangs silently.
    found: list[str] = []
    done = threading.Event()

    def read() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            if LISTENING in line:
                found.append(line.split(LISTENING, 1)[1].strip())
                done.set()
        done.set()

    threading.Thread(target=read, daemon=True).start()
    done.wait(max(0.0, deadline - time.monotonic()))
    if not found:
        proc.kill()
        proc.wait()
        sys.stderr.write("portal sandbox serve did not start:\n" + "".join(seen))
        return None
    return proc, found[0]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_url() -> Iterator[str]:
    """Base URL of a real sandbox server listening on a loopback socket (fresh per module)."""
    started = _start_portal_serve([])
    if started is not None:
        proc, url = started
        try:
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            assert proc.returncode is not None
        return

    # Fallback: the same app behind a real uvicorn server in a thread (real socket, real
    # dropped connections), until the `portal` entry point is usable.
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(make_app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def live(live_url: str) -> Iterator[Sandbox]:
    import httpx

    with httpx.Client(base_url=live_url, timeout=10) as client:
        driver = Sandbox(client)
        driver.reset()
        yield driver
        driver.faults(0.0)
