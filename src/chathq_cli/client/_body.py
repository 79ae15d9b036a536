"""Helpers shared by the resource methods: request bodies and path segments."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from chathq_cli import errors

if TYPE_CHECKING:
    from chathq_cli.api.common import Request

DateLike = str | date | datetime


def body(model: type[Request], **fields: Any) -> dict[str, Any]:
    """The JSON body for `model` built from `fields` (None = not given), validated locally.

    Bad input fails here as a UsageError naming the field, before anything is sent.
    """
    from pydantic import ValidationError

    given = {k: v for k, v in fields.items() if v is not None}
    try:
        return model.model_validate(given).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(part) for part in first["loc"]) or None
        message = first["msg"].removeprefix("Value error, ")
        raise errors.UsageError(f"invalid {param}: {message}", param=param) from None


def seg(value: str) -> str:
    """One path segment, escaped so an ID can never step outside its collection."""
    return quote(value, safe="")


def date_param(value: DateLike | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.isoformat()
