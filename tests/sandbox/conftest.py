"""Fixtures of the sandbox's tests.

`sb`        a Sandbox driver with fresh demo data for each test (one app for the session,
            reset between tests: ~30 ms, against ~0.5 s to build and seed a new app).
`shared_sb` the same app, reset once per module, for tests that only read.
`live_url`  a real server on a loopback socket: `portal sandbox serve --port 0`, started by
            the suite's one launcher (tests/support/harness.py).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# sandbox_support sits next to this file; make it importable whatever pytest's import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sandbox_support import Sandbox, make_app

pytest.importorskip("fastapi", reason="the sandbox needs the 'sandbox' extra")


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


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real sandbox server on a loopback socket (fresh per module): the same
    launcher as the end-to-end tests (`portal sandbox serve --port 0`)."""
    from support.harness import start_sandbox

    server = start_sandbox(tmp_path_factory.mktemp("live-sandbox"))
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture
def live(live_url: str) -> Iterator[Sandbox]:
    import httpx

    with httpx.Client(base_url=live_url, timeout=10) as client:
        driver = Sandbox(client)
        driver.reset()
        yield driver
        driver.faults(0.0)
