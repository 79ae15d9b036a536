from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, WithJsonSchema

from chathq_cli.api import rules
from chathq_cli.api.common import Request, Response, Timestamp

FieldType = rules.SettingType


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
    id: str = Field(pattern=rules.id_pattern("integration"))
    object: Literal["integration"] = "integration"
    type: str
    status: rules.IntegrationStatus
    settings: dict[str, Any] = Field(description="Secret fields are shown as '••••last4'")
    created_at: Timestamp
    updated_at: Timestamp


def _check_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """String settings are free text: no control characters (each type's own schema, from
    GET /v1/integration_types, says the rest)."""
    for name, value in settings.items():
        if not re.match(rules.IDENTIFIER_PATTERN, name):
            raise ValueError(f"{name!r} is not a setting name (lower case, digits, underscores)")
        if isinstance(value, str) and rules.has_control(value):
            raise ValueError(f"{name}: must not contain control characters")
    return settings


Settings = Annotated[
    dict[str, Any],
    AfterValidator(_check_settings),
    WithJsonSchema(
        {
            "type": "object",
            "description": "Values by setting name, as the type's settings_schema says; null "
            "clears an optional setting",
            "propertyNames": {"pattern": rules.IDENTIFIER_PATTERN},
            "additionalProperties": {
                "anyOf": [
                    {
                        "type": "string",
                        "maxLength": rules.SETTING_VALUE_MAX,
                        "pattern": rules.NO_CONTROL_PATTERN,
                    },
                    {"type": "boolean"},
                    {"type": "null"},
                ]
            },
        }
    ),
]


class IntegrationCreate(Request):
    type: str = Field(
        pattern=rules.IDENTIFIER_PATTERN, description="An id from GET /v1/integration_types"
    )
    settings: Settings = Field(default_factory=dict)


class IntegrationUpdate(Request):
    settings: Settings
