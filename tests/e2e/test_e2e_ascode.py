"""Accounts as code as a real process: what a CI job sees. `portal plan`'s exit code 9 reaches
the shell, and apply without a terminal refuses until given --yes. The rest runs in-process:
tests/commands/test_ascode.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.harness import Cli, Sandbox

pytestmark = pytest.mark.e2e


def test_drift_is_exit_9_and_apply_on_merge_makes_plan_clean(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    cli.sign_in()
    path = tmp_path / "portal.yaml"
    cli.run("export", "-o", str(path), exit_code=0)
    cli.run("plan", "-f", str(path), exit_code=0)
    edited = path.read_text().replace("sam@demo.chathq.test: member", "sam@demo.chathq.test: admin")
    path.write_text(edited)
    drift = cli.run("plan", "-f", str(path), exit_code=9)
    assert "~ sam@demo.chathq.test: member -> admin" in drift.stdout
    refused = cli.run("apply", "-f", str(path), exit_code=2)
    assert "--yes" in refused.stderr
    cli.run("apply", "-f", str(path), "--yes", exit_code=0)
    cli.run("plan", "-f", str(path), exit_code=0)
