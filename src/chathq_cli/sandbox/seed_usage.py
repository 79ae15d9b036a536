"""Demo billing history and usage: twelve paid invoices per account and the usage records of
the last 90 days (a few hundred, or as many as `portal sandbox serve --usage-records` asks
for: a million are generated in seconds, hence the hand-tuned loop)."""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from chathq_cli.api.rules import ID_PREFIXES
from chathq_cli.sandbox.catalog import PLANS, UNIT_PRICES
from chathq_cli.sandbox.clock import add_months, month_start
from chathq_cli.sandbox.seed_base import ACCOUNTS, SeedRows
from chathq_cli.sandbox.store import ts

USAGE_DAYS = 90
# new_id() inlined: a million calls of it would be a second of the start-up.
_RECORD_ID_PREFIX = ID_PREFIXES["usage_record"]
USAGE_PER_ACCOUNT = 120  # default demo volume: a few hundred records in all


class UsageSeeder(SeedRows):
    def billing_and_usage(self, usage_records: int | None) -> None:
        current = month_start(self.now)
        for number, (key, _org, name, plan, *_rest) in enumerate(ACCOUNTS):
            account = self.accounts[key]
            months = [add_months(current, -m) for m in range(12, 0, -1)]
            invoice_ids = {start.strftime("%Y-%m"): self.id("invoice") for start in months}
            count = (
                usage_records
                if (usage_records is not None and number == 0)
                else (USAGE_PER_ACCOUNT)
            )
            usage_by_month: dict[str, int] = {}
            daily: dict[tuple[str, str, str], list[int]] = {}
            rows = _usage_rows(
                self.rng, account, self.now, count, invoice_ids, usage_by_month, daily
            )
            self.db.executemany(
                "INSERT INTO usage_records(account_id, occurred_at, id, unit, quantity,"
                " unit_price_cents, amount_cents, status, invoice_id, description)"
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
            self.db.executemany(
                "INSERT INTO usage_daily(account_id, day, unit, status, count, quantity,"
                " amount_cents) VALUES (?,?,?,?,?,?,?)",
                [(account, *key, *totals) for key, totals in daily.items()],
            )
            spec = PLANS[plan]
            for seq, start in enumerate(months, start=1):
                label = start.strftime("%Y-%m")
                lines: list[tuple[str, int]] = [
                    (f"{spec.name} plan, {start.strftime('%B %Y')}", spec.price_cents)
                ]
                if usage_by_month.get(label):
                    lines.append(("Pay-as-you-go usage", usage_by_month[label]))
                issued = ts(add_months(start, 1) + timedelta(hours=2))
                self.insert(
                    "invoices",
                    id=invoice_ids[label],
                    account_id=account,
                    number=f"{name.split()[0][:4].upper()}{number + 1}-{seq:04d}",
                    status="paid",
                    period_start=ts(start),
                    period_end=ts(add_months(start, 1)),
                    total_cents=sum(cents for _, cents in lines),
                    lines=json.dumps(lines),
                    created_at=issued,
                    paid_at=issued,
                )


_SMS = [f"SMS to +1 555-01{n:02d}" for n in range(100)]
_CHAT = [f"Agent chat, {q} turns" for q in range(41)]
_CALLS = [f"AI call, {q} min" for q in range(13)]
_NUMBERS = [f"Phone numbers, {q} x 1 month" for q in range(4)]


@functools.cache
def _times_of_day() -> list[str]:
    """ "THH:MM:SSZ" for every second of a day: built once, for bulk generation only."""
    return [f"T{h:02d}:{m:02d}:{s:02d}Z" for h in range(24) for m in range(60) for s in range(60)]


def _time_of_day(second: int) -> str:
    hour, rest = divmod(second, 3600)
    return f"T{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"


def _usage_rows(
    rng: random.Random,
    account: str,
    now: datetime,
    count: int,
    invoice_ids: dict[str, str],
    usage_by_month: dict[str, int],
    daily: dict[tuple[str, str, str], list[int]],
) -> Iterator[tuple[Any, ...]]:
    """`count` usage records spread over the last 90 days, oldest first (the clustered
    primary key's order, so a million inserts stay sequential). Months before the current one
    are paid on that month's invoice; the current month is unpaid. Also fills `daily`, the
    per (day, unit, status) totals behind the summary's rollup."""
    end = int(now.timestamp())
    start = end - USAGE_DAYS * 86400
    span = end - start
    current_month = now.strftime("%Y-%m")
    rand, bits = rng.random, rng.getrandbits
    prices = {unit: UNIT_PRICES[unit].cents for unit in UNIT_PRICES}
    day_info: dict[int, tuple[str, str, str | None]] = {}  # day -> (date, status, invoice)
    clock = _times_of_day().__getitem__ if count > 20_000 else _time_of_day
    for offset in sorted(int(rand() * span) for _ in range(count)):
        day_index, second = divmod(start + offset, 86400)
        info = day_info.get(day_index)
        if info is None:
            date = datetime.fromtimestamp(day_index * 86400, UTC).strftime("%Y-%m-%d")
            paid = date[:7] < current_month
            info = day_info[day_index] = (
                date,
                "paid" if paid else "unpaid",
                invoice_ids.get(date[:7]) if paid else None,
            )
        date, status, invoice = info
        pick = rand()
        if pick < 0.5:  # 50% sms, 30% chat, 15% calls, 5% numbers
            unit, quantity = "sms", 1 + int(rand() * rand() * 3)
            description = _SMS[int(rand() * 100)]
        elif pick < 0.8:
            unit, quantity = "chat", 1 + int(rand() * 40)
            description = _CHAT[quantity]
        elif pick < 0.95:
            unit, quantity = "calls", 1 + int(rand() * 12)
            description = _CALLS[quantity]
        else:
            unit, quantity = "numbers", 1 + int(rand() * 3)
            description = _NUMBERS[quantity]
        price = prices[unit]
        amount = quantity * price
        totals = daily.get((date, unit, status))
        if totals is None:
            totals = daily[(date, unit, status)] = [0, 0, 0]
        totals[0] += 1
        totals[1] += quantity
        totals[2] += amount
        if invoice is not None:
            usage_by_month[date[:7]] = usage_by_month.get(date[:7], 0) + amount
        yield (
            account,
            date + clock(second),
            f"{_RECORD_ID_PREFIX}{bits(64):016x}",
            unit,
            quantity,
            price,
            amount,
            status,
            invoice,
            description,
        )
