"""Text shared by the billing commands: money, cards, days."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chathq_cli.api.billing import PaymentMethod


def _money(value: Any) -> str:
    from chathq_cli.output import format_money

    return format_money(str(value.amount), value.currency)


def _signed_money(value: Any) -> str:
    text = _money(value)
    return text if text.startswith("-") or value.amount == 0 else "+" + text


def _card(method: PaymentMethod) -> str:
    return f"{method.brand} •••• {method.last4} ({method.exp_month:02d}/{method.exp_year})"


def _day(moment: Any) -> str:
    return f"{moment:%Y-%m-%d}"
