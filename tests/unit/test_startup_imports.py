"""`--help`, `--version` and argument errors stay light: they import none of the heavy modules.

Each case runs `portal` in a fresh interpreter (the way the console script does) and reports
which of the watched modules ended up in sys.modules.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# What `portal --help` must never pay for (SPEC §7).
HEAVY = [
    "httpx",
    "keyring",
    "jq",
    "segno",
    "fastapi",
    "uvicorn",
    "pydantic_settings",
    "tomlkit",
    "chathq_cli.api.common",  # every wire model (api/rules.py is standard library only)
    "chathq_cli.client",
    "chathq_cli.state.settings",
    "chathq_cli.state.credentials",
    "chathq_cli.sandbox",
]

PROBE = """
import contextlib, io, json, sys
from chathq_cli.__main__ import main
sink = io.StringIO()
with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
    code = main(sys.argv[1:])
watched = json.loads({watched!r})
loaded = sorted(name for name in watched if name in sys.modules)
sys.__stdout__.write(json.dumps({{"code": code, "loaded": loaded, "output": sink.getvalue()}}))
"""


def probe(args: list[str], watched: list[str]) -> dict:
    script = PROBE.format(watched=json.dumps(watched))
    result = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["account", "--help"],
        ["account", "show", "--help"],
        ["auth", "--help"],
        ["org", "--help"],
        ["config", "--help"],
        ["usage", "--help"],
        ["sandbox", "--help"],
        ["api", "--help"],
        ["team", "--help"],
        ["team", "invite", "--help"],
        ["secrets", "--help"],
        ["integrations", "configure", "--help"],
        ["billing", "invoices", "download", "--help"],
        ["me", "--help"],
        ["me", "2fa", "enable", "--help"],
        ["completion", "--help"],
        ["help"],
        ["help", "team", "link", "create"],
        ["help", "environment"],
        ["help", "exit-codes"],
        ["help", "formatting"],
        ["help", "config"],
        ["version"],
    ],
    ids=" ".join,
)
def test_help_imports_nothing_heavy(args: list[str]) -> None:
    # Rich too: help is rendered by Typer's plain formatter (measured faster; see app.py).
    result = probe(args, [*HEAVY, "rich"])
    assert result["code"] == 0, result["output"]
    assert result["loaded"] == []


@pytest.mark.parametrize(
    "args",
    [["help"], ["help", "environment"], ["help", "team", "link", "create"], ["version"]],
    ids=" ".join,
)
def test_help_and_version_commands_parse_nothing(args: list[str]) -> None:
    # As fast as --help: Typer's option parsing would import pydantic (~80 ms).
    result = probe(args, ["pydantic"])
    assert result["code"] == 0, result["output"]
    assert result["loaded"] == []


@pytest.mark.parametrize(
    "args",
    [
        ["account", "show", "--format", "xml"],
        ["account", "list", "--no-such-flag"],
        ["acount"],
    ],
    ids=" ".join,
)
def test_argument_errors_import_nothing_heavy(args: list[str]) -> None:
    result = probe(args, HEAVY)
    assert result["code"] == 2, result["output"]
    assert result["loaded"] == []


def test_version_does_not_even_import_typer() -> None:
    result = probe(["--version"], ["typer", "rich", "click", "chathq_cli.output", *HEAVY])
    assert result["code"] == 0
    assert result["output"] == "portal 0.1.0\n"
    assert result["loaded"] == []
