"""What every part of the demo seeding shares: the demo accounts and the row helpers."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from chathq_cli.sandbox.ids import new_id
from chathq_cli.sandbox.sealing import Sealer
from chathq_cli.sandbox.store import ts

ACCOUNTS = (  # key, org, name, plan, age in days, messages used, bots
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


class SeedRows:
    """One seeding run: the database, the clock's "now", the one random source, the key that
    seals what must not rest in clear, and the IDs made so far by key (`owner`, `acme`)."""

    def __init__(self, db: Any, now: datetime, rng: random.Random, vault: Sealer) -> None:
        self.db, self.now, self.rng, self.vault = db, now, rng, vault
        self.users: dict[str, str] = {}
        self.orgs: dict[str, str] = {}
        self.accounts: dict[str, str] = {}

    def id(self, kind: str) -> str:
        return new_id(kind, self.rng)

    def ago(self, **delta: float) -> str:
        return ts(self.now - timedelta(**delta))

    def insert(self, table: str, **values: Any) -> None:
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        self.db.execute(f"INSERT INTO {table}({columns}) VALUES ({marks})", tuple(values.values()))

    def token(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"
