from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import Bool, Money, PlanId, Request, Response, Timestamp


class Plan(Response):
    id: PlanId
    object: Literal["plan"] = "plan"
    name: str
    price: Money
    interval: Literal["month"] = "month"
    message_limit: int
    bot_limit: int
    features: list[str]


class Subscription(Response):
    id: str = Field(pattern=rules.id_pattern("subscription"))
    object: Literal["subscription"] = "subscription"
    plan: PlanId
    status: rules.SubscriptionStatus
    price: Money
    current_period_start: Timestamp
    current_period_end: Timestamp
    cancel_at_period_end: bool = False
    canceled_at: Timestamp | None = None
    default_payment_method: str | None = None


class SubscriptionPreview(Response):
    object: Literal["subscription_preview"] = "subscription_preview"
    current_plan: PlanId
    new_plan: PlanId
    is_downgrade: bool
    price_change: Money = Field(description="New monthly price minus the current one")
    proration: Money = Field(description="Charged (or credited, if negative) now")
    limits_reset: bool
    message_limit: int
    bots_paused: list[str] = Field(description="Names of the bots the change would pause")


class SubscriptionChange(Request):
    plan: PlanId


class SubscriptionCancel(Request):
    at_period_end: Bool = True


class PaymentMethod(Response):
    id: str = Field(pattern=rules.id_pattern("payment_method"))
    object: Literal["payment_method"] = "payment_method"
    brand: str
    last4: str
    exp_month: int
    exp_year: int
    is_default: bool
    created_at: Timestamp


class InvoiceLine(Response):
    description: str
    amount: Money


class Invoice(Response):
    id: str = Field(pattern=rules.id_pattern("invoice"))
    object: Literal["invoice"] = "invoice"
    number: str
    status: rules.InvoiceStatus
    period_start: Timestamp
    period_end: Timestamp
    total: Money
    lines: list[InvoiceLine]
    created_at: Timestamp
    paid_at: Timestamp | None = None


class BillingPortalSession(Response):
    object: Literal["billing_portal_session"] = "billing_portal_session"
    url: str
    expires_at: Timestamp
