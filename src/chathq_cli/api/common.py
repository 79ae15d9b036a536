"""Building blocks shared by every resource: money, lists, errors, names."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    WithJsonSchema,
)

from chathq_cli.api import rules

T = TypeVar("T")


def _as_decimal_string(value: Decimal) -> str:
    # format(..., "f") never produces exponent notation ("1E+2"), unlike str().
    return format(value, "f")


Amount = Annotated[
    Decimal,
    PlainSerializer(_as_decimal_string, return_type=str, when_used="json"),
    Field(description='Decimal amount as a string, exact in cents, e.g. "12.34"'),
]


class Response(BaseModel):
    """Base of every response body: tolerant of fields added later."""

    model_config = ConfigDict(extra="ignore")


class Request(BaseModel):
    """Base of every request body: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class Money(Response):
    amount: Amount
    currency: str = "usd"


def _check_name(value: str) -> str:
    problem = rules.name_problem(value)
    if problem:
        raise ValueError(problem)
    return value.strip()


def _check_email(value: str) -> str:
    problem = rules.email_problem(value)
    if problem:
        raise ValueError(problem)
    return value.strip().lower()


def _text_checker(max_length: int) -> AfterValidator:
    def check(value: str) -> str:
        problem = rules.text_problem(value, max_length)
        if problem:
            raise ValueError(problem)
        return value.strip()

    return AfterValidator(check)


def _text_schema(max_length: int) -> WithJsonSchema:
    # The rules are checked by the validators (with readable messages); the schema states them
    # for other readers. The pattern bounds the trimmed length: maxLength could only bound the
    # raw one, which the API does not limit.
    return WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "pattern": rules.bounded_text_pattern(max_length),
            "description": f"1-{max_length} characters after trimming spaces; no control "
            "characters (C0/C1 controls, format characters, line/paragraph separators)",
        }
    )


Name = Annotated[str, AfterValidator(_check_name), _text_schema(rules.NAME_MAX)]
Text = Annotated[str, _text_checker(rules.TEXT_MAX), _text_schema(rules.TEXT_MAX)]
TaxId = Annotated[str, _text_checker(rules.TAX_ID_MAX), _text_schema(rules.TAX_ID_MAX)]
Email = Annotated[
    str,
    AfterValidator(_check_email),
    WithJsonSchema(
        {
            # No "format": "email": validators read it as RFC 5321, stricter than the API's
            # rule (one "@", a dot in the domain, no spaces or controls), which the pattern is.
            "type": "string",
            "minLength": 5,
            "maxLength": rules.EMAIL_MAX,
            "pattern": rules.EMAIL_PATTERN,
        }
    ),
]


def _schema_without_null(schema: dict[str, Any]) -> None:
    """The field's schema as if it were not optional: `{"anyOf": [X, {"type": "null"}]}` -> X."""
    options = [option for option in schema.pop("anyOf", []) if option != {"type": "null"}]
    if len(options) == 1:
        schema.update(options[0])
    elif options:
        schema["anyOf"] = options
    schema.pop("default", None)


def _not_null(value: object) -> object:
    if value is None:
        raise ValueError("must not be null; omit the field to leave it unchanged")
    return value


T_ = TypeVar("T_")
# A field of a partial update that may be omitted but is never null: null is a 422, not "unset"
# (and not a NULL written into a NOT NULL column). The schema shows the field's own type only.
Omittable = Annotated[
    T_ | None, BeforeValidator(_not_null), Field(json_schema_extra=_schema_without_null)
]
Bool = StrictBool  # true/false only: "no", 0, 1 and "true" are 422, never coerced
Timestamp = datetime  # always UTC, serialised as RFC 3339 ("2026-11-22T03:09:25Z")

# The enumerations live in rules.py, shared with the commands; named here as well because
# every resource module takes its building blocks from this one.
Role = rules.Role
PlanId = rules.PlanId
Unit = rules.Unit


class ListResponse(Response, Generic[T]):
    """`{"object":"list","data":[...],"has_more":bool,"next_cursor":str|null}`, newest first."""

    object: Literal["list"] = "list"
    data: list[T]
    has_more: bool
    next_cursor: str | None = None


ErrorType = Literal[
    "invalid_request_error",
    "authentication_error",
    "permission_error",
    "conflict_error",
    "idempotency_error",
    "rate_limit_error",
    "api_error",
]


class ErrorDetail(Response):
    type: ErrorType
    code: str
    message: str
    param: str | None = None
    request_id: str | None = None


class ErrorResponse(Response):
    error: ErrorDetail


class Deleted(Response):
    id: str
    object: str
    deleted: Literal[True] = True
