"""Fixtures of the completion tests: the live command model, a spy `portal`, a fresh cache."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

# shells_support sits next to this file; make it importable whatever pytest's import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from shells_support import RealPortal, Spy, load_generator

from support.harness import Cli, Sandbox


@pytest.fixture(autouse=True)
def _no_leftover_output() -> Iterator[None]:
    """An in-process run leaves its Output (writing to the run's buffers) as the current one;
    later tests that report through the boundary without a run of their own would write there."""
    yield
    from chathq_cli import output
    from chathq_cli.cli import environment

    output.set_current(None)
    environment.set_current(None)


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="session")
def model(gen: ModuleType):  # type: ignore[no-untyped-def]
    """The live command tree, as the generator reads it."""
    return gen.build_model()


@pytest.fixture
def spy(tmp_path: Path) -> Spy:
    return Spy(tmp_path)


@pytest.fixture
def cached(cache_dir: Path) -> Path:
    """A fresh cache for the default profile, with one account and one org."""
    from chathq_cli.state import completion_cache as _completion_cache

    _completion_cache.store(
        cache_dir,
        "default",
        {"accounts": [("acct_demo1", "Acme Sales")], "orgs": [("org_demo1", "Acme")]},
    )
    return _completion_cache.cache_path(cache_dir, "default")


@pytest.fixture
def signed_in(cli: Cli, tmp_path: Path) -> RealPortal:
    """The real `portal`, signed in to the sandbox as the demo owner, with no cache yet."""
    cli.login()
    return RealPortal(tmp_path, cli.env())


@pytest.fixture
def open_accounts(sandbox: Sandbox) -> list[str]:
    """The IDs of the accounts the demo owner can use (what `account use` offers)."""
    token = sandbox.sign_in()
    return sorted(a["id"] for a in sandbox.accounts(token) if a["status"] != "closed")
