"""SQLite storage for the sandbox: schema, the one connection, transactions, cursors.

One connection (WAL mode) guarded by a re-entrant lock: endpoints are sync functions run by
FastAPI's thread pool, and every read or write holds the lock for its duration. That keeps
correctness trivial (writes are serialised, a transaction sees a consistent state) at a
throughput a local sandbox does not notice.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import secrets
import sqlite3
import tempfile
import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from chathq_cli.sandbox.problems import Problem

SCHEMA = """
-- Secrets never rest here in clear (SPEC §8): hashed, or sealed by sandbox/at_rest.py (the
-- BLOB columns totp_secret, totp_pending, the token of invitations and invite links, the
-- outbox's body and code), which alone reads and writes them.
CREATE TABLE users(
    id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL, theme TEXT NOT NULL DEFAULT 'system', notifications TEXT NOT NULL,
    avatar_id TEXT, totp_secret BLOB, totp_pending BLOB,
    pending_email TEXT, email_code_hash TEXT, email_code_expires_at TEXT,
    created_at TEXT NOT NULL);
CREATE TABLE sessions(
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE totp_used(user_id TEXT NOT NULL, counter INTEGER NOT NULL,
    PRIMARY KEY(user_id, counter));
CREATE TABLE recovery_codes(user_id TEXT NOT NULL, code_hash TEXT NOT NULL, used_at TEXT,
    PRIMARY KEY(user_id, code_hash));
CREATE TABLE password_resets(user_id TEXT NOT NULL, code_hash TEXT NOT NULL,
    expires_at TEXT NOT NULL, used_at TEXT);
CREATE TABLE avatars(id TEXT PRIMARY KEY, user_id TEXT NOT NULL, content_type TEXT NOT NULL,
    data BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE orgs(
    id TEXT PRIMARY KEY, name TEXT NOT NULL, legal_name TEXT, billing_email TEXT, address TEXT,
    tax_id TEXT, owner_id TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE accounts(
    id TEXT PRIMARY KEY, org_id TEXT NOT NULL, name TEXT NOT NULL, plan TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open', messages_used INTEGER NOT NULL DEFAULT 0,
    period_start TEXT NOT NULL, created_at TEXT NOT NULL, closed_at TEXT);
CREATE INDEX accounts_org ON accounts(org_id, created_at, id);
CREATE TABLE members(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, user_id TEXT NOT NULL, role TEXT NOT NULL,
    joined_at TEXT NOT NULL, UNIQUE(account_id, user_id));
CREATE INDEX members_user ON members(user_id);
CREATE TABLE invitations(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, email TEXT NOT NULL, role TEXT NOT NULL,
    status TEXT NOT NULL, token BLOB NOT NULL, token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL, last_sent_at TEXT NOT NULL);
CREATE INDEX invitations_account ON invitations(account_id, created_at, id);
CREATE TABLE invite_links(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, token BLOB NOT NULL,
    token_hash TEXT NOT NULL UNIQUE, role TEXT NOT NULL, uses INTEGER NOT NULL DEFAULT 0,
    max_uses INTEGER NOT NULL,
    expires_at TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL);
CREATE INDEX invite_links_account ON invite_links(account_id, created_at, id);
CREATE TABLE integrations(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, type TEXT NOT NULL, status TEXT NOT NULL,
    settings TEXT NOT NULL, secret_settings BLOB, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, UNIQUE(account_id, type));
CREATE TABLE api_keys(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, prefix TEXT NOT NULL,
    last4 TEXT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,
    expires_at TEXT, last_used_at TEXT);
CREATE INDEX api_keys_account ON api_keys(account_id, created_at, id);
CREATE TABLE api_key_secrets(
    secret_hash TEXT PRIMARY KEY, key_id TEXT NOT NULL, expires_at TEXT);
CREATE TABLE subscriptions(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL UNIQUE, plan TEXT NOT NULL,
    status TEXT NOT NULL, cancel_at_period_end INTEGER NOT NULL DEFAULT 0, canceled_at TEXT,
    created_at TEXT NOT NULL);
CREATE TABLE payment_methods(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, brand TEXT NOT NULL, last4 TEXT NOT NULL,
    exp_month INTEGER NOT NULL, exp_year INTEGER NOT NULL, is_default INTEGER NOT NULL,
    created_at TEXT NOT NULL);
CREATE TABLE invoices(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, number TEXT NOT NULL, status TEXT NOT NULL,
    period_start TEXT NOT NULL, period_end TEXT NOT NULL, total_cents INTEGER NOT NULL,
    lines TEXT NOT NULL, created_at TEXT NOT NULL, paid_at TEXT);
CREATE INDEX invoices_account ON invoices(account_id, created_at, id);
CREATE TABLE bots(
    id TEXT PRIMARY KEY, account_id TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL,
    paused_reason TEXT, created_at TEXT NOT NULL);
-- Clustered on the access path of every usage query: one account, a time range, newest first.
CREATE TABLE usage_records(
    account_id TEXT NOT NULL, occurred_at TEXT NOT NULL, id TEXT NOT NULL,
    unit TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price_cents INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL, status TEXT NOT NULL, invoice_id TEXT,
    description TEXT NOT NULL,
    PRIMARY KEY(account_id, occurred_at, id)) WITHOUT ROWID;
-- Per (account, day, unit, status) totals of usage_records, written with them (records are
-- only ever inserted, by the seed), so the summary over a million records reads a few hundred
-- rows plus the raw records of at most two partial days.
CREATE TABLE usage_daily(
    account_id TEXT NOT NULL, day TEXT NOT NULL, unit TEXT NOT NULL, status TEXT NOT NULL,
    count INTEGER NOT NULL, quantity INTEGER NOT NULL, amount_cents INTEGER NOT NULL,
    PRIMARY KEY(account_id, day, unit, status)) WITHOUT ROWID;
CREATE TABLE outbox(
    seq INTEGER PRIMARY KEY AUTOINCREMENT, to_addr TEXT NOT NULL, subject TEXT NOT NULL,
    body BLOB NOT NULL, code BLOB, created_at TEXT NOT NULL);
CREATE TABLE idempotency(
    caller TEXT NOT NULL, key TEXT NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
    body_hash TEXT NOT NULL, status INTEGER NOT NULL, body BLOB NOT NULL,
    sealed INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, PRIMARY KEY(caller, key));
CREATE TABLE portal_sessions(
    token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, expires_at TEXT NOT NULL);
"""


def ts(dt: datetime) -> str:
    """Storage form of a time: fixed width, so text order is time order."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_ts(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def opt_ts(value: str | None) -> datetime | None:
    return parse_ts(value) if value else None


def encode_cursor(sort_value: str, ident: str) -> str:
    raw = f"{sort_value}|{ident}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str]:
    """(sort value, id) from an opaque cursor; a 400 naming `starting_after` when malformed."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        sort_value, ident = raw.split("|", 1)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise Problem(
            400,
            "invalid_cursor",
            "starting_after is not a valid cursor",
            param="starting_after",
        ) from None
    return sort_value, ident


class Store:
    """The SQLite database of one sandbox. `path=None` uses a temporary file."""

    def __init__(self, path: str | None = None) -> None:
        self._temp = path is None
        if path is None:
            path = os.path.join(tempfile.gettempdir(), f"chathq-sandbox-{secrets.token_hex(6)}.db")
        self.path = path
        self._lock = threading.RLock()
        self._conn = self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA cache_size=-65536")  # 64 MiB: the 1M-record summary stays warm
        return conn

    def recreate(self) -> None:
        """Drop every table and create the schema afresh (start-up and `/_sandbox/reset`)."""
        with self._lock:
            tables = [
                row[0]
                for row in self._conn.execute(
                    "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                )
            ]
            self._conn.execute("BEGIN IMMEDIATE")
            for table in tables:
                self._conn.execute(f'DROP TABLE "{table}"')
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self._conn.execute(statement)
            self._conn.execute("COMMIT")

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold off every other request (for a reset: recreate and re-seed as one step)."""
        with self._lock:
            yield

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._conn

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        """Close the connection (idempotent) and remove a temporary database file."""
        with self._lock:
            self._conn.close()
        if self._temp:  # os.remove of a missing file is fine: close() may run twice
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.remove(self.path + suffix)


def page(
    db: sqlite3.Connection,
    table: str,
    where: str,
    params: Sequence[Any],
    *,
    limit: int,
    starting_after: str | None,
    sort_col: str = "created_at",
) -> tuple[list[sqlite3.Row], bool, str | None]:
    """One page of `table` newest first (ties by id), after the cursor.

    The cursor encodes (sort value, id) rather than pointing at a row, so it stays valid when
    the row it came from is deleted.
    """
    sql_where, args = where, list(params)
    if starting_after:
        after_sort, after_id = decode_cursor(starting_after)
        sql_where += f" AND ({sort_col}, id) < (?, ?)"
        args += [after_sort, after_id]
    rows = db.execute(
        f"SELECT * FROM {table} WHERE {sql_where} ORDER BY {sort_col} DESC, id DESC LIMIT ?",
        [*args, limit + 1],
    ).fetchall()
    has_more = len(rows) > limit
    rows = rows[:limit]
    cursor = encode_cursor(rows[-1][sort_col], rows[-1]["id"]) if has_more else None
    return rows, has_more, cursor
