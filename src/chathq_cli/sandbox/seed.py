"""Deterministic demo data (SPEC §6), relative to the sandbox clock's "now".

Everything random comes from one `random.Random(seed_value)`, so two sandboxes with the same
seed value and start time hold identical data.
"""

from __future__ import annotations

import json
import random
from datetime import datetime

from chathq_cli.api.rules import NOTIFICATION_KEYS
from chathq_cli.sandbox import at_rest, security
from chathq_cli.sandbox.catalog import PLANS
from chathq_cli.sandbox.clock import month_start
from chathq_cli.sandbox.sealing import Sealer
from chathq_cli.sandbox.seed_base import ACCOUNTS
from chathq_cli.sandbox.seed_usage import UsageSeeder
from chathq_cli.sandbox.store import Store, ts

DEMO_PASSWORD = "chathq-demo"  # noqa: S105 - the documented public demo password
DEMO_USERS = (
    "owner@demo.chathq.test",
    "admin@demo.chathq.test",
    "member@demo.chathq.test",
    "outsider@demo.chathq.test",
)

_USERS = (  # key, e-mail, display name
    ("owner", "owner@demo.chathq.test", "Olivia Owner"),
    ("admin", "admin@demo.chathq.test", "Adam Admin"),
    ("member", "member@demo.chathq.test", "Mia Member"),
    ("outsider", "outsider@demo.chathq.test", "Oscar Outsider"),
    ("sam", "sam@demo.chathq.test", "Sam Support"),
    ("lee", "lee@demo.chathq.test", "Lee Sales"),
    ("gina", "gina@demo.chathq.test", "Gina Globex"),
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


class _Seeder(UsageSeeder):
    def people(self) -> None:
        # One scrypt hash for the shared demo password: start-up and resets stay fast.
        password_hash = security.hash_password(DEMO_PASSWORD, salt=self.rng.randbytes(16))
        notifications = json.dumps(dict.fromkeys(NOTIFICATION_KEYS, True))
        for index, (key, email, name) in enumerate(_USERS):
            self.users[key] = self.id("user")
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
        self.orgs["acme"] = self.id("org")
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
        self.orgs["globex"] = self.id("org")
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
        for key, org, name, plan, age, used, bots in ACCOUNTS:
            account = self.accounts[key] = self.id("account")
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
                id=self.id("subscription"),
                account_id=account,
                plan=plan,
                status="active",
                created_at=self.ago(days=age),
            )
            at_limit = used >= PLANS[plan].message_limit
            for index, bot in enumerate(bots):
                self.insert(
                    "bots",
                    id=self.id("bot"),
                    account_id=account,
                    name=bot,
                    status="paused" if at_limit else "running",
                    paused_reason="limit" if at_limit else None,
                    created_at=self.ago(days=age - 10 - index * 7),
                )
        for account, user, role in _MEMBERS:
            self.insert(
                "members",
                id=self.id("member"),
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
            invitation_id = self.id("invitation")
            self.insert(
                "invitations",
                id=invitation_id,
                account_id=support,
                email=email,
                role=role,
                status=status,
                **at_rest.token_columns(self.vault, "invitations", invitation_id, self.token()),
                created_at=self.ago(days=age),
                expires_at=self.ago(days=-expires),
                last_sent_at=self.ago(days=age),
            )
        link_id = self.id("invite_link")
        self.insert(
            "invite_links",
            id=link_id,
            account_id=support,
            **at_rest.token_columns(self.vault, "invite_links", link_id, self.token()),
            role="member",
            uses=2,
            max_uses=10,
            expires_at=self.ago(days=-7),
            created_at=self.ago(days=1),
        )

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
            integration_id = self.id("integration")
            self.insert(
                "integrations",
                id=integration_id,
                account_id=self.accounts[account],
                type=kind,
                status=status,
                **at_rest.settings_columns(self.vault, integration_id, kind, settings),
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
            key_id = self.id("api_key")
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
                id=self.id("payment_method"),
                account_id=self.accounts[account],
                brand=brand,
                last4=last4,
                exp_month=month,
                exp_year=year,
                is_default=default,
                created_at=self.ago(days=300 - index * 30),
            )


def seed_demo(
    store: Store, vault: Sealer, now: datetime, seed_value: int, usage_records: int | None
) -> None:
    """Load the demo data into an empty store, in one transaction; `vault` seals what must
    not rest in clear (sandbox/at_rest.py)."""
    rng = random.Random(seed_value)  # noqa: S311 - reproducible demo data, not security
    with store.write() as db:
        seeder = _Seeder(db, now, rng, vault)
        seeder.people()
        seeder.orgs_and_accounts()
        seeder.team()
        seeder.integrations()
        seeder.api_keys()
        seeder.payment_methods()
        seeder.billing_and_usage(usage_records)
