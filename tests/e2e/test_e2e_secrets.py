"""`portal secrets` in a real shell: the capture `KEY=$(portal secrets add ci)` that CI scripts
rely on gets the secret alone. The rest runs in-process: tests/commands/test_flows_secrets.py."""

from __future__ import annotations

import shlex
import subprocess

import pytest

from support.harness import OWNER, Cli

pytestmark = pytest.mark.e2e


def _account(cli: Cli, token: str) -> str:
    return str(cli.sandbox.get("me", token)["default_account_id"])


def test_shell_capture_gets_only_the_secret(cli: Cli) -> None:
    token = cli.sign_in(OWNER)
    account = _account(cli, token)
    command = shlex.join(cli.command("secrets", "add", "ci"))
    script = f'KEY=$({command}) || exit 9; printf "[%s]" "$KEY"'
    proc = subprocess.run(
        ["bash", "-c", script],
        env=cli.env(),
        cwd=cli.home,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    secret = proc.stdout.removeprefix("[").removesuffix("]")
    assert secret.startswith("sk_") and "\n" not in secret and " " not in secret
    assert "will not be shown again" in proc.stderr and secret not in proc.stderr
    assert cli.sandbox.api("GET", f"accounts/{account}", secret).status_code == 200
