"""Under the sandbox's faults (SPEC §6, §8) mutating commands still end with exit 0 and the
server holds each change exactly once: the CLI retries with the same idempotency key.

In-process, through the same HTTP client and retry policy as the console script; the mixed
version over more groups is tests/commands/test_faults_mixed.py.
"""

from __future__ import annotations

from support.harness import OWNER, Sandbox
from support.inprocess import Portal

# Patient enough that 30% faults never exhaust the attempts, quick enough for a test:
# Retry-After (1 s from the sandbox) is capped by the max delay.
RETRIES = {"PORTAL_RETRY_ATTEMPTS": "10", "PORTAL_RETRY_MAX_DELAY": "0.1"}


def test_mutations_under_30_percent_faults_apply_exactly_once(
    portal: Portal, sandbox: Sandbox
) -> None:
    token = portal.sign_in(OWNER)
    account_id = sandbox.get("me", token)["default_account_id"]
    orgs_before = sandbox.list_all("orgs", token)
    # Seed 89 puts several error_after, error_before and rate_limit faults in the first requests.
    sandbox.faults(0.3, seed=89)

    created = [f"Faulty Org {n}" for n in range(4)]
    runs = [portal.run("org", "create", name, "--debug", env=RETRIES) for name in created]
    runs.append(
        portal.run("api", "POST", "orgs", "-f", "name=Faulty Raw Org", "--debug", env=RETRIES)
    )
    runs.append(portal.run("account", "rename", "Renamed Under Faults", "--debug", env=RETRIES))
    runs.append(portal.run("account", "show", "--json", "--debug", env=RETRIES))
    # Otherwise the test proves nothing: some requests must have failed and been retried.
    assert any("retry" in run.stderr.lower() for run in runs), [r.stderr for r in runs]

    sandbox.faults(0.0)
    names = [org["name"] for org in sandbox.list_all("orgs", token)]
    for name in [*created, "Faulty Raw Org"]:
        assert names.count(name) == 1, f"{name!r} applied {names.count(name)} times: {names}"
    assert len(names) == len(orgs_before) + len(created) + 1
    assert sandbox.get(f"accounts/{account_id}", token)["name"] == "Renamed Under Faults"
