from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from chathq_cli.api.common import Request, Response, Timestamp

FieldType = Literal["string", "url", "email", "secret", "enum", "bool"]


class SettingField(Response):
    name: str
    label: str
    type: FieldType
    required: bool = False
    choices: list[str] | None = None


class IntegrationType(Response):
    id: str = Field(description="The integration's name, e.g. 'slack'")
    object: Literal["integration_type"] = "integration_type"
    name: str
    description: str
    settings_schema: list[SettingField]


class Integration(Response):
    id: str = Field(pattern=r"^intg_[A-Za-z0-9]+$")
    object: Literal["integration"] = "integration"
    type: str
    status: Literal["enabled", "disabled"]
    settings: dict[str, Any] = Field(description="Secret fields are shown as '••••last4'")
    created_at: Timestamp
    updated_at: Timestamp


class IntegrationCreate(Request):
    type: str = Field(min_length=1, max_length=100)
    settings: dict[str, Any] = Field(default_factory=dict)


class IntegrationUpdate(Request):
    settings: dict[str, Any]
