"""`portal billing`: plan changes, cancellation, payment methods, invoices, PDFs and the hosted
page, run in-process against the real sandbox, with the server's state checked after each
change. Money is compared with the server's JSON as Decimal, never float.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from chathq_cli.client._billing import is_whole_pdf as is_pdf
from chathq_cli.commands.billing._checks import check_plan
from chathq_cli.commands.billing.downloads import safe_file_name
from chathq_cli.output import format_money
from support.demo import ADMIN, MEMBER, OUTSIDER, OWNER, SANDBOX_NOW
from support.harness import Sandbox, assert_one_line_error
from support.inprocess import Portal

RETRIES = {"PORTAL_RETRY_ATTEMPTS": "12", "PORTAL_RETRY_MAX_DELAY": "0.05"}


class Owner:
    """The demo owner's default account (Acme Support: Interact, four bots), as the API sees it."""

    def __init__(self, portal: Portal) -> None:
        self.sandbox: Sandbox = portal.sandbox
        self.token = portal.sign_in(OWNER)
        self.account = self.sandbox.get("me", self.token)["default_account_id"]

    def get(self, path: str) -> Any:
        return self.sandbox.get(f"accounts/{self.account}/{path}", self.token)

    def subscription(self) -> dict[str, Any]:
        return dict(self.get("subscription"))

    def preview(self, plan: str) -> dict[str, Any]:
        return dict(self.get(f"subscription/preview?plan={plan}"))

    def methods(self) -> list[dict[str, Any]]:
        return list(self.get("payment_methods")["data"])

    def invoices(self) -> list[dict[str, Any]]:
        return list(self.get("invoices?limit=1000")["data"])

    def dashboard(self) -> dict[str, Any]:
        return dict(self.get("dashboard"))

    def state(self) -> tuple[Any, ...]:
        """Everything a billing command could change, to show that a failure changed nothing."""
        return (self.subscription(), self.methods(), self.dashboard()["bots_paused"])


@pytest.fixture
def owner(portal: Portal) -> Owner:
    return Owner(portal)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current directory: downloads without -o land here."""
    where = tmp_path / "work"
    where.mkdir()
    monkeypatch.chdir(where)
    return where


def _expected_proration(price_change: str, now: str) -> Decimal:
    """The portal's rule: the monthly price change times the part of the month still to come,
    rounded half-up to the cent (computed here independently of the server)."""
    moment = datetime.fromisoformat(now.replace("Z", "+00:00"))
    start = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(month=start.month % 12 + 1, year=start.year + start.month // 12)
    remaining = Decimal((end - moment).total_seconds()) / Decimal((end - start).total_seconds())
    cents = (Decimal(price_change) * 100 * remaining).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return cents / 100


# --------------------------------------------------------------------------------------------
# change-plan


def test_dry_run_of_a_downgrade_is_the_servers_preview_and_changes_nothing(
    portal: Portal, owner: Owner
) -> None:
    before = owner.state()
    preview = portal.json("billing", "change-plan", "connect", "--dry-run")
    assert preview == owner.preview("connect")
    # A downgrade: the price change and the proration are negative, exact to the cent.
    assert Decimal(preview["price_change"]["amount"]) == Decimal("-70.00")
    assert Decimal(preview["proration"]["amount"]) == _expected_proration("-70.00", SANDBOX_NOW)
    assert Decimal(preview["proration"]["amount"]) < 0
    assert preview["bots_paused"] == ["Order status", "Returns helper", "After-hours desk"]
    assert owner.state() == before


def test_preview_for_people_shows_every_figure_exactly(portal: Portal, owner: Owner) -> None:
    expected = owner.preview("connect")
    result = portal.run("billing", "change-plan", "connect", "--dry-run", tty=True)
    credit = format_money(-Decimal(expected["proration"]["amount"]))
    assert "Interact → Connect (downgrade)" in result.stdout
    assert "$99.00 → $29.00 (-$70.00)" in result.stdout
    assert f"{credit} credited today" in result.stdout
    assert "1,000 messages a month" in result.stdout
    assert "reset now" in result.stdout
    assert "Order status, Returns helper, After-hours desk" in result.stdout
    assert "nothing was changed" in result.stderr


def test_preview_piped_gives_plain_decimals(portal: Portal, owner: Owner) -> None:
    expected = owner.preview("transact")
    lines = portal.run("billing", "change-plan", "transact", "--dry-run").stdout.splitlines()
    fields = dict(line.split("\t", 1) for line in lines)
    assert fields["Price change per month"] == expected["price_change"]["amount"] == "200.00"
    assert fields["Proration today"] == expected["proration"]["amount"]
    assert fields["Bots paused"] == ""
    assert fields["Limits reset now"] == "true"


@pytest.mark.parametrize(
    ("now", "plan", "change"),
    [
        ("2026-11-21T06:00:00Z", "transact", "200.00"),
        ("2026-11-30T23:59:00Z", "connect", "-70.00"),
        ("2026-12-01T00:00:00Z", "connect", "-70.00"),
    ],
)
def test_proration_follows_the_sandbox_clock(
    portal: Portal, owner: Owner, now: str, plan: str, change: str
) -> None:
    owner.sandbox.clock(now)
    preview = portal.json("billing", "change-plan", plan, "--dry-run")
    assert preview == owner.preview(plan)
    assert Decimal(preview["price_change"]["amount"]) == Decimal(change)
    assert Decimal(preview["proration"]["amount"]) == _expected_proration(change, now)


def test_downgrade_with_yes_applies_resets_limits_and_pauses_bots(
    portal: Portal, owner: Owner
) -> None:
    assert owner.dashboard()["messages_used"] > 0
    result = portal.run("billing", "change-plan", "connect", "--yes", "--json")
    assert result.json() == owner.subscription()
    assert owner.subscription()["plan"] == "connect"
    dashboard = owner.dashboard()
    assert dashboard["messages_used"] == 0
    assert dashboard["message_limit"] == 1000
    assert (dashboard["bots_running"], dashboard["bots_paused"]) == (1, 3)
    assert "Plan change preview" in result.stderr  # the preview is always shown first
    assert "paused: Order status, Returns helper, After-hours desk" in result.stderr


def test_confirmation_names_the_pause_and_accepting_applies(portal: Portal, owner: Owner) -> None:
    result = portal.run("billing", "change-plan", "connect", tty=True, stdin="y\n")
    assert "Downgrade Acme Support to Connect and pause 3 bots (Order status" in result.stderr
    assert owner.subscription()["plan"] == "connect"


def test_upgrade_asks_too_and_declining_changes_nothing(portal: Portal, owner: Owner) -> None:
    before = owner.state()
    result = portal.run("billing", "change-plan", "transact", tty=True, stdin="n\n", exit_code=3)
    assert "Upgrade Acme Support to Transact?" in result.stderr
    assert owner.state() == before


@pytest.mark.parametrize(
    ("tty", "env"), [(False, {}), (True, {"PORTAL_NO_PROMPT": "1"})], ids=["piped", "no-prompt"]
)
def test_without_a_terminal_yes_is_required(
    portal: Portal, owner: Owner, tty: bool, env: dict[str, str]
) -> None:
    before = owner.state()
    result = portal.run("billing", "change-plan", "connect", tty=tty, env=env, exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    assert owner.state() == before


def test_the_same_plan_is_a_no_op(portal: Portal, owner: Owner) -> None:
    before = owner.state()
    result = portal.run("billing", "change-plan", "Interact")
    assert "already on the interact plan; nothing to change" in result.stderr
    assert result.stdout == ""
    assert owner.state() == before


def test_an_unknown_plan_lists_the_plans(portal: Portal, owner: Owner) -> None:
    result = portal.run("billing", "change-plan", "enterprise", "--yes", exit_code=2)
    line = assert_one_line_error(result, mentions="PLAN")
    assert "connect, interact, transact" in line


def test_change_plan_on_a_canceled_subscription_is_a_conflict(portal: Portal, owner: Owner) -> None:
    portal.run("billing", "cancel", "--now", "--yes")
    result = portal.run("billing", "change-plan", "transact", "--yes", exit_code=7)
    assert_one_line_error(result, mentions="canceled")
    assert owner.subscription()["plan"] == "interact"


# --------------------------------------------------------------------------------------------
# cancel


def test_cancel_at_period_end_shows_the_date(portal: Portal, owner: Owner) -> None:
    end = owner.subscription()["current_period_end"][:10]
    assert end == "2026-12-01"
    result = portal.run("billing", "cancel", tty=True, stdin="y\n")
    assert f"at the end of the period, on {end}?" in result.stderr
    sub = owner.subscription()
    assert (sub["status"], sub["cancel_at_period_end"]) == ("active", True)
    # Asking again changes nothing and says so.
    again = portal.run("billing", "cancel", "--yes")
    assert f"already ends on {end}" in again.stderr


def test_cancel_now_says_what_is_lost(portal: Portal, owner: Owner) -> None:
    result = portal.run("billing", "cancel", "--now", tty=True, stdin="yes\n")
    assert "ends immediately" in result.stderr and "is lost" in result.stderr
    sub = owner.subscription()
    assert sub["status"] == "canceled" and sub["canceled_at"] is not None
    again = portal.run("billing", "cancel", "--now", "--yes", exit_code=7)
    assert_one_line_error(again, mentions="already canceled")


def test_cancel_declined_or_unconfirmed_changes_nothing(portal: Portal, owner: Owner) -> None:
    before = owner.state()
    portal.run("billing", "cancel", "--now", tty=True, stdin="n\n", exit_code=3)
    assert_one_line_error(portal.run("billing", "cancel", exit_code=2), mentions="--yes")
    assert owner.state() == before


def test_cancel_json_is_the_subscription(portal: Portal, owner: Owner) -> None:
    result = portal.run("billing", "cancel", "--yes", "--json")
    assert result.json() == owner.subscription()
    assert result.json()["cancel_at_period_end"] is True


# --------------------------------------------------------------------------------------------
# payment methods


def test_payment_methods_list(portal: Portal, owner: Owner) -> None:
    assert portal.json("billing", "payment-methods") == owner.methods()
    lines = portal.run("billing", "payment-methods").stdout.splitlines()
    assert lines[0].split("\t")[:5] == ["ID", "Brand", "Card", "Expires", "Default"]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    for method in owner.methods():
        row = rows[method["id"]]
        assert row[2] == f"•••• {method['last4']}"
        assert row[4] == ("true" if method["is_default"] else "false")


def test_set_default_moves_the_default(portal: Portal, owner: Owner) -> None:
    other = next(m for m in owner.methods() if not m["is_default"])
    result = portal.run("billing", "payment-methods", "set-default", other["id"], "--json")
    assert result.json()["id"] == other["id"] and result.json()["is_default"] is True
    defaults = [m["id"] for m in owner.methods() if m["is_default"]]
    assert defaults == [other["id"]]
    assert owner.subscription()["default_payment_method"] == other["id"]


def test_remove_a_card_after_confirmation(portal: Portal, owner: Owner) -> None:
    other = next(m for m in owner.methods() if not m["is_default"])
    result = portal.run("billing", "payment-methods", "remove", other["id"], tty=True, stdin="y\n")
    assert f"Remove {other['brand']} •••• {other['last4']}" in result.stderr
    assert other["id"] not in [m["id"] for m in owner.methods()]


def test_remove_declined_keeps_the_card(portal: Portal, owner: Owner) -> None:
    before = owner.state()
    other = next(m for m in owner.methods() if not m["is_default"])
    portal.run(
        "billing", "payment-methods", "remove", other["id"], tty=True, stdin="\n", exit_code=3
    )
    assert owner.state() == before


def test_removing_the_default_while_others_exist_is_refused(portal: Portal, owner: Owner) -> None:
    before = owner.state()
    default = next(m for m in owner.methods() if m["is_default"])
    other = next(m for m in owner.methods() if not m["is_default"])
    result = portal.run("billing", "payment-methods", "remove", default["id"], "--yes", exit_code=7)
    assert_one_line_error(result, mentions="default")
    assert f"set-default {other['id']}" in result.stderr  # the hint names the next step
    assert owner.state() == before


def test_removing_the_only_card_warns_and_works(portal: Portal, owner: Owner) -> None:
    default = next(m for m in owner.methods() if m["is_default"])
    other = next(m for m in owner.methods() if not m["is_default"])
    portal.run("billing", "payment-methods", "remove", other["id"], "--yes")
    result = portal.run(
        "billing", "payment-methods", "remove", default["id"], tty=True, stdin="y\n"
    )
    assert "only payment method" in result.stderr
    assert owner.methods() == []
    assert owner.subscription()["default_payment_method"] is None
    empty = portal.run("billing", "payment-methods")
    assert "portal billing portal" in empty.stderr


# --------------------------------------------------------------------------------------------
# invoices


def test_invoices_list_matches_the_server(portal: Portal, owner: Owner) -> None:
    expected = owner.invoices()
    assert len(expected) == 12
    assert portal.json("billing", "invoices") == expected
    assert portal.json("billing", "invoices", "--limit", "2") == expected[:2]
    assert portal.json("billing", "invoices", "--all", "--status", "paid") == expected
    assert portal.json("billing", "invoices", "--status", "open") == []
    since = expected[2]["created_at"][:10]
    assert portal.json("billing", "invoices", "--since", since) == expected[:3]
    lines = portal.run("billing", "invoices", "--limit", "1").stdout.splitlines()
    row = dict(zip(lines[0].split("\t"), lines[1].split("\t"), strict=True))
    assert row["Total"] == expected[0]["total"]["amount"]
    assert row["Period"] == (
        f"{expected[0]['period_start'][:10]} to {expected[0]['period_end'][:10]}"
    )


def test_invoice_show_lines_and_total_are_exact(portal: Portal, owner: Owner) -> None:
    invoice = owner.invoices()[0]
    assert portal.json("billing", "invoices", "show", invoice["id"]) == invoice
    lines = portal.run("billing", "invoices", "show", invoice["id"]).stdout.splitlines()
    assert lines[0].split("\t") == [
        "Invoice",
        "Number",
        "Description",
        "Amount",
        "Amount currency",
    ]
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[2] for r in rows] == [line["description"] for line in invoice["lines"]] + ["Total"]
    amounts = [Decimal(r[3]) for r in rows]
    assert amounts[:-1] == [Decimal(line["amount"]["amount"]) for line in invoice["lines"]]
    assert amounts[-1] == Decimal(invoice["total"]["amount"]) == sum(amounts[:-1])
    screen = portal.run("billing", "invoices", "show", invoice["id"], tty=True).stdout
    assert format_money(invoice["total"]["amount"]) in screen
    assert invoice["number"] in screen


def test_invoice_show_as_csv(portal: Portal, owner: Owner) -> None:
    invoice = owner.invoices()[0]
    out = portal.run("billing", "invoices", "show", invoice["id"], "--format", "csv").stdout
    assert out.splitlines()[0] == "invoice,number,description,amount.amount,amount.currency"
    assert (
        out.splitlines()[-1]
        == f"{invoice['id']},{invoice['number']},Total,{invoice['total']['amount']},usd"
    )


# --------------------------------------------------------------------------------------------
# downloads


def _pdf_from_server(owner: Owner, invoice_id: str) -> tuple[bytes, str]:
    response = owner.sandbox.api(
        "GET", f"accounts/{owner.account}/invoices/{invoice_id}/pdf", owner.token
    )
    assert response.status_code == 200
    return response.content, response.headers["Content-Disposition"]


def test_download_uses_the_servers_file_name(portal: Portal, owner: Owner, workdir: Path) -> None:
    invoice = owner.invoices()[0]
    content, disposition = _pdf_from_server(owner, invoice["id"])
    assert f'filename="{invoice["number"]}.pdf"' in disposition
    result = portal.run("billing", "invoices", "download", invoice["id"])
    saved = workdir / f"{invoice['number']}.pdf"
    assert saved.read_bytes() == content and is_pdf(content)
    assert sorted(os.listdir(workdir)) == [saved.name]
    assert str(saved.name) in result.stderr


def test_download_refuses_to_overwrite_without_force(
    portal: Portal, owner: Owner, workdir: Path
) -> None:
    invoice = owner.invoices()[0]
    target = workdir / "mine.pdf"
    target.write_bytes(b"keep me")
    result = portal.run(
        "billing", "invoices", "download", invoice["id"], "-o", "mine.pdf", exit_code=2
    )
    assert_one_line_error(result, mentions="--force")
    assert target.read_bytes() == b"keep me"
    # The server's default name too, found only after the download: still refused, nothing left.
    default = workdir / f"{invoice['number']}.pdf"
    default.write_bytes(b"old")
    result = portal.run("billing", "invoices", "download", invoice["id"], exit_code=2)
    assert_one_line_error(result, mentions="--force")
    assert default.read_bytes() == b"old"
    portal.run("billing", "invoices", "download", invoice["id"], "-o", "mine.pdf", "--force")
    assert target.read_bytes() == _pdf_from_server(owner, invoice["id"])[0]
    assert sorted(os.listdir(workdir)) == sorted(["mine.pdf", default.name])


def test_download_all_fetches_only_what_is_missing(
    portal: Portal, owner: Owner, workdir: Path
) -> None:
    invoices = owner.invoices()
    result = portal.run("billing", "invoices", "download", "--all", "-o", "pdfs", tty=True)
    names = sorted(f"{inv['number']}.pdf" for inv in invoices)
    assert sorted(os.listdir(workdir / "pdfs")) == names
    assert "Downloaded 12 invoice(s)" in result.stderr
    (workdir / "pdfs" / names[0]).unlink()
    (workdir / "pdfs" / names[1]).write_bytes(b"edited")
    result = portal.run("billing", "invoices", "download", "--all", "-o", "pdfs")
    assert "Downloaded 1 invoice(s)" in result.stderr and "11 already there" in result.stderr
    assert (workdir / "pdfs" / names[1]).read_bytes() == b"edited"
    for invoice in invoices:
        path = workdir / "pdfs" / f"{invoice['number']}.pdf"
        if path.name != names[1]:
            assert path.read_bytes() == _pdf_from_server(owner, invoice["id"])[0]
    again = portal.run("billing", "invoices", "download", "--all", "-o", "pdfs")
    assert "Nothing to download" in again.stderr
    portal.run("billing", "invoices", "download", "--all", "-o", "pdfs", "--force")
    assert is_pdf((workdir / "pdfs" / names[1]).read_bytes())


def test_a_pdf_through_error_after_faults_is_whole_or_absent(
    portal: Portal, owner: Owner, workdir: Path
) -> None:
    invoice = owner.invoices()[0]
    content = _pdf_from_server(owner, invoice["id"])[0]
    # Half the faults drop the connection half-way through the body, half answer 500.
    owner.sandbox.faults(0.5, kinds=["error_after"], seed=7)
    outcomes = []
    for n in range(8):
        for retries in (RETRIES, {"PORTAL_RETRY_ATTEMPTS": "1"}):
            name = f"{n}-{retries['PORTAL_RETRY_ATTEMPTS']}.pdf"
            result = portal.run(
                "billing",
                "invoices",
                "download",
                invoice["id"],
                "-o",
                name,
                env=retries,
                exit_code=None,
            )
            outcomes.append(result.code)
            if result.code == 0:
                assert (workdir / name).read_bytes() == content
            else:
                assert result.code == 1, result.describe()
                assert_one_line_error(result)
                assert not (workdir / name).exists()
            assert not list(workdir.glob("*.part"))
    owner.sandbox.faults(0.0)
    # With retries every download ends whole; without, some fail (cleanly): both paths ran.
    assert all(code == 0 for code in outcomes[::2])
    assert 1 in outcomes[1::2]


def test_download_interrupted_leaves_no_file(
    portal: Portal, owner: Owner, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    invoice = owner.invoices()[0]
    real_fsync = os.fsync

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    result = portal.run(
        "billing", "invoices", "download", invoice["id"], "-o", "a.pdf", exit_code=130
    )
    assert "Traceback" not in result.stderr
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert os.listdir(workdir) == []


# --------------------------------------------------------------------------------------------
# the hosted billing page


def test_portal_print_url(portal: Portal, owner: Owner) -> None:
    url = portal.run("billing", "portal", "--print-url", tty=True).stdout.strip()
    assert url.startswith(f"{owner.sandbox.url}/billing/portal/")
    piped = portal.run("billing", "portal").stdout.strip()  # not a terminal: printed too
    assert piped.startswith(f"{owner.sandbox.url}/billing/portal/") and piped != url
    session = portal.json("billing", "portal")
    assert session["url"].startswith(f"{owner.sandbox.url}/billing/portal/")


@pytest.mark.parametrize("opens", [True, False])
def test_portal_opens_the_browser_or_prints_the_link(
    portal: Portal, owner: Owner, monkeypatch: pytest.MonkeyPatch, opens: bool
) -> None:
    import webbrowser

    opened: list[str] = []

    def fake_open(url: str, new: int = 0) -> bool:
        opened.append(url)
        return opens

    monkeypatch.setattr(webbrowser, "open", fake_open)
    result = portal.run("billing", "portal", tty=True)
    assert len(opened) == 1 and opened[0].startswith(f"{owner.sandbox.url}/billing/portal/")
    if opens:
        assert result.stdout == "" and "Opened the billing page" in result.stderr
    else:
        assert result.stdout.strip() == opened[0] and "Could not open a browser" in result.stderr


# --------------------------------------------------------------------------------------------
# owner only


OWNER_ONLY = [
    ("billing", "show"),
    ("billing", "change-plan", "connect", "--yes"),
    ("billing", "change-plan", "transact", "--dry-run"),
    ("billing", "cancel", "--yes"),
    ("billing", "payment-methods"),
    ("billing", "payment-methods", "set-default", "pm_123abc"),
    ("billing", "payment-methods", "remove", "pm_123abc", "--yes"),
    ("billing", "invoices"),
    ("billing", "invoices", "show", "in_123abc"),
    ("billing", "invoices", "download", "in_123abc", "-o", "x.pdf"),
    ("billing", "invoices", "download", "--all", "-o", "pdfs"),
    ("billing", "portal", "--print-url"),
]


@pytest.mark.parametrize("email", [ADMIN, MEMBER])
def test_admins_and_members_are_refused_naming_the_owner_role(
    portal: Portal, owner: Owner, email: str, workdir: Path
) -> None:
    before = owner.state()
    portal.sign_in(email)
    for args in OWNER_ONLY:
        result = portal.run(*args, exit_code=5)
        assert_one_line_error(result, mentions="owner role")
        assert result.stdout == ""
    assert owner.state() == before
    assert list(workdir.iterdir()) == []  # not even the --all directory


def test_api_keys_are_refused(portal: Portal, owner: Owner) -> None:
    created = owner.sandbox.api(
        "POST", f"accounts/{owner.account}/api_keys", owner.token, json={"name": "ci"}
    )
    assert created.status_code == 201, created.text
    key = created.json()["secret"]
    for args in OWNER_ONLY[:3] + OWNER_ONLY[4:5] + OWNER_ONLY[7:8]:
        result = portal.run(*args, env={"PORTAL_TOKEN": key}, exit_code=5)
        assert_one_line_error(result, mentions="API keys")
        assert key not in result.stderr


# --------------------------------------------------------------------------------------------
# bad input: one line, the right code, no change, no file


def _other_accounts_invoice(portal: Portal) -> str:
    sandbox = portal.sandbox
    token = sandbox.sign_in(OUTSIDER)
    account = sandbox.get("me", token)["default_account_id"]
    return str(sandbox.get(f"accounts/{account}/invoices?limit=1", token)["data"][0]["id"])


BAD_INPUT: list[tuple[tuple[str, ...], int, str | None]] = [
    (("change-plan", "gold", "--yes"), 2, "PLAN"),
    (("change-plan", "", "--yes"), 2, "PLAN"),
    (("change-plan", "connect\x1b[2J", "--yes"), 2, "PLAN"),
    (("change-plan", "x" * 10_000, "--dry-run"), 2, "PLAN"),
    (("change-plan", "conn ect", "--yes"), 2, "PLAN"),
    (("payment-methods", "set-default", ""), 2, "ID"),
    (("payment-methods", "set-default", "card_4242"), 2, "ID"),
    (("payment-methods", "set-default", "pm_../../x"), 2, "ID"),
    (("payment-methods", "set-default", "pm_a\x00b"), 2, "ID"),
    (("payment-methods", "set-default", "pm_" + "a" * 5000), 2, "ID"),
    (("payment-methods", "set-default", "pm_doesnotexist"), 6, None),
    (("payment-methods", "remove", "in_123abc", "--yes"), 2, "ID"),
    (("payment-methods", "remove", "pm_doesnotexist", "--yes"), 6, None),
    (("invoices", "show", ""), 2, "ID"),
    (("invoices", "show", "pm_123abc"), 2, "ID"),
    (("invoices", "show", "in_doesnotexist"), 6, None),
    (("invoices", "--status", "unpaid"), 2, "--status"),
    (("invoices", "--since", "2026-13-01"), 2, "--since"),
    (("invoices", "--since", "a-while-ago"), 2, "--since"),
    (("invoices", "--limit", "0"), 2, "--limit"),
    (("invoices", "--limit", "-5"), 2, "--limit"),
    (("invoices", "--limit", "99999999999"), 2, "--limit"),
    (("invoices", "--limit", "5", "--all"), 2, "--limit"),
    (("invoices", "--limit", "many"), 2, "--limit"),
    (("invoices", "download"), 2, "ID"),
    (("invoices", "download", "in_123abc", "--all", "-o", "pdfs"), 2, "--all"),
    (("invoices", "download", "--all"), 2, "--output"),
    (("invoices", "download", "--all", "-o", "-"), 2, "--output"),
    (("invoices", "download", "--all", "-o", "a-file"), 2, "--output"),
    (("invoices", "download", "--all", "-o", "missing/pdfs"), 2, "--output"),
    (("invoices", "download", "in_doesnotexist", "-o", "x.pdf"), 6, None),
    (("invoices", "download", "in_123abc", "-o", "a-dir"), 2, "--output"),
    (("invoices", "download", "in_123abc", "-o", "missing/x.pdf"), 2, "--output"),
    (("invoices", "download", "in_123abc", "-o", "a-file"), 2, "--force"),
    (("invoices", "download", "in_123abc", "-o", ""), 2, "--output"),
    (("cancel", "--now"), 2, "--yes"),
    (("payment-methods", "remove", "pm_123abc"), 2, "--yes"),
]


@pytest.mark.parametrize(
    ("args", "code", "mentions"),
    BAD_INPUT,
    ids=lambda v: repr(v)[:40] if isinstance(v, tuple) else None,
)
def test_bad_input(
    portal: Portal,
    owner: Owner,
    workdir: Path,
    args: tuple[str, ...],
    code: int,
    mentions: str | None,
) -> None:
    (workdir / "a-dir").mkdir()
    (workdir / "a-file").write_bytes(b"precious")
    before = owner.state()
    result = portal.run("billing", *args, exit_code=code)
    assert_one_line_error(result, mentions=mentions)
    assert result.stdout == ""
    assert owner.state() == before
    assert sorted(p.name for p in workdir.iterdir()) == ["a-dir", "a-file"]
    assert (workdir / "a-file").read_bytes() == b"precious"
    assert list((workdir / "a-dir").iterdir()) == []


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("change-plan", "gold", "--yes"), "PLAN"),
        (("change-plan", "--yes"), "PLAN"),  # missing: named as in the usage line too
        (("invoices", "show", "pm_123abc"), "ID"),
        (("invoices", "show"), "ID"),
        (("payment-methods", "set-default", "card_4242"), "ID"),
        (("payment-methods", "set-default"), "ID"),
        (("payment-methods", "remove", "--yes"), "ID"),
        (("invoices", "--limit", "0"), "--limit"),
        (("invoices", "--limit", "many"), "--limit"),
        (("invoices", "--status", "unpaid"), "--status"),
        (("invoices", "--since", "a-while-ago"), "--since"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, tuple) else None,
)
def test_json_errors_name_what_the_user_typed(
    portal: Portal, owner: Owner, args: tuple[str, ...], param: str
) -> None:
    result = portal.run("billing", *args, "--json", exit_code=2)
    error = json.loads(result.stderr)["error"]  # one JSON object and nothing else
    assert (error["type"], error["param"]) == ("usage_error", param)
    assert param in error["message"]
    assert result.stdout == ""


def test_another_accounts_invoice_is_not_found(portal: Portal, owner: Owner, workdir: Path) -> None:
    foreign = _other_accounts_invoice(portal)
    portal.sign_in(OWNER)
    for args in (("show", foreign), ("download", foreign), ("download", foreign, "-o", "x.pdf")):
        result = portal.run("billing", "invoices", *args, exit_code=6)
        assert_one_line_error(result)
    assert os.listdir(workdir) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only directories")
def test_an_unwritable_directory_is_refused_before_any_request(
    portal: Portal, owner: Owner, tmp_path: Path
) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = portal.run(
        "billing", "invoices", "download", "in_123abc", "-o", str(locked / "x.pdf"), exit_code=2
    )
    assert_one_line_error(result, mentions="--output")


# --------------------------------------------------------------------------------------------
# faults


def test_plan_changes_and_default_cards_under_30_percent_faults_apply_once(
    portal: Portal, owner: Owner
) -> None:
    methods = [m["id"] for m in owner.methods()]
    plans = ["transact", "connect", "interact", "connect", "transact"]
    owner.sandbox.faults(0.3, seed=11)
    expected_plan, expected_default = "interact", None
    runs = []
    for n in range(20):
        if n % 2 == 0:
            expected_plan = plans[(n // 2) % len(plans)]
            args = ("billing", "change-plan", expected_plan, "--yes", "--debug")
        else:
            expected_default = methods[(n // 2) % len(methods)]
            args = ("billing", "payment-methods", "set-default", expected_default, "--debug")
        runs.append(portal.run(*args, env=RETRIES))
    assert any("retrying" in run.stderr for run in runs), (
        "no fault was met: the test proves nothing"
    )
    owner.sandbox.faults(0.0)
    assert owner.subscription()["plan"] == expected_plan
    assert [m["id"] for m in owner.methods() if m["is_default"]] == [expected_default]
    assert len(owner.methods()) == 2


# --------------------------------------------------------------------------------------------
# pure checks


@pytest.mark.parametrize(
    ("suggested", "expected"),
    [
        ("ACME1-0012.pdf", "ACME1-0012.pdf"),
        ("../../etc/passwd", "passwd"),
        ("/etc/cron.d/evil", "evil"),
        ("C:\\Windows\\x.pdf", "x.pdf"),
        (".bashrc", "bashrc"),
        ("..", "in_1.pdf"),
        ("a\x1b[31mb.pdf", "a_[31mb.pdf"),
        ("a\u202egpj.pdf", "a_gpj.pdf"),  # no right-to-left override to disguise the suffix
        ('what?<>:|*".pdf', "what_______.pdf"),
        ("résumé.pdf", "résumé.pdf"),
        ("  ", "in_1.pdf"),
        (None, "in_1.pdf"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
        ("a" * 300, "a" * 200),
    ],
)
def test_the_servers_file_name_is_made_safe(suggested: str | None, expected: str) -> None:
    assert safe_file_name(suggested, "in_1.pdf") == expected


def test_checks() -> None:
    assert check_plan(" Transact ") == "transact"
    assert is_pdf(b"%PDF-1.4\n...\n%%EOF\n")
    assert not is_pdf(b"%PDF-1.4\n... truncated")
    assert not is_pdf(b"<html>")
