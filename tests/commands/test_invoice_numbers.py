"""`billing invoices show` and `download` take the number printed on an invoice as well as
its ID (one resolver: commands/billing/_lookup.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from support.demo import OWNER
from support.inprocess import Portal


def _invoices(portal: Portal) -> list[dict[str, Any]]:
    token = portal.sign_in(OWNER)
    account = portal.sandbox.get("me", token)["default_account_id"]
    return list(portal.sandbox.get(f"accounts/{account}/invoices?limit=100", token)["data"])


def test_show_by_number_is_the_same_invoice_as_by_id(portal: Portal) -> None:
    invoice = _invoices(portal)[3]
    assert portal.json("billing", "invoices", "show", invoice["number"]) == invoice
    # People type numbers in any case.
    assert portal.json("billing", "invoices", "show", invoice["number"].lower()) == invoice


def test_download_by_number_saves_that_invoice(
    portal: Portal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = _invoices(portal)[1]
    monkeypatch.chdir(tmp_path)
    portal.run("billing", "invoices", "download", invoice["number"], "-o", "by-number.pdf")
    portal.run("billing", "invoices", "download", invoice["id"], "-o", "by-id.pdf")
    by_number = (tmp_path / "by-number.pdf").read_bytes()
    assert by_number.startswith(b"%PDF") and by_number == (tmp_path / "by-id.pdf").read_bytes()


def test_an_unknown_number_is_not_found_naming_the_argument(portal: Portal) -> None:
    _invoices(portal)
    result = portal.run("billing", "invoices", "show", "ACME9-9999", "--json", exit_code=6)
    error = json.loads(result.stderr)["error"]
    assert error["param"] == "ID"
    assert "ACME9-9999" in error["message"]
    assert result.stdout == ""


@pytest.mark.parametrize("ref", ["in_", "in_bad id", "not a number", "../in_1"])
def test_neither_an_id_nor_a_number_is_a_usage_error_before_any_request(
    portal: Portal, ref: str
) -> None:
    # Signed out: a request would be exit 4.
    for command in ("show", "download"):
        result = portal.run(
            "billing", "invoices", command, ref, env={"PORTAL_FORMAT": "json"}, exit_code=2
        )
        assert json.loads(result.stderr)["error"]["param"] == "ID"
