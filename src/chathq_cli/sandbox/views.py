"""Rows -> wire models. Computed states (expired, exhausted, month resets) live here."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from chathq_cli.api.accounts import Account
from chathq_cli.api.billing import Invoice, PaymentMethod, Subscription
from chathq_cli.api.integrations import Integration
from chathq_cli.api.keys import ApiKey
from chathq_cli.api.me import Notifications, User
from chathq_cli.api.orgs import Org
from chathq_cli.api.rules import ROLES
from chathq_cli.api.team import Invitation, InviteLink, Member
from chathq_cli.sandbox import at_rest
from chathq_cli.sandbox.catalog import INTEGRATION_TYPES, PLANS, money
from chathq_cli.sandbox.clock import add_months, month_start
from chathq_cli.sandbox.sealing import Sealer
from chathq_cli.sandbox.store import opt_ts, parse_ts, ts

# Owners first: "CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'member' THEN 2 END"
ROLE_ORDER = (
    "CASE role "
    + " ".join(f"WHEN '{role}' THEN {index}" for index, role in enumerate(ROLES))
    + " END"
)


def default_account_id(db: sqlite3.Connection, user_id: str) -> str | None:
    """The first open account the user belongs to, accounts they own first."""
    row = db.execute(
        f"SELECT m.account_id FROM members m JOIN accounts a ON a.id = m.account_id"
        f" WHERE m.user_id = ? AND a.status = 'open'"
        f" ORDER BY {ROLE_ORDER.replace('role', 'm.role')}, a.created_at, a.id LIMIT 1",
        (user_id,),
    ).fetchone()
    return str(row[0]) if row else None


def user_out(db: sqlite3.Connection, row: sqlite3.Row, base_url: str) -> User:
    avatar = f"{base_url}/avatars/{row['avatar_id']}" if row["avatar_id"] else None
    return User(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        theme=row["theme"],
        notifications=Notifications(**json.loads(row["notifications"])),
        avatar_url=avatar,
        totp_enabled=row["totp_secret"] is not None,
        pending_email=row["pending_email"],
        default_account_id=default_account_id(db, row["id"]),
        created_at=parse_ts(row["created_at"]),
    )


def org_out(row: sqlite3.Row, role: str | None) -> Org:
    return Org(
        id=row["id"],
        name=row["name"],
        legal_name=row["legal_name"],
        billing_email=row["billing_email"],
        address=row["address"],
        tax_id=row["tax_id"],
        role=role,
        created_at=parse_ts(row["created_at"]),
    )


def account_out(row: sqlite3.Row, role: str | None) -> Account:
    return Account(
        id=row["id"],
        org_id=row["org_id"],
        name=row["name"],
        plan=row["plan"],
        status=row["status"],
        role=role,
        created_at=parse_ts(row["created_at"]),
    )


def member_out(row: sqlite3.Row) -> Member:
    return Member(
        id=row["id"],
        user_id=row["user_id"],
        email=row["email"],
        display_name=row["display_name"],
        role=row["role"],
        joined_at=parse_ts(row["joined_at"]),
    )


def invitation_status(row: sqlite3.Row, now: datetime) -> str:
    if row["status"] == "pending" and row["expires_at"] <= ts(now):
        return "expired"
    return str(row["status"])


def invitation_out(row: sqlite3.Row, now: datetime) -> Invitation:
    return Invitation(
        id=row["id"],
        email=row["email"],
        role=row["role"],
        status=invitation_status(row, now),
        created_at=parse_ts(row["created_at"]),
        expires_at=parse_ts(row["expires_at"]),
        last_sent_at=parse_ts(row["last_sent_at"]),
    )


def link_status(row: sqlite3.Row, now: datetime) -> str:
    if row["revoked"]:
        return "revoked"
    if row["expires_at"] <= ts(now):
        return "expired"
    if row["max_uses"] and row["uses"] >= row["max_uses"]:
        return "exhausted"
    return "active"


def link_out(row: sqlite3.Row, now: datetime, base_url: str, vault: Sealer) -> InviteLink:
    token = at_rest.token_of(vault, "invite_links", row)
    return InviteLink(
        id=row["id"],
        url=f"{base_url}/join/{token}",
        role=row["role"],
        uses=row["uses"],
        max_uses=row["max_uses"],
        expires_at=parse_ts(row["expires_at"]),
        status=link_status(row, now),
        created_at=parse_ts(row["created_at"]),
    )


def mask_secret(value: str) -> str:
    return "••••" + (value[-4:] if len(value) > 4 else "")


def integration_out(row: sqlite3.Row, vault: Sealer) -> Integration:
    settings = at_rest.settings_of(vault, row)
    schema = INTEGRATION_TYPES[row["type"]]["settings_schema"]
    secret_fields = {f["name"] for f in schema if f["type"] == "secret"}
    shown = {k: mask_secret(str(v)) if k in secret_fields else v for k, v in settings.items()}
    return Integration(
        id=row["id"],
        type=row["type"],
        status=row["status"],
        settings=shown,
        created_at=parse_ts(row["created_at"]),
        updated_at=parse_ts(row["updated_at"]),
    )


def api_key_status(row: sqlite3.Row, now: datetime) -> str:
    if row["revoked"]:
        return "revoked"
    if row["expires_at"] and row["expires_at"] <= ts(now):
        return "expired"
    return "active"


def api_key_out(row: sqlite3.Row, now: datetime, secret: str | None = None) -> ApiKey:
    return ApiKey(
        id=row["id"],
        name=row["name"],
        prefix=row["prefix"],
        last4=row["last4"],
        status=api_key_status(row, now),
        created_at=parse_ts(row["created_at"]),
        expires_at=opt_ts(row["expires_at"]),
        last_used_at=opt_ts(row["last_used_at"]),
        secret=secret,
    )


def billing_period(row: sqlite3.Row, now: datetime) -> tuple[datetime, datetime]:
    """The subscription's current billing period: calendar months (as invoices and message
    limits), except that the first one starts when the subscription did."""
    start = month_start(now)
    return max(start, parse_ts(row["created_at"])), add_months(start, 1)


def subscription_out(db: sqlite3.Connection, row: sqlite3.Row, now: datetime) -> Subscription:
    plan = PLANS[row["plan"]]
    start, end = billing_period(row, now)
    default_pm = db.execute(
        "SELECT id FROM payment_methods WHERE account_id = ? AND is_default = 1",
        (row["account_id"],),
    ).fetchone()
    return Subscription(
        id=row["id"],
        plan=row["plan"],
        status=row["status"],
        price=money(plan.price_cents),
        current_period_start=start,
        current_period_end=end,
        cancel_at_period_end=bool(row["cancel_at_period_end"]),
        canceled_at=opt_ts(row["canceled_at"]),
        default_payment_method=default_pm[0] if default_pm else None,
    )


def payment_method_out(row: sqlite3.Row) -> PaymentMethod:
    return PaymentMethod(
        id=row["id"],
        brand=row["brand"],
        last4=row["last4"],
        exp_month=row["exp_month"],
        exp_year=row["exp_year"],
        is_default=bool(row["is_default"]),
        created_at=parse_ts(row["created_at"]),
    )


def invoice_out(row: sqlite3.Row) -> Invoice:
    lines = [{"description": d, "amount": money(c)} for d, c in json.loads(row["lines"])]
    return Invoice(
        id=row["id"],
        number=row["number"],
        status=row["status"],
        period_start=parse_ts(row["period_start"]),
        period_end=parse_ts(row["period_end"]),
        total=money(row["total_cents"]),
        lines=lines,
        created_at=parse_ts(row["created_at"]),
        paid_at=opt_ts(row["paid_at"]),
    )
