from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from chathq_cli.api import rules
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


def _check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """String settings are free text: no control characters (each type's own schema, from
    GET /v1/integration_types, says the rest)."""
    for name, value in settings.items():
        problem = rules.text_problem(name, rules.NAME_MAX)
        if problem is None and isinstance(value, str) and rules.has_control(value):
            problem = "must not contain control characters"
        if problem:
            raise ValueError(f"{name!r}: {problem}")
    return settings


Settings = Annotated[
    dict[str, Any],
    AfterValidator(_check_settings),
    Field(description="Values by setting name, as the type's settings_schema says"),
]


class IntegrationCreate(Request):
    type: str = Field(
        pattern=r"^[a-z][a-z0-9_]{0,99}$", description="An id from GET /v1/integration_types"
    )
    settings: Settings = Field(default_factory=dict)


class IntegrationUpdate(Request):
    settings: Settings
