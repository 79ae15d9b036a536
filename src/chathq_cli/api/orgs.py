from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import (
    Email,
    Name,
    Omittable,
    PlanId,
    Request,
    Response,
    Role,
    TaxId,
    Text,
    Timestamp,
)


class Org(Response):
    id: str = Field(pattern=rules.id_pattern("org"))
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
    """Omitted fields keep their value; null clears an optional field (never the name)."""

    name: Omittable[Name] = None
    legal_name: Name | None = None
    billing_email: Email | None = None
    address: Text | None = None
    tax_id: TaxId | None = None


class AccountCreate(Request):
    name: Name
    plan: PlanId = "connect"
