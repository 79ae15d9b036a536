"""Property-based API testing of the sandbox with schemathesis, from its own /openapi.json.

Every /v1 operation, in-process (ASGI), authenticated as the demo owner with a session that is
checked before each example and replaced when an example ended it (so `DELETE
/v1/auth/sessions/current` cannot sign the run out: no operation is excluded; a new session per
example would cost a scrypt sign-in each). Path IDs are either generated (unknown IDs -> 404)
or, half of the time, real IDs of the demo data, so the handlers behind the 404 are exercised
too. Positive examples (valid by the schema) and negative ones (invalid) both run, under every
check schemathesis registers (its CLI's `--checks all`): among them no 5xx, responses and
headers as documented, schema-valid data accepted (but for the business rules below), invalid
data rejected, and auth not ignored.

`make test` runs 3 examples per operation and mode; `make test-deep` sets
PORTAL_SCHEMATHESIS_EXAMPLES for the full depth (25).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_support import OWNER, Sandbox, auth, login, make_app
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, is_check_class, load_all_checks
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.python import asgi
from schemathesis.specs.openapi import checks as openapi_checks

pytestmark = pytest.mark.slow

# Derandomized, so the same examples every run; the deep run explores further.
MAX_EXAMPLES = int(os.environ.get("PORTAL_SCHEMATHESIS_EXAMPLES", "3"))

# Rules no schema can state, each answered with an error code of its own: the cursor a previous
# page issued, `until` after `since`, the current plan, the account's own name or the user's own
# address typed as a confirmation, an e-mailed code, the per-type integration settings (from
# GET /v1/integration_types), an expiry relative to now, and an image's bytes. A schema-valid
# request may break them; any other rejection of one is a schema that promises too much.
BUSINESS_RULES = {
    (400, "invalid_cursor"),
    (400, "invalid_range"),
    (400, "plan_unchanged"),
    (400, "invalid_code"),
    (415, "unsupported_media_type"),
    (422, "confirmation_mismatch"),
    (422, "setting_invalid"),
    (422, "unknown_integration_type"),
    (422, "expires_at_out_of_range"),
}


def positive_data_acceptance(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis' check, minus the business rules above."""
    try:
        return openapi_checks.positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        try:
            code = response.json()["error"]["code"]
        except (ValueError, KeyError, TypeError):
            raise
        if (response.status_code, code) in BUSINESS_RULES:
            return None
        raise


load_all_checks()
# Every check this schemathesis version registers (the `--checks all` of its CLI).
ALL_CHECKS = [
    positive_data_acceptance if check is openapi_checks.positive_data_acceptance else check
    for check in CHECKS.get_all()
    if not is_check_class(check)
]

APP = make_app()
# The schema comes from the app object and requests go through an ASGI session that is never
# entered: nothing runs the app's lifespan, whose end (schemathesis' pytest plugin ends every
# lifespan it started after each test) would close the sandbox's database mid-module.
SCHEMA = schemathesis.openapi.from_dict(APP.openapi())
# Checks that send probes of their own (ignored_auth, unsupported_method, positive/negative data
# probes...) reach the same in-process app; the sandbox has no lifespan handler to run.
SCHEMA.app = APP
ASGI_SESSION = asgi.ASGIClient(APP)
BASE_URL = "http://testserver"
OPERATIONS = {op.label: op for op in (result.ok() for result in SCHEMA.get_all_operations())}


@pytest.fixture(scope="module")
def driver() -> Sandbox:
    from fastapi.testclient import TestClient

    # Not entered as a context manager either, for the same reason.
    sb = Sandbox(TestClient(APP))
    sb.reset()
    return sb


class Session:
    """The demo owner's session token, signed in again only after an example ended it."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.token: str | None = None

    def current(self) -> str:
        if self.token is None or self.sb.client.get("/v1/me", headers=auth(self.token)).is_error:
            self.token = login(self.sb.client, OWNER)
        return self.token


@pytest.fixture(scope="module")
def session(driver: Sandbox) -> Session:
    return Session(driver)


def _real_ids(sb: Sandbox) -> dict[str, Callable[[], str]]:
    """The collection a path parameter follows -> a real ID of the demo data, found lazily."""
    a = sb.ids.support

    def first(path: str) -> Callable[[], str]:
        def pick() -> str:
            rows = sb.walk(path, OWNER)
            return str(rows[-1]["id"]) if rows else "missing"

        return pick

    return {
        "accounts": lambda: a,
        "orgs": lambda: sb.ids.acme_org,
        "members": first(f"/v1/accounts/{a}/members"),
        "invitations": first(f"/v1/accounts/{a}/invitations"),
        "invite_links": first(f"/v1/accounts/{a}/invite_links"),
        "integrations": first(f"/v1/accounts/{a}/integrations"),
        "api_keys": first(f"/v1/accounts/{a}/api_keys"),
        "payment_methods": first(f"/v1/accounts/{a}/payment_methods"),
        "invoices": first(f"/v1/accounts/{a}/invoices"),
    }


def _use_real_ids(sb: Sandbox, path: str, params: dict[str, Any]) -> dict[str, Any]:
    real = _real_ids(sb)
    parts = path.strip("/").split("/")
    out = dict(params)
    for before, part in itertools.pairwise(parts):
        name = part.strip("{}")
        if part.startswith("{") and name in out and before in real:
            out[name] = real[before]()
    return out


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_operation(driver: Sandbox, session: Session, label: str, mode: GenerationMode) -> None:
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy(generation_mode=mode), real_ids=st.booleans())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any, real_ids: bool) -> None:
        if real_ids and case.path_parameters:
            case.path_parameters = _use_real_ids(driver, operation.path, case.path_parameters)
        token = session.current()
        case.call_and_validate(
            base_url=BASE_URL, session=ASGI_SESSION, headers=auth(token), checks=ALL_CHECKS
        )

    run()
