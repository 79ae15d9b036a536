"""Helpers of the completion tests: where the scripts are, the generator, a spy `portal`."""

from __future__ import annotations

import importlib.util
import os
import socket
import stat
import sys
from pathlib import Path
from types import ModuleType

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


class Spy:
    """A `portal` first on PATH that only records how it was called (and then, with
    `blocks_on`, does not end until that file exists)."""

    def __init__(self, directory: Path, blocks_on: Path | None = None) -> None:
        self.bin = directory / "bin"
        self.bin.mkdir(parents=True)
        self.log = directory / "spy.log"
        script = self.bin / "portal"
        wait = f'until [ -e "{blocks_on}" ]; do sleep 0.1; done\n' if blocks_on else ""
        script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$*" >> "{self.log}"\n{wait}')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PATH"] = f"{self.bin}{os.pathsep}{env['PATH']}"
        return env

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines() if self.log.exists() else []


class RealPortal:
    """`portal` first on PATH that is the real CLI, run with the `cli` fixture's environment
    (its sandbox, HOME, config dir and keyring file); `host` points it elsewhere."""

    def __init__(self, directory: Path, env: dict[str, str]) -> None:
        self.bin = directory / "real-bin"
        self.bin.mkdir()
        script = self.bin / "portal"
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m chathq_cli "$@"\n')
        script.chmod(script.stat().st_mode | stat.S_IXUSR)
        self._env = env

    def env(self) -> dict[str, str]:
        env = dict(self._env)
        env["PATH"] = f"{self.bin}{os.pathsep}{env['PATH']}"
        return env


def silent_port() -> tuple[socket.socket, str]:
    """A loopback port that accepts connections and never answers, and its URL."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    return server, f"http://127.0.0.1:{server.getsockname()[1]}"
