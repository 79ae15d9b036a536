"""The models of an account file (SPEC §9): the shape `portal plan` and `apply` read, and the
JSON Schema `portal export --schema` prints (docs/portal-config.schema.json).

A document, not a request: it lives with the wire models because it is pydantic, which the
start-up path loads only when a command needs it. Reading files, positions and what the models
cannot know (which accounts exist, the integration catalogue) are in inputs/account_file.py.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StrictBool

from chathq_cli.api import rules
from chathq_cli.api.common import Name


def _email(value: str) -> str:
    problem = rules.email_problem(value)
    if problem:
        raise ValueError(problem)
    # The API compares addresses lower-cased; so does the plan.
    return value.lower()


def _setting_value(value: str | bool) -> str | bool:
    if isinstance(value, str) and rules.has_control(value):
        raise ValueError("must not contain control characters")
    return value


Email = Annotated[str, AfterValidator(_email), Field(max_length=rules.EMAIL_MAX)]
AccountId = Annotated[str, Field(pattern=rules.id_pattern("account"))]
Identifier = Annotated[str, Field(pattern=rules.IDENTIFIER_PATTERN)]
SettingValue = Annotated[
    str | StrictBool,
    AfterValidator(_setting_value),
    Field(
        description="A value, or ${VAR} (required for secret settings): read from the environment"
    ),
]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class IntegrationSpec(_Part):
    enabled: StrictBool = True
    settings: dict[Identifier, SettingValue] = Field(
        default_factory=dict,
        description="The catalogue's settings of this type (portal integrations catalog); "
        "secret settings only as ${VAR}",
    )


class ApiKeySpec(_Part):
    expires_at: AwareDatetime | None = Field(
        default=None, description="Applies when the key is created; roll the key to change it"
    )


class AccountSpec(_Part):
    """One account. A section present is the whole truth for it; a section absent is not
    managed."""

    name: Name | None = None
    members: dict[Email, rules.Role] | None = Field(
        default=None, description="E-mail: role; pending invitations count as members"
    )
    integrations: dict[Identifier, IntegrationSpec] | None = Field(
        default=None, description="Integration type: enabled and settings"
    )
    api_keys: dict[Name, ApiKeySpec | None] | None = Field(
        default=None, description="Key name: {expires_at: TIME} or {} (no expiry); never a secret"
    )

    def managed(self) -> tuple[str, ...]:
        """The sections written in the file, in the order of SECTIONS (the fields' order)."""
        return tuple(name for name in type(self).model_fields if getattr(self, name) is not None)


class AccountFile(_Part):
    """An account file of `portal plan` and `portal apply`, as `portal export` writes it."""

    model_config = ConfigDict(
        extra="forbid",
        title="portal account file",
        json_schema_extra={"$schema": "https://json-schema.org/draft/2020-12/schema"},
    )

    version: Literal[1]
    accounts: dict[AccountId, AccountSpec] = Field(description="Accounts by ID")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the file, for editors (checked in as docs/portal-config.schema.json)."""
    return AccountFile.model_json_schema()
