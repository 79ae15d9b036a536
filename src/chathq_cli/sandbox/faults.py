"""Fault injection (SPEC §6): drawn per /v1 request from a seeded random generator."""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence

KINDS = ("error_before", "error_after", "rate_limit", "latency")
MAX_LATENCY = 0.2  # seconds: the longest `latency` delay unless configured otherwise


class Faults:
    def __init__(self, rate: float = 0.0, kinds: Sequence[str] = KINDS, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self.configure(rate, kinds, seed)

    def configure(
        self, rate: float, kinds: Sequence[str], seed: int, max_latency: float = MAX_LATENCY
    ) -> None:
        """`max_latency`: the longest `latency` delay (seconds); each is drawn between a
        quarter of it and all of it. Small values let long fault runs stay fast."""
        unknown = sorted(set(kinds) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown fault kinds: {', '.join(unknown)}")
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if not 0.0 <= max_latency <= 10.0:
            raise ValueError("max_latency must be between 0 and 10 seconds")
        with self._lock:
            self.rate = rate
            self.kinds = tuple(kinds) or KINDS
            self.seed = seed
            self.max_latency = max_latency
            self._rng = random.Random(seed)  # noqa: S311 - reproducible faults, not security

    def draw(self) -> str | None:
        """The fault for this request, or None."""
        with self._lock:
            if self.rate <= 0 or self._rng.random() >= self.rate:
                return None
            return self._rng.choice(self.kinds)

    def latency_seconds(self) -> float:
        with self._lock:
            return self._rng.uniform(self.max_latency / 4, self.max_latency)

    def drop_connection(self) -> bool:
        """For `error_after`: drop the connection (True) or answer 500 (False), half each."""
        with self._lock:
            return self._rng.random() < 0.5

    def state(self) -> dict[str, object]:
        return {
            "rate": self.rate,
            "kinds": list(self.kinds),
            "seed": self.seed,
            "max_latency": self.max_latency,
        }
