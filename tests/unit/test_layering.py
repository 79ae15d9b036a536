"""The architecture holds: import-linter's contracts, only output/ prints, nobody imports Click,
and command modules keep heavy imports out of their module level."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "chathq_cli"
SOURCES = sorted(SRC.rglob("*.py"))

# Loaded inside command bodies only: `--help` and argument errors must not pay for them.
HEAVY_AT_MODULE_LEVEL = (
    "httpx",
    "keyring",
    "jq",
    "segno",
    "fastapi",
    "uvicorn",
    "rich",
    "pydantic",
    "pydantic_settings",
    "chathq_cli.api",  # but chathq_cli.api.rules: standard library only, shared values
    "chathq_cli.client",
    "chathq_cli.state.settings",
    "chathq_cli.state.credentials",
    "chathq_cli.sandbox",
)


# How a module names api/rules.py when importing it (`from chathq_cli.api import rules`).
RULES = ("chathq_cli.api.rules", "chathq_cli.api")


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def imported_names(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return []


def test_import_linter_contracts_hold() -> None:
    lint_imports = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    result = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_only_output_calls_print() -> None:
    offenders = []
    for path in SOURCES:
        if (SRC / "output") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("print", "pprint")
            ):
                offenders.append(f"{relative(path)}:{node.lineno}")
    assert offenders == []


def test_nothing_imports_click() -> None:
    # Typer vendors Click; importing the real one would tie us to a second, different copy.
    offenders = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            for name in imported_names(node):
                if name == "click" or name.startswith(("click.", "typer._click")):
                    offenders.append(f"{relative(path)}:{node.lineno} {name}")
    assert offenders == []


def _module_level_imports(tree: ast.Module) -> list[tuple[int, str]]:
    """Imports that run when the module is imported (not in functions, not TYPE_CHECKING)."""
    found: list[tuple[int, str]] = []

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                visit(node.orelse)
                continue
            found.extend((node.lineno, name) for name in imported_names(node))
            if isinstance(node, ast.If | ast.Try | ast.With):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    for child in getattr(node, field, []):
                        visit(child.body if isinstance(child, ast.ExceptHandler) else [child])

    visit(tree.body)
    return found


START_UP_PATH = [
    SRC / "__main__.py",
    *sorted((SRC / "cli").glob("*.py")),
    *sorted((SRC / "inputs").glob("*.py")),
    *sorted((SRC / "commands").rglob("*.py")),
    *sorted((SRC / "output").glob("*.py")),
]


@pytest.mark.parametrize("path", START_UP_PATH, ids=relative)
def test_start_up_modules_import_heavy_modules_lazily(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offenders = [
        f"line {line}: {name}"
        for line, name in _module_level_imports(tree)
        if name not in RULES
        and (
            name in HEAVY_AT_MODULE_LEVEL
            or name.startswith(tuple(m + "." for m in HEAVY_AT_MODULE_LEVEL))
        )
    ]
    assert offenders == []


def test_no_module_passes_400_lines() -> None:
    # SPEC §1: a module that grows past this is split by command family (STYLE.md).
    long = {
        relative(path): n for path in SOURCES if (n := len(path.read_text().splitlines())) > 400
    }
    assert long == {}


def test_commands_use_nothing_of_api_but_rules_at_run_time() -> None:
    """Commands take shared values from api/rules.py; wire models only as type annotations
    (under TYPE_CHECKING). The client hands them parsed models."""
    offenders = []
    for path in sorted((SRC / "commands").rglob("*.py")) + sorted((SRC / "cli").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        type_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in type_only or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in imported_names(node):
                shared = name in RULES or name.startswith("chathq_cli.api.rules.")
                if name.startswith("chathq_cli.api") and not shared:
                    offenders.append(f"{relative(path)}:{node.lineno} {name}")
    assert offenders == []


def test_the_environment_is_read_in_its_homes_only() -> None:
    # The frame reads variables through cli/environment.py (one snapshot per invocation);
    # settings through pydantic-settings. The boundary only sets PYDANTIC_DISABLE_PLUGINS; the
    # client's RetryPolicy.from_env serves callers of the library without a Runtime.
    homes = {"cli/environment.py", "cli/boundary.py", "state/settings.py", "client/_retry.py"}
    readers = {
        str(path.relative_to(SRC))
        for path in SOURCES
        if "os.environ" in path.read_text(encoding="utf-8") or "getenv(" in path.read_text()
    }
    assert {r for r in readers if not r.startswith("sandbox/")} <= homes
