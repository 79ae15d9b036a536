from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import Money, Name, PlanId, Request, Response, Role, Timestamp


class Account(Response):
    id: str = Field(pattern=rules.id_pattern("account"))
    object: Literal["account"] = "account"
    org_id: str
    name: str
    plan: PlanId
    status: rules.AccountStatus = "open"
    role: Role | None = Field(default=None, description="The caller's role on this account")
    created_at: Timestamp


class AccountUpdate(Request):
    name: Name


class Package(Response):
    """What the account's package includes and how much of it is used this month."""

    object: Literal["package"] = "package"
    plan: PlanId
    name: str
    price: Money
    message_limit: int
    messages_used: int
    bot_limit: int
    bots_running: int
    bots_paused: int
    features: list[str]
    period_start: Timestamp
    limits_reset_at: Timestamp


class Dashboard(Response):
    object: Literal["dashboard"] = "dashboard"
    account_id: str
    account_name: str
    plan: PlanId
    messages_used: int
    message_limit: int
    limits_reset_at: Timestamp
    unpaid_this_month: Money
    members: int
    active_integrations: int
    bots_running: int
    bots_paused: int


class AccountClose(Request):
    confirm_name: Name = Field(description="The account's current name")
    password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX)
    totp_code: str | None = Field(default=None, max_length=rules.CODE_MAX)
