"""Replays of secret-bearing responses, kept encrypted with a key only this process holds.

A write that answers with a secret (a new API key, a rolled key, a TOTP enrolment, recovery
codes, an invite link or billing portal URL) still has to be replayable: under faults the client
may never have seen the first answer, and without the replay it could never learn the secret of
the key it created. Keeping a hash instead would make the replay useless for exactly that case,
so the replay is kept whole but sealed with AES-GCM under a key made at start-up and never
written anywhere: the database file (and its WAL) hold only ciphertext.

The cost: a sandbox restarted on the same `--db` file cannot open the replays of the process
before it. Such a replay is refused (409 `idempotency_replay_unavailable`) rather than run again,
which would create a second key.
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class Sealer:
    """Encrypts and authenticates stored replays under a per-process key."""

    def __init__(self) -> None:
        self._aead = AESGCM(AESGCM.generate_key(bit_length=256))

    def seal(self, plain: bytes, context: bytes) -> bytes:
        """Ciphertext bound to `context` (the record's caller and key): a sealed body moved
        to another record does not open."""
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plain, context)

    def open(self, sealed: bytes, context: bytes) -> bytes | None:
        """The plain body, or None when this process did not seal it (or it was altered)."""
        nonce, data = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, data, context)
        except (InvalidTag, ValueError):
            return None


def context(caller: str, key: str) -> bytes:
    return f"{caller}\0{key}".encode()
