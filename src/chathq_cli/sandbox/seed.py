"""Deterministic demo data (SPEC §6), relative to the sandbox clock's "now".

Everything random comes from one `random.Random(seed_value)`, so two sandboxes with the same
seed value and start time hold identical data.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from chathq_cli.api.rules import NOTIFICATION_KEYS
from chathq_cli.sandbox import security
from chathq_cli.sandbox.catalog import PLANS, UNIT_PRICES
from chathq_cli.sandbox.clock import add_months, month_start
from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.store import Store, ts

DEMO_PASSWORD = "chathq-demo"  # noqa: S105 - the documented public demo password
DEMO_USERS = (
    "owner@demo.chathq.test",
    "admin@demo.chathq.test",
    "member@demo.chathq.test",
    "outsider@demo.chathq.test",
)
USAGE_DAYS = 90
USAGE_PER_ACCOUNT = 120  # default demo volume: a few hundred records in all

_USERS = (  # key, e-mail, display name
    ("owner", "owner@demo.chathq.test", "Olivia Owner"),
    ("admin", "admin@demo.chathq.test", "Adam Admin"),
    ("member", "member@demo.chathq.test", "Mia Member"),
    ("outsider", "outsider@demo.chathq.test", "Oscar Outsider"),
    ("sam", "sam@demo.chathq.test", "Sam Support"),
    ("lee", "lee@demo.chathq.test", "Lee Sales"),
    ("gina", "gina@demo.chathq.test", "Gina Globex"),
)
_ACCOUNTS = (  # key, org, name, plan, age in days, messages used, bots
    (
        "support",
        "acme",
        "Acme Support",
        "interact",
        400,
        6412,
        ("Website greeter", "Order status", "Returns helper", "After-hours desk"),
    ),
    (
        "sales",
        "acme",
        "Acme Sales",
        "transact",
        380,
        18250,
        (
            "Lead qualifier",
            "Demo booker",
            "Pricing FAQ",
            "Renewal nudger",
            "Upsell assistant",
            "Webinar concierge",
        ),
    ),
    ("globex", "globex", "Globex Ops", "connect", 390, 1000, ("Ops helper",)),
)
_MEMBERS = (  # account, user, role
    ("support", "owner", "owner"),
    ("support", "admin", "admin"),
    ("support", "member", "member"),
    ("support", "sam", "member"),
    ("sales", "owner", "owner"),
    ("sales", "lee", "admin"),
    ("globex", "outsider", "owner"),
    ("globex", "gina", "member"),
)


class _Seeder:
    def __init__(self, db: Any, now: datetime, rng: random.Random) -> None:
        self.db, self.now, self.rng = db, now, rng
        self.users: dict[str, str] = {}
        self.orgs: dict[str, str] = {}
        self.accounts: dict[str, str] = {}

    def id(self, prefix: str) -> str:
        return new_id(prefix, self.rng)

    def ago(self, **delta: float) -> str:
        return ts(self.now - timedelta(**delta))

    def insert(self, table: str, **values: Any) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.db.execute(f"INSERT INTO {table}({columns}) VALUES ({marks})", tuple(values.values()))

    def people(self) -> None:
        # One scrypt hash for the shared demo password: start-up and resets stay fast.
        password_hash = security.hash_password(DEMO_PASSWORD, salt=self.rng.randbytes(16))
        notifications = json.dumps(dict.fromkeys(NOTIFICATION_KEYS, True))
        for index, (key, email, name) in enumerate(_USERS):
            self.users[key] = self.id("usr_")
            self.insert(
                "users",
                id=self.users[key],
                email=email,
                display_name=name,
                password_hash=password_hash,
                notifications=notifications,
                created_at=self.ago(days=420 - index),
            )

    def orgs_and_accounts(self) -> None:
        self.orgs["acme"] = self.id("org_")
        self.insert(
            "orgs",
            id=self.orgs["acme"],
            name="Acme",
            legal_name="Acme Corporation",
            billing_email="billing@acme.example",
            address="1 Main Street, Springfield",
            tax_id="US-12-3456789",
            owner_id=self.users["owner"],
            created_at=self.ago(days=410),
        )
        self.orgs["globex"] = self.id("org_")
        self.insert(
            "orgs",
            id=self.orgs["globex"],
            name="Globex",
            legal_name=None,
            billing_email=None,
            address=None,
            tax_id=None,
            owner_id=self.users["outsider"],
            created_at=self.ago(days=405),
        )
        period = ts(month_start(self.now))
        for key, org, name, plan, age, used, bots in _ACCOUNTS:
            account = self.accounts[key] = self.id("acct_")
            self.insert(
                "accounts",
                id=account,
                org_id=self.orgs[org],
                name=name,
                plan=plan,
                messages_used=used,
                period_start=period,
                created_at=self.ago(days=age),
            )
            self.insert(
                "subscriptions",
                id=self.id("sub_"),
                account_id=account,
                plan=plan,
                status="active",
                created_at=self.ago(days=age),
            )
            at_limit = used >= PLANS[plan].message_limit
            for index, bot in enumerate(bots):
                self.insert(
                    "bots",
                    id=self.id("bot_"),
                    account_id=account,
                    name=bot,
                    status="paused" if at_limit else "running",
                    paused_reason="limit" if at_limit else None,
                    created_at=self.ago(days=age - 10 - index * 7),
                )
        for account, user, role in _MEMBERS:
            self.insert(
                "members",
                id=self.id("mem_"),
                account_id=self.accounts[account],
                user_id=self.users[user],
                role=role,
                joined_at=self.ago(days=370),
            )

    def team(self) -> None:
        support = self.accounts["support"]
        invitations = (  # e-mail, role, status, created days ago, expires in days
            ("new.hire@example.com", "member", "pending", 2, 5),
            ("contractor@example.com", "admin", "pending", 1, 6),
            ("old.invite@example.com", "member", "pending", 20, -13),
            ("joined@example.com", "member", "accepted", 30, -23),
        )
        for email, role, status, age, expires in invitations:
            self.insert(
                "invitations",
                id=self.id("inv_"),
                account_id=support,
                email=email,
                role=role,
                status=status,
                token=self.token(),
                created_at=self.ago(days=age),
                expires_at=self.ago(days=-expires),
                last_sent_at=self.ago(days=age),
            )
        self.insert(
            "invite_links",
            id=self.id("ilink_"),
            account_id=support,
            token=self.token(),
            role="member",
            uses=2,
            max_uses=10,
            expires_at=self.ago(days=-7),
            created_at=self.ago(days=1),
        )

    def token(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def integrations(self) -> None:
        configured = (  # account, type, status, settings, days ago
            (
                "support",
                "slack",
                "enabled",
                {
                    "workspace": "acme",
                    "channel": "#support",
                    "bot_token": "xoxb-demo-4471-9f3a",
                    "notify_on": "mentions",
                },
                200,
            ),
            (
                "support",
                "webhook",
                "disabled",
                {"url": "https://hooks.acme.example/chathq", "events": "all"},
                150,
            ),
            (
                "sales",
                "salesforce",
                "enabled",
                {
                    "instance_url": "https://acme.my.salesforce.com",
                    "client_id": "3MVG9demo",
                    "client_secret": "demo-secret-7c21",
                    "sandbox": False,
                },
                300,
            ),
        )
        for account, kind, status, settings, age in configured:
            self.insert(
                "integrations",
                id=self.id("intg_"),
                account_id=self.accounts[account],
                type=kind,
                status=status,
                settings=json.dumps(settings),
                created_at=self.ago(days=age),
                updated_at=self.ago(days=age // 2),
            )

    def api_keys(self) -> None:
        keys = (  # account, name, days ago, expires in days, last used hours ago
            ("support", "CI deploy", 120, None, 3),
            ("support", "Zapier", 40, 60, None),
            ("sales", "Data warehouse sync", 90, None, 20),
        )
        for account, name, age, expires, used in keys:
            key_id = self.id("key_")
            secret = "sk_test_" + f"{self.rng.getrandbits(192):048x}"
            self.insert(
                "api_keys",
                id=key_id,
                account_id=self.accounts[account],
                name=name,
                prefix=secret[:12],
                last4=secret[-4:],
                created_at=self.ago(days=age),
                expires_at=self.ago(days=-expires) if expires else None,
                last_used_at=self.ago(hours=used) if used else None,
            )
            self.insert(
                "api_key_secrets",
                secret_hash=security.hash_token(secret),
                key_id=key_id,
                expires_at=None,
            )

    def payment_methods(self) -> None:
        cards = (  # account, brand, last4, month, year, default
            ("support", "visa", "4242", 12, 2028, 1),
            ("support", "mastercard", "4444", 8, 2027, 0),
            ("sales", "amex", "0005", 3, 2029, 1),
            ("globex", "visa", "1881", 6, 2027, 1),
        )
        for index, (account, brand, last4, month, year, default) in enumerate(cards):
            self.insert(
                "payment_methods",
                id=self.id("pm_"),
                account_id=self.accounts[account],
                brand=brand,
                last4=last4,
                exp_month=month,
                exp_year=year,
                is_default=default,
                created_at=self.ago(days=300 - index * 30),
            )

    def billing_and_usage(self, usage_records: int | None) -> None:
        current = month_start(self.now)
        for number, (key, _org, name, plan, *_rest) in enumerate(_ACCOUNTS):
            account = self.accounts[key]
            months = [add_months(current, -m) for m in range(12, 0, -1)]
            invoice_ids = {start.strftime("%Y-%m"): self.id("in_") for start in months}
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
            f"ur_{bits(64):016x}",
            unit,
            quantity,
            price,
            amount,
            status,
            invoice,
            description,
        )


def seed_demo(store: Store, now: datetime, seed_value: int, usage_records: int | None) -> None:
    """Load the demo data into an empty store, in one transaction."""
    rng = random.Random(seed_value)  # noqa: S311 - reproducible demo data, not security
    with store.write() as db:
        seeder = _Seeder(db, now, rng)
        seeder.people()
        seeder.orgs_and_accounts()
        seeder.team()
        seeder.integrations()
        seeder.api_keys()
        seeder.payment_methods()
        seeder.billing_and_usage(usage_records)
