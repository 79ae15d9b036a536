"""A page of usage records, validated straight from the response's bytes (the export's hot path).

`UsageRecord` (the pydantic model) would build an object per record and dump it back to a dict:
more CPU than the server spends sending it. Instead every record of the page is checked in one
pass over the JSON bytes and comes back as a plain dict, as `json.loads` would give it:

- each field's type, and `unit` and `status` among the API's values (api/rules.py), so a
  contract change stops the export with an error instead of writing a wrong file;
- money's currency and the IDs and times are non-empty, so a row's cells need no defaults
  (`output._machine` writes validated rows without a check per cell).

Two decoders check the same things (a test holds them to it), measured on a 1,000-record page:

- a CSV export writes fixed columns, and its page goes through msgspec into structs (0.45 us
  a record; into dicts it took 0.95 us, pydantic-core's `validate_json` 1.83 us and
  `json.loads` alone 1.7 us): at a million records that second is a sixth of the export's CPU;
- records passed on whole (JSON, TSV) go through pydantic-core, which also keeps the fields
  the API adds later (msgspec drops unknown keys of a TypedDict).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

# This module is imported by the usage paging alone, when a command pages usage records:
# its imports never weigh on start-up.
import msgspec
from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic needs this one before Python 3.12

from chathq_cli import errors
from chathq_cli.api.rules import Unit, UsageStatus

if TYPE_CHECKING:
    import httpx

# (records, has_more, next_cursor): records are dicts (whole) or `Record` structs (columns).
Page = tuple[list[Any], bool, str | None]
Code = Annotated[str, StringConstraints(min_length=1), msgspec.Meta(min_length=1)]


# --- checked by msgspec: records for fixed columns (unknown fields left out) -----------------
# Structs, not dicts: decoding into them takes half the time, and gc=False keeps a million
# of them out of the garbage collector's tracking (they hold no cycles). Read by attribute.


class Money(msgspec.Struct, gc=False):
    amount: str
    currency: Code


class Record(msgspec.Struct, gc=False):
    id: Code
    object: str
    occurred_at: Code
    unit: Unit
    quantity: int
    unit_price: Money
    amount: Money
    status: UsageStatus
    invoice: str | None
    description: str


class ListPage(msgspec.Struct, gc=False):
    data: list[Record]
    has_more: bool
    next_cursor: str | None


# --- checked by pydantic-core: the same, with fields added later kept --------------------------


class WholeMoney(TypedDict):
    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]
    amount: str
    currency: Code


class WholeRecord(TypedDict):
    __pydantic_config__ = ConfigDict(extra="allow")  # type: ignore[misc]
    id: Code
    object: str
    occurred_at: Code
    unit: Unit
    quantity: int
    unit_price: WholeMoney
    amount: WholeMoney
    status: UsageStatus
    invoice: str | None
    description: str


class WholePage(TypedDict):
    data: list[WholeRecord]
    has_more: bool
    next_cursor: str | None


@cache
def _whole_pages() -> TypeAdapter[WholePage]:
    return TypeAdapter(WholePage)


@cache
def _column_pages() -> msgspec.json.Decoder[ListPage]:
    return msgspec.json.Decoder(ListPage)


def parse_usage_page(response: httpx.Response, *, whole: bool = True) -> Page:
    """(records, has_more, next_cursor) of a page, or ServerError naming the first problem.

    `whole`: keep fields the API added beyond those known here (else they are left out).
    """
    try:
        page = _decode(response.content, whole)
    except _Invalid as exc:
        raise errors.ServerError(
            f"unexpected usage records from the API: {exc.where}: {exc.problem}",
            status=response.status_code,
            request_id=response.headers.get("Request-Id"),
        ) from None
    if whole:
        return page["data"], page["has_more"], page["next_cursor"]
    return page.data, page.has_more, page.next_cursor


class _Invalid(Exception):
    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem


def _decode(content: bytes, whole: bool) -> Any:
    if whole:
        try:
            return _whole_pages().validate_json(content)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise _Invalid(".".join(str(p) for p in first["loc"]) or "body", first["msg"]) from None
    try:
        return _column_pages().decode(content)
    except msgspec.DecodeError as exc:
        # "Expected `int`, got `str` - at `$.data[500].quantity`": the same path as pydantic's.
        problem, _, at = str(exc).partition(" - at `$")
        where = at.rstrip("`").replace("[", ".").replace("]", "").lstrip(".") or "body"
        raise _Invalid(where, problem) from None
