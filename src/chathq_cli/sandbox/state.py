"""The state behind one sandbox app, below everything that serves it: the app, its middleware
and its request dependencies all reach it, so it imports none of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from chathq_cli.sandbox import seed as seeding
from chathq_cli.sandbox.clock import Clock
from chathq_cli.sandbox.faults import KINDS, Faults
from chathq_cli.sandbox.sealing import Sealer
from chathq_cli.sandbox.store import Store

SeedKind = Literal["demo", "empty"]


@dataclass
class Sandbox:
    """The state behind one app: database, clock, faults, and how to re-seed."""

    store: Store
    clock: Clock
    faults: Faults
    seed: SeedKind
    seed_value: int
    usage_records: int | None
    # Made with the process, never stored: it seals the replays of secret-bearing responses.
    sealer: Sealer = field(default_factory=Sealer)
    # Likewise: the data key of the secrets kept in the tables (sandbox/at_rest.py). Apart from
    # `sealer`, so that losing the replays (as a restart does) leaves the data readable.
    vault: Sealer = field(default_factory=Sealer)

    def reset(self) -> None:
        """Back to the start: clock, faults off, data re-seeded the way it was at start."""
        with self.store.exclusive():
            start = self.clock.restart()
            self.faults.configure(0.0, KINDS, 0)
            self.store.recreate()
            if self.seed == "demo":
                # Seed from the start value itself (not a ticking now()): same data every run.
                seeding.seed_demo(
                    self.store, self.vault, start, self.seed_value, self.usage_records
                )
