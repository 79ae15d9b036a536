"""Stand-ins shared by unit tests of the client: a clock that only moves when the client
sleeps, and usage records as the API sends them."""

from __future__ import annotations

from typing import Any


class FakeTime:
    """A monotonic clock that only moves when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def usage_record(n: int, **changes: Any) -> dict[str, Any]:
    """The n-th usage record of a page, as JSON; `changes` replace fields."""
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
