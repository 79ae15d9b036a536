from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api.common import Email, Name, PlanId, Request, Response, Role, Timestamp


class Org(Response):
    id: str = Field(pattern=r"^org_[A-Za-z0-9]+$")
    object: Literal["org"] = "org"
    name: str
    legal_name: str | None = None
    billing_email: str | None = None
    address: str | None = None
    tax_id: str | None = None
    role: Role | None = Field(default=None, description="The caller's highest role in the org")
    created_at: Timestamp


class OrgCreate(Request):
    name: Name


class OrgUpdate(Request):
    name: Name | None = None
    legal_name: Name | None = None
    billing_email: Email | None = None
    address: str | None = Field(default=None, max_length=500)
    tax_id: str | None = Field(default=None, max_length=50)


class AccountCreate(Request):
    name: Name
    plan: PlanId = "connect"
