"""The harness itself: the sandbox it starts, its controls, and the `cli` runner's contract."""

from __future__ import annotations

import pytest

from support.harness import OWNER, SANDBOX_NOW, Cli, Sandbox

pytestmark = pytest.mark.e2e


def test_sandbox_serves_the_demo_data(sandbox: Sandbox) -> None:
    assert sandbox.url.startswith("http://127.0.0.1:")
    token = sandbox.sign_in(OWNER)
    me = sandbox.get("me", token)
    assert me["email"] == OWNER
    names = {account["name"] for account in sandbox.accounts(token)}
    assert len(names) >= 2, names


def test_reset_restores_the_demo_data(sandbox: Sandbox) -> None:
    token = sandbox.sign_in(OWNER)
    account = sandbox.get("me", token)["default_account_id"]
    before = sandbox.get(f"accounts/{account}", token)["name"]
    renamed = sandbox.api("PATCH", f"accounts/{account}", token, json={"name": "Renamed Here"})
    assert renamed.status_code == 200, renamed.text
    sandbox.reset()
    token = sandbox.sign_in(OWNER)
    account = sandbox.get("me", token)["default_account_id"]
    assert sandbox.get(f"accounts/{account}", token)["name"] == before


def test_clock_faults_and_outbox_controls(sandbox: Sandbox) -> None:
    sandbox.clock(SANDBOX_NOW)
    assert isinstance(sandbox.outbox(), list)
    sandbox.faults(1.0, ["error_before"], seed=3)
    assert sandbox.api("GET", "plans").status_code == 503
    sandbox.faults(0.0)
    assert sandbox.api("GET", "plans").status_code in (200, 401)


def test_cli_runs_portal_in_a_clean_environment(cli: Cli) -> None:
    result = cli.run("--version")
    assert result.stdout.startswith("portal ")
    env = cli.env()
    assert env["PORTAL_HOST"] == cli.sandbox.url
    assert env["PORTAL_CONFIG_DIR"] == str(cli.config_dir)
    assert not any(
        key.startswith("PORTAL_") for key in set(env) - {"PORTAL_HOST", "PORTAL_CONFIG_DIR"}
    )
    assert "PORTAL_HOST" not in cli.env({"PORTAL_HOST": None})


def test_cli_reports_an_unexpected_exit_code_with_its_output(cli: Cli) -> None:
    with pytest.raises(pytest.fail.Exception) as failure:
        cli.run("--version", exit_code=3)
    message = str(failure.value)
    assert "expected exit code 3" in message
    assert "exit code: 0" in message
    assert "--- stdout ---\nportal " in message
