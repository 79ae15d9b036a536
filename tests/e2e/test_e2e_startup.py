"""Start-up path of the installed `portal` entry point (SPEC §7): help never imports the heavy
modules, `--version` never imports Typer. Measured with Python's own import-time log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.harness import base_env

pytestmark = pytest.mark.e2e

PORTAL = Path(sys.executable).parent / "portal"
HEAVY = ("httpx", "keyring", "jq", "segno", "fastapi", "chathq_cli.api.common", "pydantic_settings")


def _imported_modules(
    *args: str, tmp_path: Path
) -> tuple[set[str], subprocess.CompletedProcess[str]]:
    """Run the console script with PYTHONPROFILEIMPORTTIME (= -X importtime); list its imports."""
    env = base_env() | {
        "HOME": str(tmp_path),
        "PORTAL_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHONPROFILEIMPORTTIME": "1",
        "NO_COLOR": "1",
        "COLUMNS": "100",
    }
    proc = subprocess.run(
        [str(PORTAL), *args], env=env, capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    modules = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                modules.add(name)
    return modules, proc


def _top_level(modules: set[str]) -> set[str]:
    return modules | {m.split(".")[0] for m in modules}


@pytest.fixture(autouse=True)
def _needs_the_entry_point() -> None:
    if not os.access(PORTAL, os.X_OK):
        pytest.skip(f"the portal console script is not installed at {PORTAL}")


@pytest.mark.parametrize(
    "args", [("--help",), ("account", "--help"), ("auth", "--help"), ("account", "show", "--help")]
)
def test_help_imports_no_heavy_module(args: tuple[str, ...], tmp_path: Path) -> None:
    modules, proc = _imported_modules(*args, tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "typer" in _top_level(modules), "the import-time log is empty: measurement broken"
    assert "Usage" in proc.stdout
    leaked = {h for h in HEAVY if h in _top_level(modules) or h in modules}
    assert not leaked, f"`portal {' '.join(args)}` imported {sorted(leaked)}"


def test_version_does_not_import_typer(tmp_path: Path) -> None:
    modules, proc = _imported_modules("--version", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.startswith("portal ")
    assert modules, "the import-time log is empty: measurement broken"
    assert not ({"typer", "rich", "httpx", "keyring"} & _top_level(modules))


def test_help_lists_the_command_groups(tmp_path: Path) -> None:
    _, proc = _imported_modules("--help", tmp_path=tmp_path)
    for group in ("auth", "org", "account", "config", "api"):
        assert group in proc.stdout


def test_argument_errors_import_no_heavy_module(tmp_path: Path) -> None:
    modules, proc = _imported_modules("account", "show", "--format", "xml", tmp_path=tmp_path)
    assert proc.returncode == 2, proc.stderr[-3000:]
    leaked = {h for h in ("httpx", "keyring", "jq", "segno", "fastapi") if h in _top_level(modules)}
    assert not leaked, f"a usage error imported {sorted(leaked)}"
