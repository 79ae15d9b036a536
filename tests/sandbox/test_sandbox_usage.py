"""Usage: exact money arithmetic, and the summary equal to the sum of the detail for every
filter and grouping (hypothesis draws random windows and filters)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_support import NOW, PRICES, Sandbox, err, ok, parse_time, rfc3339

UNITS = ("sms", "calls", "chat", "numbers")
PER = {"sms": "message", "calls": "minute", "chat": "turn", "numbers": "month"}
MONTH_START = NOW.replace(day=1, hour=0)


@pytest.fixture(scope="module")
def records(shared_sb: Sandbox) -> list[dict[str, Any]]:
    return shared_sb.walk(f"/v1/accounts/{shared_sb.ids.support}/usage_records", limit=1000)


def test_prices_are_the_documented_ones(shared_sb: Sandbox) -> None:
    body = ok(shared_sb.get("/v1/usage_prices"), 200)
    rows = body["data"] if isinstance(body, dict) else body
    assert {r["unit"]: Decimal(r["unit_price"]["amount"]) for r in rows} == PRICES
    assert {r["unit"]: r["per"] for r in rows} == PER
    assert all(r["unit_price"]["currency"] == "usd" for r in rows)


def test_every_amount_is_quantity_times_price_exactly(records: list[dict[str, Any]]) -> None:
    assert records
    for r in records:
        assert r["id"].startswith("ur_")
        price = Decimal(r["unit_price"]["amount"])
        assert price == PRICES[r["unit"]], r
        assert isinstance(r["quantity"], int) and r["quantity"] >= 1, r
        assert Decimal(r["amount"]["amount"]) == r["quantity"] * price, r
        assert Decimal(r["amount"]["amount"]) == Decimal(r["amount"]["amount"]).quantize(
            Decimal("0.01")
        )
        assert r["amount"]["currency"] == "usd"


def test_ninety_days_earlier_months_paid_this_month_unpaid(records: list[dict[str, Any]]) -> None:
    times = [parse_time(r["occurred_at"]) for r in records]
    assert NOW - timedelta(days=91) <= min(times) <= NOW - timedelta(days=80)
    assert max(times) <= NOW
    for r, t in zip(records, times, strict=True):
        expected = "unpaid" if t >= MONTH_START else "paid"
        assert r["status"] == expected, r
        assert (r["invoice"] is not None) == (expected == "paid"), r
    assert {r["unit"] for r in records} == set(UNITS)


def test_records_are_newest_first(records: list[dict[str, Any]]) -> None:
    keys = [parse_time(r["occurred_at"]) for r in records]
    assert keys == sorted(keys, reverse=True)
    assert len({r["id"] for r in records}) == len(records)


# --- summary == sum of detail --------------------------------------------------------------


def _period(when: datetime, group_by: str) -> str:
    day = when.date()
    if group_by == "day":
        return day.isoformat()
    if group_by == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    return f"{day.year:04d}-{day.month:02d}"


def _zero() -> dict[str, Any]:
    return {
        "count": 0,
        "quantity": 0,
        "amount": Decimal(0),
        "paid": Decimal(0),
        "unpaid": Decimal(0),
    }


def check_summary(sb: Sandbox, params: list[tuple[str, str]], group_by: str) -> None:
    a = sb.ids.support
    detail = sb.walk(f"/v1/accounts/{a}/usage_records", params=params, limit=1000)
    summary = ok(
        sb.get(f"/v1/accounts/{a}/usage_summary", params=[*params, ("group_by", group_by)]), 200
    )
    assert summary["object"] == "usage_summary"
    rows = summary["data"]
    # With a time grouping the server may split each period by unit too; group the detail alike.
    by_unit_too = group_by == "unit" or any(r.get("unit") for r in rows)

    def key(r: dict[str, Any]) -> tuple[str | None, str | None]:
        t = parse_time(r["occurred_at"])
        return (
            r["unit"] if by_unit_too else None,
            None if group_by == "unit" else _period(t, group_by),
        )

    expected: dict[tuple[str | None, str | None], dict[str, Any]] = defaultdict(_zero)
    for r in detail:
        e = expected[key(r)]
        amount = Decimal(r["amount"]["amount"])
        e["count"] += 1
        e["quantity"] += r["quantity"]
        e["amount"] += amount
        e["paid" if r["status"] == "paid" else "unpaid"] += amount

    got: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    for row in rows:
        k = (row.get("unit") if by_unit_too else None, row.get("period"))
        assert k not in got, f"duplicate summary row {k}"
        got[k] = {
            "count": row["count"],
            "quantity": row["quantity"],
            "amount": Decimal(row["amount"]),
            "paid": Decimal(row["paid_amount"]),
            "unpaid": Decimal(row["unpaid_amount"]),
        }
        assert got[k]["paid"] + got[k]["unpaid"] == got[k]["amount"], row
    nonzero = {k: v for k, v in got.items() if v["count"]}
    assert nonzero == dict(expected), (params, group_by)

    total = summary["total"]
    assert total["count"] == len(detail)
    assert Decimal(total["amount"]) == sum((e["amount"] for e in expected.values()), Decimal(0))
    assert Decimal(total["paid_amount"]) == sum((e["paid"] for e in expected.values()), Decimal(0))
    assert Decimal(total["unpaid_amount"]) == sum(
        (e["unpaid"] for e in expected.values()), Decimal(0)
    )


FILTERS = [
    [],
    *[[("unit", u)] for u in UNITS],
    [("unit", "sms"), ("unit", "calls")],
    [("unit", "chat"), ("unit", "numbers")],
    [("status", "paid")],
    [("status", "unpaid")],
    [("unit", "sms"), ("status", "unpaid")],
    [("since", "2026-11-01")],
    [("until", "2026-11-01")],
    [("since", "2026-09-15"), ("until", "2026-10-15")],
    [("since", "2026-10-01T06:30:00Z"), ("until", "2026-10-31T18:00:00Z")],
    [("since", "2026-11-01"), ("status", "paid")],
]


@pytest.mark.parametrize("group_by", ["unit", "day", "week", "month"])
@pytest.mark.parametrize(
    "params", FILTERS, ids=lambda p: "&".join(f"{k}={v}" for k, v in p) or "all"
)
def test_summary_equals_detail(shared_sb: Sandbox, params: list, group_by: str) -> None:
    check_summary(shared_sb, params, group_by)


def test_summary_default_groups_by_unit(shared_sb: Sandbox) -> None:
    a = shared_sb.ids.support
    default = ok(shared_sb.get(f"/v1/accounts/{a}/usage_summary"))
    by_unit = ok(shared_sb.get(f"/v1/accounts/{a}/usage_summary", params={"group_by": "unit"}))
    assert default == by_unit


def test_week_periods_are_mondays_and_months_are_year_month(shared_sb: Sandbox) -> None:
    a = shared_sb.ids.support
    for row in ok(shared_sb.get(f"/v1/accounts/{a}/usage_summary", params={"group_by": "week"}))[
        "data"
    ]:
        assert date.fromisoformat(row["period"]).weekday() == 0, row
    for row in ok(shared_sb.get(f"/v1/accounts/{a}/usage_summary", params={"group_by": "month"}))[
        "data"
    ]:
        assert len(row["period"]) == 7 and row["period"][4] == "-", row


def _bound(day_offset: int, as_datetime: bool, minutes: int) -> str:
    when = NOW - timedelta(days=day_offset)
    if not as_datetime:
        return when.date().isoformat()
    return rfc3339(when.replace(hour=0) + timedelta(minutes=minutes))


windows = st.tuples(
    st.integers(0, 100),
    st.booleans(),
    st.integers(0, 1439),
    st.integers(1, 100),
    st.booleans(),
    st.integers(0, 1439),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    units=st.lists(st.sampled_from(UNITS), unique=True, max_size=3),
    status=st.sampled_from([None, "paid", "unpaid"]),
    window=st.one_of(st.none(), windows),
    group_by=st.sampled_from(["unit", "day", "week", "month"]),
)
def test_summary_equals_detail_random(
    shared_sb: Sandbox, units: list[str], status: str | None, window: tuple | None, group_by: str
) -> None:
    params: list[tuple[str, str]] = [("unit", u) for u in units]
    if status:
        params.append(("status", status))
    if window:
        start_off, start_dt, start_min, length, end_dt, end_min = window
        since = _bound(start_off, start_dt, start_min)
        # `until` is at least a whole day later (minutes < 1440), so until > since always.
        until = _bound(start_off - length, end_dt, end_min)
        params += [("since", since), ("until", until)]
    check_summary(shared_sb, params, group_by)


def test_since_is_inclusive_and_until_exclusive(
    shared_sb: Sandbox, records: list[dict[str, Any]]
) -> None:
    a = shared_sb.ids.support
    pivot = records[len(records) // 2]
    at = pivot["occurred_at"]
    after = shared_sb.walk(f"/v1/accounts/{a}/usage_records", params={"since": at}, limit=1000)
    before = shared_sb.walk(f"/v1/accounts/{a}/usage_records", params={"until": at}, limit=1000)
    assert pivot["id"] in {r["id"] for r in after}
    assert pivot["id"] not in {r["id"] for r in before}
    assert len(after) + len(before) == len(records)


# --- bad filters ---------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["usage_records", "usage_summary"])
@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2026-11-10", "2026-11-10"),
        ("2026-11-10", "2026-11-09"),
        ("2026-11-10T12:00:00Z", "2026-11-10T11:59:59Z"),
        ("2026-11-10T00:00:00Z", "2026-11-10"),
    ],
)
def test_until_not_after_since_is_400_naming_until(
    shared_sb: Sandbox, endpoint: str, since: str, until: str
) -> None:
    path = f"/v1/accounts/{shared_sb.ids.support}/{endpoint}"
    err(
        shared_sb.get(path, params={"since": since, "until": until}),
        400,
        "invalid_request_error",
        param="until",
    )


BAD_FILTERS = [
    ("since", "2026-02-30"),
    ("until", "2026-02-30"),
    ("since", "2026-13-01"),
    ("until", "2026-11-15T25:00:00Z"),
    ("since", "yesterday"),
    ("unit", "fax"),
    ("status", "overdue"),
]
BAD_LIMITS = [("limit", "0"), ("limit", "1001"), ("limit", "-5"), ("limit", "ten")]


@pytest.mark.parametrize(
    ("endpoint", "param", "value"),
    [("usage_records", p, v) for p, v in BAD_FILTERS + BAD_LIMITS]
    + [("usage_summary", p, v) for p, v in BAD_FILTERS],
)
def test_bad_filters_are_422_naming_the_param(
    shared_sb: Sandbox, endpoint: str, param: str, value: str
) -> None:
    path = f"/v1/accounts/{shared_sb.ids.support}/{endpoint}"
    err(shared_sb.get(path, params={param: value}), 422, "invalid_request_error", param=param)


def test_bad_group_by_is_422(shared_sb: Sandbox) -> None:
    path = f"/v1/accounts/{shared_sb.ids.support}/usage_summary"
    err(shared_sb.get(path, params={"group_by": "year"}), 422, param="group_by")
