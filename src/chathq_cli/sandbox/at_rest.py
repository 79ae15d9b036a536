"""The secrets the sandbox keeps in its tables, and the only code that reads or writes them.

No secret rests in the database in clear (SPEC §8). What the server only has to recognise
(session tokens, API key secrets, codes, billing portal sessions) it keeps as a SHA-256 hash.
What it must read back is sealed with AES-GCM (sandbox/sealing.py) under the sandbox's data key:

* TOTP secrets, pending and confirmed: codes are checked against them;
* invitation and invite link tokens: a link's URL is listed again later (`GET invite_links`,
  `portal team links`) and an invitation's is e-mailed again by resend. Beside the sealed token
  sits its hash, which is what a presented token is looked up by (a sealed value, under a fresh
  nonce each time, cannot be searched for);
* the outbox's mails: they carry those links and the e-mailed codes;
* integrations' secret settings (a bot token, an API token...): a real portal uses them to call
  the other service; the API only ever shows their last 4 characters.

Each value is sealed for its place (what it is and the row it belongs to), so a sealed value
copied into another row does not open.

The data key lives only in the process, like the replay key: the database is seeded afresh at
every start (`--db` too), so nothing sealed has to outlive the process that sealed it.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from chathq_cli.sandbox import security
from chathq_cli.sandbox.catalog import INTEGRATION_TYPES
from chathq_cli.sandbox.sealing import Sealer

# Both TOTP columns share one place: confirming enrolment moves the pending secret as it is.
_TOTP = "users.totp"


class SealedValueUnreadable(RuntimeError):
    """A sealed column that this process cannot open: sealed by another key, or altered."""


def seal(vault: Sealer, value: str, place: str, row: str) -> bytes:
    return vault.seal(value.encode(), _context(place, row))


def unseal(vault: Sealer, sealed: bytes, place: str, row: str) -> str:
    plain = vault.open(sealed, _context(place, row))
    if plain is None:
        # Never a guess: a TOTP check or a link must not go on with a value it cannot read.
        raise SealedValueUnreadable(f"a sealed {place} of {row} does not open")
    return plain.decode()


def _context(place: str, row: str) -> bytes:
    return f"at-rest\0{place}\0{row}".encode()


# --- tokens of invitations and invite links ---------------------------------------------------


def token_columns(vault: Sealer, table: str, row_id: str, token: str) -> dict[str, object]:
    """The `token` (sealed) and `token_hash` columns of a new invitation or invite link."""
    return {"token": seal(vault, token, f"{table}.token", row_id), "token_hash": token_hash(token)}


def token_of(vault: Sealer, table: str, row: sqlite3.Row) -> str:
    return unseal(vault, row["token"], f"{table}.token", row["id"])


def token_hash(token: str) -> str:
    return security.hash_token(token)


# --- TOTP secrets -----------------------------------------------------------------------------


def totp_secret(vault: Sealer, user: sqlite3.Row) -> str | None:
    """The user's confirmed TOTP secret, or None while 2FA is off."""
    sealed = user["totp_secret"]
    return None if sealed is None else unseal(vault, sealed, _TOTP, user["id"])


def totp_pending(vault: Sealer, user: sqlite3.Row) -> str | None:
    """The secret of an enrolment not yet confirmed, or None."""
    sealed = user["totp_pending"]
    return None if sealed is None else unseal(vault, sealed, _TOTP, user["id"])


def start_totp(db: sqlite3.Connection, vault: Sealer, user_id: str, secret: str) -> None:
    db.execute(
        "UPDATE users SET totp_pending = ? WHERE id = ?",
        (seal(vault, secret, _TOTP, user_id), user_id),
    )


def confirm_totp(db: sqlite3.Connection, user_id: str) -> None:
    db.execute(
        "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL WHERE id = ?",
        (user_id,),
    )


# --- the outbox -------------------------------------------------------------------------------


def mail_columns(vault: Sealer, to: str, body: str, code: str | None) -> tuple[bytes, bytes | None]:
    """The sealed `body` and `code` of a mail to `to`."""
    return (
        seal(vault, body, "outbox.body", to),
        None if code is None else seal(vault, code, "outbox.code", to),
    )


def mail_of(vault: Sealer, row: sqlite3.Row) -> tuple[str, str | None]:
    """The (body, code) of an outbox row."""
    to, code = row["to_addr"], row["code"]
    return (
        unseal(vault, row["body"], "outbox.body", to),
        None if code is None else unseal(vault, code, "outbox.code", to),
    )


# --- integrations' secret settings ------------------------------------------------------------


def settings_columns(
    vault: Sealer, row_id: str, kind: str, settings: dict[str, Any]
) -> dict[str, Any]:
    """The `settings` (JSON) and `secret_settings` (sealed JSON) columns of an integration.

    A secret setting stays in `settings` as null, so the settings keep their order; its value
    is in `secret_settings` (None when the type has no secret set)."""
    secret_names = _secret_names(kind)
    secrets = {k: v for k, v in settings.items() if k in secret_names}
    plain = {k: None if k in secret_names else v for k, v in settings.items()}
    sealed = seal(vault, json.dumps(secrets), "integrations.settings", row_id) if secrets else None
    return {"settings": json.dumps(plain), "secret_settings": sealed}


def settings_of(vault: Sealer, row: sqlite3.Row) -> dict[str, Any]:
    """An integration's settings, secret ones included."""
    settings: dict[str, Any] = json.loads(row["settings"])
    sealed = row["secret_settings"]
    if sealed is not None:
        settings.update(json.loads(unseal(vault, sealed, "integrations.settings", row["id"])))
    return settings


def _secret_names(kind: str) -> set[str]:
    return {f["name"] for f in INTEGRATION_TYPES[kind]["settings_schema"] if f["type"] == "secret"}
