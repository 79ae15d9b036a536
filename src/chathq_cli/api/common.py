"""Building blocks shared by every resource: money, lists, errors, names."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Generic, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer

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


Name = Annotated[str, AfterValidator(_check_name)]
Email = Annotated[str, AfterValidator(_check_email)]
Timestamp = datetime  # always UTC, serialised as RFC 3339 ("2026-11-22T03:09:25Z")

Role = Literal["owner", "admin", "member"]
PlanId = Literal["connect", "interact", "transact"]
Unit = Literal["sms", "calls", "chat", "numbers"]


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
