"""commands/billing/_view.py: the text of `portal billing`, from the API's models, with no
Runtime and no server."""

from __future__ import annotations

from typing import Any

import pytest

from chathq_cli.api.billing import Invoice, PaymentMethod, Plan, SubscriptionPreview
from chathq_cli.commands.billing import _view


def _plan(plan_id: str, name: str, price: str) -> Plan:
    return Plan.model_validate(
        {
            "id": plan_id,
            "name": name,
            "price": {"amount": price},
            "message_limit": 1000,
            "bot_limit": 1,
            "features": [],
        }
    )


CATALOG = {
    "connect": _plan("connect", "Connect", "29.00"),
    "interact": _plan("interact", "Interact", "99.00"),
    "transact": _plan("transact", "Transact", "299.00"),
}


def _preview(
    current: str, new: str, change: str, proration: str, **extra: Any
) -> SubscriptionPreview:
    return SubscriptionPreview.model_validate(
        {
            "current_plan": current,
            "new_plan": new,
            "is_downgrade": change.startswith("-"),
            "price_change": {"amount": change},
            "proration": {"amount": proration},
            "limits_reset": True,
            "message_limit": 1000,
            "bots_paused": [],
            **extra,
        }
    )


CARD = PaymentMethod.model_validate(
    {
        "id": "pm_1",
        "brand": "visa",
        "last4": "4242",
        "exp_month": 3,
        "exp_year": 2028,
        "is_default": True,
        "created_at": "2026-01-02T03:04:05Z",
    }
)


def test_money_is_exact_and_signed_when_asked() -> None:
    preview = _preview("interact", "transact", "200.00", "0.0125")
    assert _view.money(preview.proration) == "$0.0125"
    assert _view.signed_money(preview.price_change) == "+$200.00"
    down = _preview("interact", "connect", "-70.00", "0.00")
    assert _view.signed_money(down.price_change) == "-$70.00"
    assert _view.signed_money(down.proration) == "$0.00"


def test_card_and_its_row() -> None:
    assert _view.card(CARD) == "visa •••• 4242 (03/2028)"
    row = _view.payment_method_row(CARD)
    assert (row["card"], row["expires"], row["id"]) == ("•••• 4242", "03/2028", "pm_1")


@pytest.mark.parametrize(
    ("proration", "today"),
    [
        ("12.34", "$12.34 charged today (prorated for the rest of the period)"),
        ("-45.67", "$45.67 credited today (prorated for the rest of the period)"),
        ("0.00", "nothing charged today"),
    ],
)
def test_preview_says_what_happens_today(proration: str, today: str) -> None:
    fields = dict(
        _view.preview_fields(_preview("interact", "connect", "-70.00", proration), CATALOG, "Acme")
    )
    assert fields["Proration"] == today
    assert fields["Plan"] == "Interact → Connect (downgrade)"
    assert fields["Price per month"] == "$99.00 → $29.00 (-$70.00)"
    assert fields["Bots paused"] == "none"


def test_preview_text_lines_up_the_labels() -> None:
    fields = _view.preview_fields(
        _preview("connect", "transact", "270.00", "1.00", limits_reset=False, message_limit=50_000),
        CATALOG,
        "Acme",
    )
    text = _view.preview_text(fields)
    assert text.splitlines()[0] == "Plan change preview:"
    assert "  Message limit    50,000 messages a month" in text
    assert "  Usage limits     unchanged" in text
    assert "  Account          Acme" in text  # values start in one column


@pytest.mark.parametrize(
    ("change", "paused", "question"),
    [
        ("-70.00", ["A", "B"], "Downgrade Acme to Connect and pause 2 bots (A, B)?"),
        ("-70.00", ["A"], "Downgrade Acme to Connect and pause 1 bot (A)?"),
        ("-70.00", [], "Downgrade Acme to Connect? Usage limits reset now."),
        ("200.00", [], "Upgrade Acme to Connect? Usage limits reset now."),
    ],
)
def test_change_question_names_what_is_paused(
    change: str, paused: list[str], question: str
) -> None:
    preview = _preview("interact", "connect", change, "0.00", bots_paused=paused)
    assert _view.change_question(preview, "Acme", "Connect") == question


def test_cancel_question_says_when_it_ends() -> None:
    now = _view.cancel_question("interact", "Acme", "2026-12-01", now=True)
    assert "now? It ends immediately" in now and "(until 2026-12-01) is lost" in now
    later = _view.cancel_question("interact", "Acme", "2026-12-01", now=False)
    assert later.startswith(
        "Cancel the interact plan of Acme at the end of the period, on 2026-12-01?"
    )


def test_invoice_lines_end_with_the_total_and_the_period_is_days() -> None:
    invoice = Invoice.model_validate(
        {
            "id": "in_1",
            "number": "ACME-0001",
            "status": "paid",
            "period_start": "2026-10-01T00:00:00Z",
            "period_end": "2026-11-01T00:00:00Z",
            "total": {"amount": "99.10"},
            "lines": [
                {"description": "Interact", "amount": {"amount": "99.00"}},
                {"description": "SMS", "amount": {"amount": "0.10"}},
            ],
            "created_at": "2026-11-01T00:00:00Z",
        }
    )
    rows = _view.invoice_lines(invoice)
    assert [row["description"] for row in rows] == ["Interact", "SMS", "Total"]
    assert rows[-1]["amount"] == {"amount": "99.10", "currency": "usd"}
    assert _view.period(invoice) == "2026-10-01 to 2026-11-01"
    summary = _view.invoice_summary(invoice)
    assert (summary["period"], summary["paid_at"]) == ("2026-10-01 to 2026-11-01", None)
    assert summary["created_at"] == "2026-11-01T00:00:00+00:00"
