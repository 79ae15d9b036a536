from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import Amount, Money, Response, Timestamp, Unit

UsageStatus = rules.UsageStatus
GroupBy = rules.GroupBy


class UsagePrice(Response):
    object: Literal["usage_price"] = "usage_price"
    unit: Unit
    unit_price: Money
    per: Literal["message", "minute", "turn", "month"]
    description: str


class UsageRecord(Response):
    id: str = Field(pattern=rules.id_pattern("usage_record"))
    object: Literal["usage_record"] = "usage_record"
    occurred_at: Timestamp
    unit: Unit
    quantity: int
    unit_price: Money
    amount: Money
    status: UsageStatus
    invoice: str | None = None
    description: str


class UsageSummaryRow(Response):
    unit: Unit | None = None
    period: str | None = Field(default=None, description="YYYY-MM-DD (day, week start) or YYYY-MM")
    count: int
    quantity: int
    amount: Amount
    paid_amount: Amount
    unpaid_amount: Amount


class UsageTotal(Response):
    count: int
    amount: Amount
    paid_amount: Amount
    unpaid_amount: Amount


class UsageSummary(Response):
    object: Literal["usage_summary"] = "usage_summary"
    currency: str = "usd"
    data: list[UsageSummaryRow]
    total: UsageTotal
