from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import Name, Request, Response, Timestamp


class ApiKey(Response):
    id: str = Field(pattern=rules.id_pattern("api_key"))
    object: Literal["api_key"] = "api_key"
    name: str
    prefix: str
    last4: str
    status: rules.ApiKeyStatus
    created_at: Timestamp
    expires_at: Timestamp | None = None
    last_used_at: Timestamp | None = None
    secret: str | None = Field(default=None, description="Only in the create and roll responses")


class ApiKeyCreate(Request):
    name: Name
    expires_at: Timestamp | None = None


class ApiKeyRoll(Request):
    old_expires_in: int = Field(
        default=0,
        ge=0,
        le=rules.KEY_ROLL_GRACE_MAX_SECONDS,
        description="Seconds the old secret keeps working",
    )
