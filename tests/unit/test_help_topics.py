"""The help topics cannot drift from the code: every variable read is in `portal help
environment` (with the defaults the code has), every exit code in `portal help exit-codes`,
and the bug-report URL is pyproject's."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from chathq_cli import ISSUES_URL
from chathq_cli.commands.help import _topics
from chathq_cli.errors import ExitCode

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "chathq_cli"
NAME = re.compile(r"^[A-Z][A-Z0-9_]+$")
# Calls whose first argument is the name of a variable they read.
READERS = {"variable", "is_true", "get", "getenv"}
# Set by portal for itself, not read from the user: pydantic's plugin scan is switched off.
NOT_READ = {"PYDANTIC_DISABLE_PLUGINS"}


def _documented() -> set[str]:
    names: set[str] = set()
    for name, _, _ in (*_topics.PORTAL_VARIABLES, *_topics.STANDARD_VARIABLES):
        names.update(part.strip() for part in name.split(","))
    return names


def variables_read_in(source: str) -> set[str]:
    """Names passed to variable()/is_true()/environ.get()/getenv(), and ENV_* constants."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in READERS and isinstance(first, ast.Constant):
                found.add(str(first.value))
        elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if any(t.startswith("ENV_") for t in targets):
                found.add(str(node.value.value))
    return {name for name in found if NAME.match(name)} - NOT_READ


def test_the_scan_finds_what_a_reader_reads() -> None:
    source = 'variable("PORTAL_X")\nos.environ.get("PAGER")\nENV_Y = "PORTAL_Y"\nd.get("key")'
    assert variables_read_in(source) == {"PORTAL_X", "PAGER", "PORTAL_Y"}


def test_every_variable_the_code_reads_is_in_the_environment_topic() -> None:
    from chathq_cli.state.settings import Settings

    read = {f"PORTAL_{field.upper()}" for field in Settings.model_fields}
    for path in SRC.rglob("*.py"):
        if "sandbox" not in path.relative_to(SRC).parts:
            read |= variables_read_in(path.read_text(encoding="utf-8"))
    assert "PORTAL_RETRY_ATTEMPTS" in read  # the scan reaches client/_retry.py
    assert read - _documented() == set()
    text = _topics.environment()
    assert all(name in text for name in read)


def test_the_environment_topic_gives_the_defaults_the_code_has() -> None:
    from chathq_cli.client import RetryPolicy
    from chathq_cli.state.config_file import DEFAULT_HOST
    from chathq_cli.state.settings import Settings

    defaults = {name: default for name, _, default in _topics.PORTAL_VARIABLES}
    policy = RetryPolicy()
    assert defaults["PORTAL_RETRY_ATTEMPTS"] == f"{policy.attempts}"
    assert defaults["PORTAL_RETRY_TOTAL_TIMEOUT"] == f"{policy.total_timeout:g}"
    assert defaults["PORTAL_RETRY_MAX_DELAY"] == f"{policy.max_delay:g}"
    keyring_timeout = Settings.model_fields["keyring_timeout"].default
    assert defaults["PORTAL_KEYRING_TIMEOUT"] == f"{keyring_timeout:g}"
    assert DEFAULT_HOST in defaults["PORTAL_HOST"]


def test_every_exit_code_has_its_meaning() -> None:
    assert set(_topics.EXIT_CODE_MEANINGS) == {code.name for code in ExitCode}
    lines = _topics.exit_codes().splitlines()
    for code in ExitCode:
        assert any(re.match(rf"^ *{int(code)}  \S", line) for line in lines), code


@pytest.mark.parametrize("name", ["environment", "exit-codes", "formatting"])
def test_topics_fit_a_terminal(name: str) -> None:
    assert all(len(line) <= 100 for line in _topics.TOPICS[name]().splitlines())


def test_the_bug_report_url_is_pyprojects() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["urls"]["Issues"] == ISSUES_URL
