"""Shared pieces of the completion tests: the live command model, a spy `portal`, the cache."""

from __future__ import annotations

import importlib.util
import os
import stat
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = ROOT / "completions"


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_completions", ROOT / "scripts" / "gen_completions.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_completions"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    return load_generator()


@pytest.fixture(scope="session")
def model(gen: ModuleType):  # type: ignore[no-untyped-def]
    """The live command tree, as the generator reads it."""
    return gen.build_model()


class Spy:
    """A `portal` first on PATH that only records how it was called."""

    def __init__(self, directory: Path) -> None:
        self.bin = directory / "bin"
        self.bin.mkdir()
        self.log = directory / "spy.log"
        script = self.bin / "portal"
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{self.log}"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PATH"] = f"{self.bin}{os.pathsep}{env['PATH']}"
        return env

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


@pytest.fixture
def spy(tmp_path: Path) -> Spy:
    return Spy(tmp_path)


@pytest.fixture
def cached(config_dir: Path) -> Path:
    """A fresh cache for the default profile, with one account and one org."""
    from chathq_cli.commands import _completion_cache

    _completion_cache.store(
        config_dir,
        "default",
        {"accounts": [("acct_demo1", "Acme Sales")], "orgs": [("org_demo1", "Acme")]},
    )
    return _completion_cache.cache_path(config_dir, "default")
