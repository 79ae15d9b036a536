"""`portal` in a shell pipeline: a reader that stops early, and bytes that are not UTF-8."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from support.harness import Cli


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_a_closed_pipe_is_not_a_failure(cli: Cli, fmt: str) -> None:
    cli.sign_in()
    portal = shlex.join(cli.command("usage", "--all", "--format", fmt))
    proc = subprocess.run(
        ["bash", "-o", "pipefail", "-c", f"{portal} | head -1"],
        env=cli.env(),
        cwd=cli.home,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1
    assert proc.stderr == ""


def test_stdin_that_is_not_utf8_is_bad_input(cli: Cli) -> None:
    proc = subprocess.run(
        cli.command("auth", "login", "--email", "owner@demo.chathq.test", "--password-stdin"),
        env=cli.env(),
        cwd=cli.home,
        input=b"\xff\xfe\xfa\n",
        capture_output=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), lines
    assert "password" in lines[0]
