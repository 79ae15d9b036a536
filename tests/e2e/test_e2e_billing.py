"""`portal billing` as a real process: an invoice PDF to a piped stdout is the exact bytes
(binary-safe, no text layer between). The rest of billing runs in-process:
tests/commands/test_billing.py and test_flows_billing.py."""

from __future__ import annotations

import subprocess

import pytest

from support.harness import Cli, Sandbox

pytestmark = pytest.mark.e2e


def test_invoice_download_to_a_piped_stdout_is_the_exact_bytes(cli: Cli, sandbox: Sandbox) -> None:
    token = cli.sign_in()
    account = sandbox.get("me", token)["default_account_id"]
    first = sandbox.get(f"accounts/{account}/invoices", token)["data"][0]
    pdf = sandbox.api("GET", f"accounts/{account}/invoices/{first['id']}/pdf", token)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.content[:20]

    piped = subprocess.run(
        cli.command("billing", "invoices", "download", first["id"], "-o", "-"),
        cwd=cli.home,
        env=cli.env(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == pdf.content
