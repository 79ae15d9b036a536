"""Prefixed object IDs (SPEC §5): `acct_` + 16 hex digits, the prefixes from api/rules.py."""

from __future__ import annotations

import random
import secrets

from chathq_cli.api.rules import ID_PREFIXES


def new_id(kind: str, rng: random.Random | None = None) -> str:
    """A fresh ID of `kind` (a key of ID_PREFIXES: "account", "member"...); seeded data passes
    its own `rng` so it is the same on every run."""
    prefix = ID_PREFIXES[kind]
    bits = rng.getrandbits(64) if rng is not None else secrets.randbits(64)
    return f"{prefix}{bits:016x}"
