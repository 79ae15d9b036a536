"""Pay-as-you-go usage: prices, records (filtered, paged) and the summary, aggregated in SQL.

Amounts are integer cents in the database, so `amount = quantity x unit_price` is exact and
the summary equals the sum of the records for every filter: it adds whole days from the
`usage_daily` rollup (kept with the records; only the seed writes usage) to the records of
the partial days at the ends of the window.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from chathq_cli.api import rules
from chathq_cli.api.common import ListResponse, Unit
from chathq_cli.api.rules import PAGE_LIMIT_DEFAULT, UNITS
from chathq_cli.api.usage import UsagePrice, UsageRecord, UsageStatus, UsageSummary
from chathq_cli.sandbox.catalog import UNIT_PRICES, cents_to_str, money
from chathq_cli.sandbox.deps import Ctx, access, signed_in
from chathq_cli.sandbox.problems import Problem, invalid
from chathq_cli.sandbox.routes.common import Limit, StartingAfter
from chathq_cli.sandbox.store import decode_cursor, encode_cursor

router = APIRouter(tags=["usage"])

_DATE_HELP = "YYYY-MM-DD (midnight UTC) or an RFC 3339 time"
Units = Annotated[list[Unit] | None, Query(description="Repeatable: ?unit=sms&unit=calls")]
Status = Annotated[UsageStatus | None, Query()]
_DATE_SCHEMA = {
    "anyOf": [{"type": "string", "format": "date"}, {"type": "string", "format": "date-time"}]
}
Since = Annotated[
    str | None,
    Query(max_length=64, description=f"Inclusive; {_DATE_HELP}", json_schema_extra=_DATE_SCHEMA),
]
Until = Annotated[
    str | None,
    Query(max_length=64, description=f"Exclusive; {_DATE_HELP}", json_schema_extra=_DATE_SCHEMA),
]
# RFC 3339 (the offset optional: a time without one is UTC); fromisoformat alone would also take
# other ISO 8601 forms ("2026W011", "2026-01-01T10") that the API does not promise.
_DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2})?)?$"
)
GroupBy = rules.GroupBy

# Grouping over the summary source's `day` ("YYYY-MM-DD") and `unit` columns.
_GROUPS = {
    "unit": "unit",
    "day": "day",
    # ISO weeks start on Monday: step back 6 days, then forward to the next Monday.
    "week": "date(day, '-6 days', 'weekday 1')",
    "month": "substr(day, 1, 7)",
}


@router.get("/usage_prices", response_model=ListResponse[UsagePrice])
def list_usage_prices(ctx: Annotated[Ctx, Depends(signed_in)]) -> dict[str, object]:
    data = [
        {"unit": p.unit, "unit_price": money(p.cents), "per": p.per, "description": p.description}
        for p in UNIT_PRICES.values()
    ]
    return {"object": "list", "data": data, "has_more": False, "next_cursor": None}


def parse_time(param: str, value: str) -> datetime:
    """`YYYY-MM-DD` or RFC 3339 -> aware UTC datetime; a 422 naming `param` otherwise."""
    text = value.strip()
    try:
        if not _DATE_RE.match(text):
            raise ValueError(text)
        if len(text) == 10:
            parsed = datetime.strptime(text, "%Y-%m-%d")
        else:
            text = text.replace("t", "T").replace("z", "Z").replace("Z", "+00:00")
            # Python keeps microseconds: finer fractions are cut, never rounded up past them.
            head, dot, rest = text.partition(".")
            if dot:
                digits = rest[: len(rest) - len(rest.lstrip("0123456789"))]
                text = f"{head}.{digits[:6].ljust(6, '0')}{rest[len(digits) :]}"
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise invalid(param, f"{param}: '{value}' is not a valid date ({_DATE_HELP})") from None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        # A valid time whose offset moves it past year 1 or 9999 in UTC: as a bound of a filter
        # it means "from the beginning" or "until the end".
        edge = datetime.max if parsed.year > 1 else datetime.min
        return edge.replace(microsecond=0, tzinfo=UTC)


def _stored(moment: datetime) -> str:
    # Records are whole seconds: t >= x and t < x hold exactly when they hold for ceil(x).
    if moment.microsecond:
        moment = moment.replace(microsecond=0)
        if moment < datetime.max.replace(microsecond=0, tzinfo=UTC):
            moment += timedelta(seconds=1)
    # isoformat, not strftime("%Y"): years before 1000 keep their four digits, so the stored
    # strings still compare in time order.
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


@dataclass(frozen=True)
class UsageFilter:
    """The filters shared by the records and the summary, in storage form."""

    account_id: str
    units: tuple[str, ...]
    status: str | None
    since: str | None  # "YYYY-MM-DDTHH:MM:SSZ", inclusive
    until: str | None  # exclusive

    @classmethod
    def parse(
        cls,
        account_id: str,
        units: Sequence[str] | None,
        status: str | None,
        since: str | None,
        until: str | None,
    ) -> UsageFilter:
        start = parse_time("since", since) if since else None
        end = parse_time("until", until) if until else None
        if start is not None and end is not None and end <= start:
            raise Problem(400, "invalid_range", "until must be after since", param="until")
        return cls(
            account_id,
            tuple(sorted(set(units or ()))),
            status,
            _stored(start) if start else None,
            _stored(end) if end else None,
        )

    def kinds(self) -> tuple[str, list[Any]]:
        """SQL conditions on unit and status (the same columns in both tables)."""
        sql, params = "", []
        if self.units:
            sql += f" AND unit IN ({','.join('?' * len(self.units))})"
            params += list(self.units)
        if self.status:
            sql += " AND status = ?"
            params.append(self.status)
        return sql, params

    def records(self, lo: str | None = None, hi: str | None = None) -> tuple[str, list[Any]]:
        """WHERE clause over usage_records; `lo`/`hi` narrow the time range further."""
        where, params = "account_id = ?", [self.account_id]
        kinds, kind_params = self.kinds()
        where += kinds
        params += kind_params
        for op, value in ((">=", self.since), (">=", lo), ("<", self.until), ("<", hi)):
            if value is not None:
                where += f" AND occurred_at {op} ?"
                params.append(value)
        return where, params


def _summary_source(f: UsageFilter) -> tuple[str, list[Any]]:
    """Rows (day, unit, status, cnt, qty, amt) whose sum is the filtered usage: whole days
    from the usage_daily rollup, the partial days at either end from the records."""
    day_lo = day_hi = None
    raw: list[tuple[str | None, str | None]] = []
    if f.since is not None:
        day_lo = f.since[:10]
        if not f.since.endswith("T00:00:00Z"):
            day_lo = (date.fromisoformat(day_lo) + timedelta(days=1)).isoformat()
            raw.append((None, day_lo + "T00:00:00Z"))
    if f.until is not None:
        day_hi = f.until[:10]
        if not f.until.endswith("T00:00:00Z"):
            raw.append((day_hi + "T00:00:00Z", None))
    parts, params = [], []
    if day_lo is not None and day_hi is not None and day_lo > day_hi:
        raw = [(None, None)]  # since and until inside one day: records only
    else:
        where, kinds = "account_id = ?", [f.account_id]
        sql, kind_params = f.kinds()
        where += sql
        kinds += kind_params
        if day_lo is not None:
            where += " AND day >= ?"
            kinds.append(day_lo)
        if day_hi is not None:
            where += " AND day < ?"
            kinds.append(day_hi)
        parts.append(
            "SELECT day, unit, status, count AS cnt, quantity AS qty, amount_cents AS amt"
            f" FROM usage_daily WHERE {where}"
        )
        params += kinds
    for lo, hi in raw:
        where, raw_params = f.records(lo, hi)
        parts.append(
            "SELECT substr(occurred_at, 1, 10) AS day, unit, status, COUNT(*) AS cnt,"
            " SUM(quantity) AS qty, SUM(amount_cents) AS amt"
            f" FROM usage_records WHERE {where} GROUP BY 1, 2, 3"
        )
        params += raw_params
    return " UNION ALL ".join(parts), params


@router.get("/accounts/{a}/usage_records", response_model=ListResponse[UsageRecord])
def list_usage_records(
    ctx: Annotated[Ctx, Depends(access("member", what="view usage"))],
    unit: Units = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
    limit: Limit = PAGE_LIMIT_DEFAULT,
    starting_after: StartingAfter = None,
) -> Response:
    """Usage records newest first. Any member (and an API key) may read usage."""
    where, params = UsageFilter.parse(ctx.acct, unit, status, since, until).records()
    if starting_after:
        after_time, after_id = decode_cursor(starting_after)
        where += " AND (occurred_at, id) < (?, ?)"
        params += [after_time, after_id]
    with ctx.sandbox.store.read() as db:
        rows = db.execute(
            "SELECT occurred_at, id, unit, quantity, unit_price_cents, amount_cents, status,"
            f" invoice_id, description FROM usage_records WHERE {where}"
            " ORDER BY occurred_at DESC, id DESC LIMIT ?",
            [*params, limit + 1],
        ).fetchall()
    has_more = len(rows) > limit
    rows = rows[:limit]
    # Built by hand, not through pydantic: a 1,000-record page is the hot path of exports.
    data = [
        {
            "id": row[1],
            "object": "usage_record",
            "occurred_at": row[0],
            "unit": row[2],
            "quantity": row[3],
            "unit_price": money(row[4]),
            "amount": money(row[5]),
            "status": row[6],
            "invoice": row[7],
            "description": row[8],
        }
        for row in rows
    ]
    body = {
        "object": "list",
        "data": data,
        "has_more": has_more,
        "next_cursor": encode_cursor(rows[-1][0], rows[-1][1]) if has_more else None,
    }
    return Response(json.dumps(body, separators=(",", ":")), media_type="application/json")


@router.get("/accounts/{a}/usage_summary", response_model=UsageSummary)
def get_usage_summary(
    ctx: Annotated[Ctx, Depends(access("member", what="view usage"))],
    unit: Units = None,
    status: Status = None,
    since: Since = None,
    until: Until = None,
    group_by: Annotated[GroupBy, Query()] = "unit",
) -> Response:
    """Totals per unit, or per period (`day`; `week`: ISO week, named by its Monday;
    `month`: YYYY-MM), for the same filters as the records: always their exact sum."""
    source, params = _summary_source(UsageFilter.parse(ctx.acct, unit, status, since, until))
    with ctx.sandbox.store.read() as db:
        rows = db.execute(
            f"SELECT {_GROUPS[group_by]} AS g, SUM(cnt), SUM(qty), SUM(amt),"
            " SUM(CASE WHEN status = 'paid' THEN amt ELSE 0 END)"
            f" FROM ({source}) GROUP BY g",
            params,
        ).fetchall()
    if group_by == "unit":
        rows = sorted(rows, key=lambda row: UNITS.index(row[0]))
    else:
        rows = sorted(rows, key=lambda row: row[0])
    data = []
    total = {"count": 0, "amount": 0, "paid": 0}
    for key, count, quantity, amount, paid in rows:
        data.append(
            {
                "unit": key if group_by == "unit" else None,
                "period": None if group_by == "unit" else key,
                "count": count,
                "quantity": quantity,
                "amount": cents_to_str(amount),
                "paid_amount": cents_to_str(paid),
                "unpaid_amount": cents_to_str(amount - paid),
            }
        )
        total["count"] += count
        total["amount"] += amount
        total["paid"] += paid
    body = {
        "object": "usage_summary",
        "currency": "usd",
        "data": data,
        "total": {
            "count": total["count"],
            "amount": cents_to_str(total["amount"]),
            "paid_amount": cents_to_str(total["paid"]),
            "unpaid_amount": cents_to_str(total["amount"] - total["paid"]),
        },
    }
    return Response(json.dumps(body), media_type="application/json")
