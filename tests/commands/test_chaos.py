"""The whole product under faults (SPEC §8): a couple of hundred mixed mutating commands
through the CLI at 30% faults of every kind, latency included, end with the same server state
as the same commands without faults, and every command exits 0.

The commands are drawn from a seeded generator, so both runs send the same ones; the faults
come from the sandbox's seeded generator and the CLI waits 0 s between attempts, so a run is
reproducible and spends no time asleep. `CHAOS_COMMANDS` sets the size (`make chaos`: 10x).
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from support.demo import ADMIN, MEMBER, OWNER
from support.inprocess import Portal

COMMANDS = int(os.environ.get("CHAOS_COMMANDS", "200"))
FAULTS = {
    "rate": 0.3,
    "kinds": ["error_before", "error_after", "rate_limit", "latency"],
    "seed": 17,
    "max_latency": 0.005,
}
# No waiting between attempts, and attempts enough that 30% faults never exhaust them.
RETRIES = {"PORTAL_RETRY_ATTEMPTS": "25", "PORTAL_RETRY_MAX_DELAY": "0"}

# What differs between two runs of the same commands however correct they are: the server's
# clock has ticked on (times), and random tokens, secrets and their hashes. Sealed columns
# (`token`, `body`, `code`, `secret_settings`) differ by their nonce even when what they hold
# is the same; the commands here change no secret setting.
VOLATILE = re.compile(r"(_at|_hash|^token|^prefix|^last4|^body|^code|^secret_settings)$")
UNCOMPARED = {"idempotency", "sessions", "usage_records", "usage_daily", "portal_sessions"}
NEW_ID = re.compile(r"^[a-z]+_[0-9a-f]{16}$")


def commands(count: int, seed: int = 7) -> Iterator[tuple[str, ...]]:
    """`count` mutating commands valid in order from the demo data, re-runs among them."""
    rng = random.Random(seed)  # a reproducible mix
    keys: list[str] = []
    invited: list[str] = []
    for n in range(count):
        pick = rng.randrange(10)
        if pick == 0 or (pick == 1 and not keys):
            keys.append(f"chaos key {n}")
            yield ("secrets", "add", keys[-1])
        elif pick == 1:
            yield ("secrets", "revoke", rng.choice(keys), "--yes")  # revoked ones again too
        elif pick in (2, 3):
            fresh = [f"chaos{n}.{i}@example.com" for i in range(rng.randrange(1, 3))]
            again = rng.sample(invited, min(len(invited), rng.randrange(3)))
            invited += fresh
            resend = ("--resend",) if again and rng.random() < 0.3 else ()
            role = rng.choice(("member", "admin"))
            yield ("team", "invite", *fresh, *again, "--role", role, *resend)
        elif pick == 4:
            yield ("team", "set-role", rng.choice((ADMIN, MEMBER)), rng.choice(("admin", "member")))
        elif pick == 5:
            yield ("team", "link", "create", "--max-uses", str(rng.randrange(1, 50)))
        elif pick == 6:
            channel = f"#chaos{rng.randrange(5)}"  # often the same again: a no-op update
            yield ("integrations", "configure", "slack", "--set", f"channel={channel}")
        elif pick == 7:
            yield ("integrations", rng.choice(("enable", "disable")), "webhook")
        elif pick == 8:
            yield ("account", "rename", f"Acme Support {rng.randrange(5)}")
        else:
            yield ("org", "update", "--legal-name", f"Acme Holdings {n}")


def database(portal: Portal) -> Path:
    # The sandbox fixture's database file, from the command line it was started with.
    args = [str(arg) for arg in portal.sandbox.proc.args]
    return Path(args[args.index("--db") + 1])


def server_state(db: Path, seeded: set[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, without what differs between correct runs (times, random tokens)
    and with IDs made after the seed replaced by a placeholder; sorted, duplicates kept."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if row[0] not in UNCOMPARED and not row[0].startswith("sqlite_")
        ]
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            keep = [i for i, col in enumerate(cursor.description) if not VOLATILE.search(col[0])]
            rows = [
                tuple(
                    "<new id>" if isinstance(v, str) and NEW_ID.match(v) and v not in seeded else v
                    for v in (row[i] for i in keep)
                )
                for row in cursor
            ]
            state[table] = sorted(rows, key=repr)
    return state


def seeded_ids(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {
            value
            for table in tables
            if table not in UNCOMPARED
            for row in conn.execute(f'SELECT * FROM "{table}"')
            for value in row
            if isinstance(value, str) and NEW_ID.match(value)
        }


def run_all(portal: Portal, *, faults: bool) -> tuple[list[str], int, int, set[str]]:
    """Every command from fresh demo data: (failures described, commands that retried,
    commands answered by an idempotent replay, the IDs of the demo data)."""
    db = database(portal)
    portal.sandbox.reset()
    seeded = seeded_ids(db)  # the same after every reset: the demo seed is fixed
    me = portal.sandbox.get("me", portal.sign_in(OWNER))
    account = portal.sandbox.get(f"accounts/{me['default_account_id']}", portal.sign_in(OWNER))
    # Named up front as a script would, so each command goes straight to its own requests.
    env = {**RETRIES, "PORTAL_ACCOUNT": account["id"], "PORTAL_ORG": account["org_id"]}
    if faults:
        response = portal.sandbox.api("POST", "/_sandbox/faults", json=FAULTS)
        assert response.status_code == 200, response.text
    failures, retried, replayed = [], 0, 0
    try:
        for args in commands(COMMANDS):
            result = portal.run(*args, "--debug", exit_code=None, env=env)
            if result.code != 0:
                failures.append(result.describe())
            retried += "retrying" in result.stderr
            replayed += "idempotent replay" in result.stderr
    finally:
        portal.sandbox.faults(0.0)
    return failures, retried, replayed, seeded


def test_chaos_run_ends_as_the_run_without_faults(portal: Portal) -> None:
    db = database(portal)
    failures, _, _, seeded = run_all(portal, faults=False)
    assert failures == []
    calm = server_state(db, seeded)

    failures, retried, replayed, _ = run_all(portal, faults=True)
    assert failures == []
    # Otherwise the run proves nothing: requests failed and were retried, and some had been
    # applied before they failed (error_after) and were answered by a replay, not redone.
    assert retried >= COMMANDS // 10 and replayed >= COMMANDS // 50, (retried, replayed)
    assert server_state(db, seeded) == calm
