"""Prefixed object IDs (SPEC §5): `acct_` + 16 hex digits."""

from __future__ import annotations

import random
import secrets


def new_id(prefix: str, rng: random.Random | None = None) -> str:
    """A fresh ID; seeded data passes its own `rng` so it is the same on every run."""
    bits = rng.getrandbits(64) if rng is not None else secrets.randbits(64)
    return f"{prefix}{bits:016x}"
