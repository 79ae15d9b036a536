"""Helpers shared by the resource methods: request bodies, path segments and query values.

Each turns bad input into a UsageError naming the parameter before anything is sent, never
an exception from deep inside httpx. Text that is not valid UTF-8 (undecodable bytes in argv,
stdin or a file arrive as lone surrogates) is such input: it cannot be encoded for the wire.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
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
    check_utf8(given)
    try:
        return model.model_validate(given).model_dump(mode="json", exclude_none=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(part) for part in first["loc"]) or None
        message = first["msg"].removeprefix("Value error, ")
        raise errors.UsageError(f"invalid {param}: {message}", param=param) from None


def seg(value: str, param: str = "id") -> str:
    """One path segment, escaped so an ID can never step outside its collection."""
    check_utf8(value, param)
    return quote(value, safe="")


def date_param(value: DateLike | None, param: str = "date") -> str | None:
    """A date filter for the API: YYYY-MM-DD as given, a time as RFC 3339 in UTC (`...Z`).

    A time without an offset is taken as UTC. An impossible date, or one that leaves the
    calendar once moved to UTC (`9999-12-31T23:59:59-14:00`), is a UsageError naming `param`.
    """
    if value is None:
        return None
    try:
        if isinstance(value, str):
            check_utf8(value, param)
            text = value.strip()
            if "T" not in text.upper() and " " not in text:
                return date.fromisoformat(text).isoformat()
            value = datetime.fromisoformat(text.upper())
        if not isinstance(value, datetime):
            return value.isoformat()
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    except (ValueError, OverflowError):
        raise errors.UsageError(
            f"invalid {param}: expected YYYY-MM-DD or an RFC 3339 time within years 1-9999",
            param=param,
        ) from None


def check_utf8(value: Any, param: str | None = None) -> None:
    """UsageError naming the first string in `value` (nested dicts/lists too) that cannot be
    sent as UTF-8; `param` names `value` itself, the dict keys name what is inside it."""
    where = _undecodable(value, param or "")
    if where is not None:
        # The name may hold the undecodable bytes itself (a dict key): show them escaped.
        name = (where or "value").encode("utf-8", "backslashreplace").decode("utf-8")
        raise errors.UsageError(
            f"invalid {name}: the text is not valid UTF-8 (undecodable bytes in the input)",
            param=name,
        )


def _undecodable(value: Any, path: str) -> str | None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            found = _undecodable(key, inner) if isinstance(key, str) else None
            found = found if found is not None else _undecodable(item, inner)
            if found is not None:
                return found
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _undecodable(item, f"{path}[{index}]" if path else f"[{index}]")
            if found is not None:
                return found
    return None
