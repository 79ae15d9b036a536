"""Every usage record of a page is checked from the response's bytes, not only the first, and
comes back as the API's dict (fields added later included)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import msgspec
import pytest

from chathq_cli import errors
from chathq_cli.client._usage_pages import parse_usage_page
from support.fakes import usage_record as record


def page(records: list[dict[str, Any]]) -> httpx.Response:
    body = {"object": "list", "data": records, "has_more": True, "next_cursor": "ur_x"}
    return httpx.Response(200, content=json.dumps(body).encode())


def test_records_come_back_as_sent_with_their_cursor() -> None:
    sent = [record(n) for n in range(3)] + [record(3, region="eu")]
    records, more, cursor = parse_usage_page(page(sent))
    assert records == sent and (more, cursor) == (True, "ur_x")


@pytest.mark.parametrize("whole", [True, False], ids=["whole", "columns"])
@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"unit": "fax"}, "data.500.unit"),
        ({"quantity": "many"}, "data.500.quantity"),
        ({"amount": {"amount": "1.00", "currency": ""}}, "data.500.amount.currency"),
        ({"status": None}, "data.500.status"),
        ({"id": ""}, "data.500.id"),
        ({"description": 5}, "data.500.description"),
    ],
)
def test_a_bad_record_anywhere_in_the_page_is_an_error(
    change: dict[str, Any], where: str, whole: bool
) -> None:
    sent = [record(n) for n in range(1000)]
    sent[500] = record(500, **change)
    with pytest.raises(errors.ServerError) as caught:
        parse_usage_page(page(sent), whole=whole)
    assert f"unexpected usage records from the API: {where}: " in caught.value.message


@pytest.mark.parametrize("whole", [True, False])
def test_a_body_that_is_no_page_is_an_error(whole: bool) -> None:
    for body in (b"not json", b"[]", b'{"data": []}'):
        with pytest.raises(errors.ServerError):
            parse_usage_page(httpx.Response(200, content=body), whole=whole)


def test_records_for_fixed_columns_leave_out_unknown_fields() -> None:
    records, _, _ = parse_usage_page(page([record(0, region="eu")]), whole=False)
    assert msgspec.to_builtins(records) == [record(0)]


def test_the_page_decoders_know_the_fields_of_the_wire_model() -> None:
    # The export's decoders restate the contract for speed; a field added to or dropped from
    # api.usage.UsageRecord must be added or dropped here too, or this fails.
    from chathq_cli.api.common import Money
    from chathq_cli.api.usage import UsageRecord
    from chathq_cli.client import _usage_pages

    assert set(_usage_pages.Record.__struct_fields__) == set(UsageRecord.model_fields)
    assert set(_usage_pages.WholeRecord.__annotations__) == set(UsageRecord.model_fields)
    assert set(_usage_pages.Money.__struct_fields__) == set(Money.model_fields)
    assert set(_usage_pages.WholeMoney.__annotations__) == set(Money.model_fields)
