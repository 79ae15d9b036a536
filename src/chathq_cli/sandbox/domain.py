"""Business rules shared by several endpoints: month resets, bot pausing, second factors."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from chathq_cli.sandbox import at_rest, security
from chathq_cli.sandbox.catalog import PLANS
from chathq_cli.sandbox.clock import month_start
from chathq_cli.sandbox.problems import Problem
from chathq_cli.sandbox.sealing import Sealer
from chathq_cli.sandbox.store import ts


def refresh_account(db: sqlite3.Connection, account_id: str, now: datetime) -> None:
    """Apply what the clock implies since the last look: message limits reset on the 1st of
    each month 00:00 UTC (bots paused by the limit resume); a subscription cancelled at period
    end ends when its period does."""
    period = ts(month_start(now))
    row = db.execute("SELECT period_start FROM accounts WHERE id = ?", (account_id,)).fetchone()
    if row is None or row["period_start"] >= period:
        return
    db.execute(
        "UPDATE accounts SET messages_used = 0, period_start = ? WHERE id = ?",
        (period, account_id),
    )
    db.execute(
        "UPDATE bots SET status = 'running', paused_reason = NULL"
        " WHERE account_id = ? AND paused_reason = 'limit'",
        (account_id,),
    )
    db.execute(
        "UPDATE subscriptions SET status = 'canceled', canceled_at = ?"
        " WHERE account_id = ? AND cancel_at_period_end = 1 AND status = 'active'",
        (period, account_id),
    )


def bots_to_pause(db: sqlite3.Connection, account_id: str, plan: str) -> list[sqlite3.Row]:
    """The running bots over `plan`'s bot limit: the newest ones go first."""
    running = db.execute(
        "SELECT id, name FROM bots WHERE account_id = ? AND status = 'running'"
        " ORDER BY created_at, id",
        (account_id,),
    ).fetchall()
    return running[PLANS[plan].bot_limit :]


def apply_plan(db: sqlite3.Connection, account_id: str, plan: str, now: datetime) -> None:
    """Switch plan: limits reset, bots over the new limit pause, bots paused by an earlier
    plan change resume while the new limit allows."""
    db.execute(
        "UPDATE accounts SET plan = ?, messages_used = 0, period_start = ? WHERE id = ?",
        (plan, ts(month_start(now)), account_id),
    )
    db.execute(
        "UPDATE bots SET status = 'running', paused_reason = NULL"
        " WHERE account_id = ? AND paused_reason = 'limit'",
        (account_id,),
    )
    for bot in bots_to_pause(db, account_id, plan):
        db.execute(
            "UPDATE bots SET status = 'paused', paused_reason = 'plan' WHERE id = ?", (bot["id"],)
        )
    running = db.execute(
        "SELECT COUNT(*) FROM bots WHERE account_id = ? AND status = 'running'", (account_id,)
    ).fetchone()[0]
    room = PLANS[plan].bot_limit - running
    if room > 0:
        resumable = db.execute(
            "SELECT id FROM bots WHERE account_id = ? AND paused_reason = 'plan'"
            " ORDER BY created_at, id LIMIT ?",
            (account_id, room),
        ).fetchall()
        for bot in resumable:
            db.execute(
                "UPDATE bots SET status = 'running', paused_reason = NULL WHERE id = ?",
                (bot["id"],),
            )


def check_password(user: sqlite3.Row, password: str) -> None:
    if not security.verify_password(password, user["password_hash"]):
        raise Problem(401, "invalid_password", "the password is incorrect", param="password")


def check_second_factor(
    db: sqlite3.Connection,
    vault: Sealer,
    user: sqlite3.Row,
    code: str | None,
    now: datetime,
    *,
    wrong_code: str = "invalid_totp",
) -> None:
    """When 2FA is on, `code` must be an unused TOTP code (±1 step) or an unused recovery
    code. Each is accepted once."""
    secret = at_rest.totp_secret(vault, user)
    if secret is None:
        return
    if not code:
        raise Problem(
            401, "totp_required", "a two-factor code is required for this", param="totp_code"
        )
    counter = security.totp_match(secret, code, now)
    if counter is not None:
        used = db.execute(
            "SELECT 1 FROM totp_used WHERE user_id = ? AND counter = ?", (user["id"], counter)
        ).fetchone()
        if not used:
            db.execute(
                "INSERT INTO totp_used(user_id, counter) VALUES (?, ?)", (user["id"], counter)
            )
            return
    else:
        digest = security.hash_token(security.normalise_recovery_code(code))
        row = db.execute(
            "SELECT 1 FROM recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
            (user["id"], digest),
        ).fetchone()
        if row:
            db.execute(
                "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ?",
                (ts(now), user["id"], digest),
            )
            return
    message = (
        "the two-factor code is invalid or already used"
        if wrong_code == "invalid_totp"
        else "invalid e-mail, password or two-factor code"
    )
    raise Problem(401, wrong_code, message, param="totp_code")


def send_mail(
    db: sqlite3.Connection,
    vault: Sealer,
    to: str,
    subject: str,
    body: str,
    now: datetime,
    code: str | None = None,
) -> None:
    """The sandbox's outbox: what the portal would e-mail (`GET /_sandbox/outbox`). The body
    and code are sealed: they hold invitation links and e-mailed codes."""
    db.execute(
        "INSERT INTO outbox(to_addr, subject, body, code, created_at) VALUES (?,?,?,?,?)",
        (to, subject, *at_rest.mail_columns(vault, to, body, code), ts(now)),
    )
