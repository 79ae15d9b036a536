"""Text shared by the billing commands: money, cards, days, the plan-change preview and the
questions asked before a change. Plain functions of the API's models, tested without a
Runtime (tests/unit/test_billing_view.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chathq_cli.api.billing import Invoice, PaymentMethod, Plan, SubscriptionPreview


def money(value: Any) -> str:
    from chathq_cli.output import format_money

    return format_money(str(value.amount), value.currency)


def signed_money(value: Any) -> str:
    text = money(value)
    return text if text.startswith("-") or value.amount == 0 else "+" + text


def card(method: PaymentMethod) -> str:
    return f"{method.brand} •••• {method.last4} ({method.exp_month:02d}/{method.exp_year})"


def day(moment: Any) -> str:
    return f"{moment:%Y-%m-%d}"


def period(invoice: Invoice) -> str:
    return f"{day(invoice.period_start)} to {day(invoice.period_end)}"


def payment_method_row(method: PaymentMethod) -> dict[str, Any]:
    row = method.model_dump(mode="json")
    row["card"] = f"•••• {method.last4}"
    row["expires"] = f"{method.exp_month:02d}/{method.exp_year}"
    return row


def invoice_summary(invoice: Invoice) -> dict[str, Any]:
    """What `invoices show` puts above the lines, for people."""
    return {
        "id": invoice.id,
        "number": invoice.number,
        "status": invoice.status,
        "period": period(invoice),
        "created_at": invoice.created_at.isoformat(),
        "paid_at": invoice.paid_at.isoformat() if invoice.paid_at else None,
    }


def invoice_lines(invoice: Invoice) -> list[dict[str, Any]]:
    """The invoice's lines, then its total, as rows of description and amount."""
    lines: list[dict[str, Any]] = [
        {"description": line.description, "amount": line.amount.model_dump(mode="json")}
        for line in invoice.lines
    ]
    lines.append({"description": "Total", "amount": invoice.total.model_dump(mode="json")})
    return lines


def preview_fields(
    preview: SubscriptionPreview, catalog: dict[str, Plan], account_name: str
) -> list[tuple[str, str]]:
    """The preview for people: (label, text), every amount exactly as the server sent it."""
    old, new = catalog[preview.current_plan], catalog[preview.new_plan]
    proration = preview.proration
    if proration.amount > 0:
        today = f"{money(proration)} charged today (prorated for the rest of the period)"
    elif proration.amount < 0:
        credit = proration.model_copy(update={"amount": -proration.amount})
        today = f"{money(credit)} credited today (prorated for the rest of the period)"
    else:
        today = "nothing charged today"
    direction = "downgrade" if preview.is_downgrade else "upgrade"
    bots = ", ".join(preview.bots_paused) if preview.bots_paused else "none"
    return [
        ("Account", account_name),
        ("Plan", f"{old.name} → {new.name} ({direction})"),
        (
            "Price per month",
            f"{money(old.price)} → {money(new.price)} ({signed_money(preview.price_change)})",
        ),
        ("Proration", today),
        ("Message limit", f"{preview.message_limit:,} messages a month"),
        (
            "Usage limits",
            "reset now (this month's message count starts again from 0)"
            if preview.limits_reset
            else "unchanged",
        ),
        ("Bots paused", bots),
    ]


def preview_text(fields: list[tuple[str, str]]) -> str:
    width = max(len(label) for label, _ in fields)
    return "Plan change preview:\n" + "\n".join(
        f"  {label:<{width}}  {value}" for label, value in fields
    )


def change_question(preview: SubscriptionPreview, account_name: str, target: str) -> str:
    if preview.is_downgrade and preview.bots_paused:
        count = len(preview.bots_paused)
        bots = "bot" if count == 1 else "bots"
        return (
            f"Downgrade {account_name} to {target} and pause {count} {bots} "
            f"({', '.join(preview.bots_paused)})?"
        )
    verb = "Downgrade" if preview.is_downgrade else "Upgrade"
    return f"{verb} {account_name} to {target}? Usage limits reset now."


def cancel_question(plan: str, account_name: str, ends: str, *, now: bool) -> str:
    if now:
        return (
            f"Cancel the {plan} plan of {account_name} now? It ends immediately: its monthly "
            f"message allowance, bots and features stop now, and the rest of the paid "
            f"period (until {ends}) is lost."
        )
    return (
        f"Cancel the {plan} plan of {account_name} at the end of the period, on {ends}? "
        "Everything keeps working until then."
    )
