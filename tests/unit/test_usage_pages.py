"""Every usage record of a page is checked from the response's bytes, not only the first, and
comes back as the API's dict (fields added later included)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from chathq_cli import errors
from chathq_cli.client._usage_pages import parse_usage_page


def record(n: int, **changes: Any) -> dict[str, Any]:
    money = {"amount": "0.01", "currency": "usd"}
    base = {
        "id": f"ur_{n:08d}",
        "object": "usage_record",
        "occurred_at": "2026-11-01T00:00:00Z",
        "unit": "sms",
        "quantity": 1,
        "unit_price": money,
        "amount": money,
        "status": "paid",
        "invoice": None,
        "description": "SMS",
    }
    return base | changes


def page(records: list[dict[str, Any]]) -> httpx.Response:
    body = {"object": "list", "data": records, "has_more": True, "next_cursor": "ur_x"}
    return httpx.Response(200, content=json.dumps(body).encode())


def test_records_come_back_as_sent_with_their_cursor() -> None:
    sent = [record(n) for n in range(3)] + [record(3, region="eu")]
    records, more, cursor = parse_usage_page(page(sent))
    assert records == sent and (more, cursor) == (True, "ur_x")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"unit": "fax"}, "data.500.unit"),
        ({"quantity": "many"}, "data.500.quantity"),
        ({"amount": {"amount": "1.00", "currency": ""}}, "data.500.amount.currency"),
        ({"status": None}, "data.500.status"),
    ],
)
def test_a_bad_record_anywhere_in_the_page_is_an_error(change: dict[str, Any], where: str) -> None:
    sent = [record(n) for n in range(1000)]
    sent[500] = record(500, **change)
    with pytest.raises(errors.ServerError) as caught:
        parse_usage_page(page(sent))
    assert where in caught.value.message
