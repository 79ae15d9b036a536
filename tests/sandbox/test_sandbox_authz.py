"""The authorization matrix: every endpoint of SPEC §5 × every kind of caller.

Callers: no token, a bad token, the owner, the admin and the member of the first Acme account,
an API key of that account (created by the owner), and outsider@ (owner of Globex, nothing in
Acme). Every path names Acme's first account (or its org), so outsider@ must get 404 (IDs do
not leak), the member 403 on team/integration/key/billing writes, the admin 403 on billing,
plan and close, the API key 403 on keys, billing and /me*, and the owner a 2xx.

Cells the spec leaves open are written as a set of acceptable statuses, with the reason.
The public endpoints (sign-in, password reset) need no token and are tested in
test_sandbox_auth.py; they are not rows here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sandbox_support import (
    ADMIN,
    MEMBER,
    OUTSIDER,
    OWNER,
    PASSWORD,
    Sandbox,
    describe,
    png_bytes,
    settings_for,
)

ROLES = ("none", "bad", "owner", "admin", "member", "apikey", "outsider")
EMAIL = {"owner": OWNER, "admin": ADMIN, "member": MEMBER, "outsider": OUTSIDER}
BAD_TOKEN = "pst_" + "x" * 32
OK = "2xx"
Expect = int | str | frozenset[int]
# Reading team/key/usage data as a plain member, or org/plan data with an API key: the spec
# fixes neither way. Either answer is fine, but never a 404, a 401 or a 5xx.
OPEN = frozenset({200, 403})


def _expect(**cells: Expect) -> dict[str, Expect]:
    return {"none": 401, "bad": 401, **cells}


def personal(user: Expect = OK) -> dict[str, Expect]:
    """/me*: every user for themselves, never an API key."""
    return _expect(owner=user, admin=user, member=user, outsider=user, apikey=403)


def anyone(apikey: Expect = 200) -> dict[str, Expect]:
    return _expect(owner=200, admin=200, member=200, outsider=200, apikey=apikey)


def account_read(
    member: Expect = 200, admin: Expect = 200, apikey: Expect = 200
) -> dict[str, Expect]:
    return _expect(owner=200, admin=admin, member=member, apikey=apikey, outsider=404)


def admin_write() -> dict[str, Expect]:
    return _expect(owner=OK, admin=OK, member=403, apikey=OK, outsider=404)


def key_management(read: bool = False) -> dict[str, Expect]:
    ok = 200 if read else OK
    return _expect(owner=ok, admin=ok, member=OPEN if read else 403, apikey=403, outsider=404)


def owner_only(read: bool = False) -> dict[str, Expect]:
    return _expect(owner=200 if read else OK, admin=403, member=403, apikey=403, outsider=404)


@dataclass
class Call:
    """What a body factory returns: request keyword arguments."""

    json: Any = None
    files: Any = None
    params: Any = None

    def kwargs(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v is not None}


BodyFactory = Callable[[Sandbox, str], Call]


def body(value: Any) -> BodyFactory:
    return lambda sb, role: Call(json=value)


def _user(role: str) -> str | None:
    return EMAIL.get(role)


def _email_confirm(sb: Sandbox, role: str) -> Call:
    email = _user(role)
    if email is None:
        return Call(json={"code": "123456"})
    new = f"moved.{role}@example.com"
    resp = sb.post("/v1/me/email", email, json={"new_email": new, "password": PASSWORD})
    assert resp.status_code < 300, describe(resp)
    return Call(json={"code": sb.latest_code(new)})


def _totp_verify(sb: Sandbox, role: str) -> Call:
    email = _user(role)
    if email is None:
        return Call(json={"code": "123456"})
    resp = sb.post("/v1/me/totp", email)
    assert resp.status_code < 300, describe(resp)
    return Call(json={"code": sb.totp(resp.json()["secret"])})


def _with_2fa(sb: Sandbox, role: str) -> Call:
    email = _user(role)
    if email is None:
        return Call(json={"password": PASSWORD, "totp_code": "123456"})
    secret, _ = sb.enable_totp(email)
    return Call(json={"password": PASSWORD, "totp_code": sb.totp(secret)})


def _delete_me(sb: Sandbox, role: str) -> Call:
    return Call(json={"password": PASSWORD, "confirm_email": _user(role) or OWNER})


def _close(sb: Sandbox, role: str) -> Call:
    name = sb.get(f"/v1/accounts/{sb.ids.support}", OWNER).json()["name"]
    return Call(json={"confirm_name": name, "password": PASSWORD})


def _new_integration(sb: Sandbox, role: str) -> Call:
    configured = {i["type"] for i in sb.walk(f"/v1/accounts/{sb.ids.support}/integrations")}
    t = next(t for t in sb.walk("/v1/integration_types") if t["id"] not in configured)
    return Call(json={"type": t["id"], "settings": settings_for(t["settings_schema"])})


def _integration_settings(sb: Sandbox, role: str) -> Call:
    current = _integration(sb)
    t = next(t for t in sb.walk("/v1/integration_types") if t["id"] == current["type"])
    return Call(json={"settings": settings_for(t["settings_schema"])})


def _avatar(sb: Sandbox, role: str) -> Call:
    return Call(files={"file": ("me.png", png_bytes(), "image/png")})


# --- the objects the paths name, discovered on the fresh demo data ---------------------------


def _integration(sb: Sandbox) -> dict[str, Any]:
    return sb.walk(f"/v1/accounts/{sb.ids.support}/integrations")[0]


def _other_member(sb: Sandbox) -> str:
    members = sb.walk(f"/v1/accounts/{sb.ids.support}/members")
    others = [m for m in members if m["role"] == "member" and m["email"] not in EMAIL.values()]
    assert others, "the demo account should have members besides the four demo users"
    return str(others[0]["id"])


def _pending_invitation(sb: Sandbox) -> str:
    pending = [
        i for i in sb.walk(f"/v1/accounts/{sb.ids.support}/invitations") if i["status"] == "pending"
    ]
    assert pending, "the demo account should have pending invitations"
    return str(pending[0]["id"])


def _active_link(sb: Sandbox) -> str:
    links = [
        x for x in sb.walk(f"/v1/accounts/{sb.ids.support}/invite_links") if x["status"] == "active"
    ]
    assert links, "the demo account should have an invite link"
    return str(links[0]["id"])


def _seeded_key(sb: Sandbox) -> str:
    keys = [
        k for k in sb.walk(f"/v1/accounts/{sb.ids.support}/api_keys") if k["status"] == "active"
    ]
    keys = [k for k in keys if k["name"] != MATRIX_KEY_NAME]
    assert keys, "the demo account should have API keys"
    return str(keys[-1]["id"])


def _other_payment_method(sb: Sandbox) -> str:
    methods = sb.walk(f"/v1/accounts/{sb.ids.support}/payment_methods")
    return str(next(p["id"] for p in methods if not p["is_default"]))


def _invoice(sb: Sandbox) -> str:
    return str(sb.walk(f"/v1/accounts/{sb.ids.support}/invoices")[0]["id"])


PLACEHOLDERS: dict[str, Callable[[Sandbox], str]] = {
    "{a}": lambda sb: sb.ids.support,
    "{o}": lambda sb: sb.ids.acme_org,
    "{m}": _other_member,
    "{i}": _pending_invitation,
    "{l}": _active_link,
    "{intg}": lambda sb: str(_integration(sb)["id"]),
    "{k}": _seeded_key,
    "{p}": _other_payment_method,
    "{inv}": _invoice,
}


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expect: dict[str, Expect]
    make: BodyFactory | None = None
    note: str = ""
    checks_body: bool = field(default=True, compare=False)

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


ROWS = [
    # auth
    Row("GET", "/v1/auth/sessions/current", personal(200)),
    Row(
        "DELETE",
        "/v1/auth/sessions/current",
        {**personal(), "apikey": frozenset({400, 403, 404})},
        note="an API key has no session to end; the spec does not say which 4xx",
        checks_body=False,
    ),
    # me
    Row("GET", "/v1/me", personal(200)),
    Row("PATCH", "/v1/me", personal(200), body({"theme": "dark"})),
    Row("PUT", "/v1/me/avatar", personal(), _avatar),
    Row("DELETE", "/v1/me/avatar", personal(), checks_body=False),
    Row(
        "POST",
        "/v1/me/email",
        personal(),
        lambda sb, r: Call(json={"new_email": f"n.{r}@example.com", "password": PASSWORD}),
    ),
    Row("POST", "/v1/me/email/confirm", personal(), _email_confirm),
    Row(
        "POST",
        "/v1/me/password",
        personal(),
        body({"current_password": PASSWORD, "new_password": "another-password-1"}),
    ),
    Row("POST", "/v1/me/totp", personal(), checks_body=False),
    Row("POST", "/v1/me/totp/verify", personal(), _totp_verify),
    Row("DELETE", "/v1/me/totp", personal(), _with_2fa),
    Row("POST", "/v1/me/recovery_codes", personal(), _with_2fa),
    Row(
        "DELETE",
        "/v1/me",
        {**personal(), "owner": 409, "outsider": 409},
        _delete_me,
        note="owner@ and outsider@ are sole owners of open accounts",
    ),
    # orgs
    Row("GET", "/v1/orgs", anyone()),
    Row(
        "POST",
        "/v1/orgs",
        _expect(owner=OK, admin=OK, member=OK, outsider=OK, apikey=403),
        body({"name": "New Org"}),
    ),
    Row("GET", "/v1/orgs/{o}", account_read(apikey=OPEN)),
    Row("PATCH", "/v1/orgs/{o}", owner_only(), body({"legal_name": "Acme Holdings"})),
    Row("GET", "/v1/orgs/{o}/accounts", account_read(apikey=OPEN)),
    Row(
        "POST",
        "/v1/orgs/{o}/accounts",
        owner_only(),
        body({"name": "Acme Labs", "plan": "connect"}),
    ),
    # accounts
    Row("GET", "/v1/accounts/{a}", account_read()),
    Row(
        "PATCH",
        "/v1/accounts/{a}",
        _expect(
            owner=200,
            admin=frozenset({200, 403}),
            member=403,
            apikey=frozenset({200, 403}),
            outsider=404,
        ),
        body({"name": "Acme Renamed"}),
        note="renaming is neither listed as owner-only nor as admin work",
    ),
    Row("GET", "/v1/accounts/{a}/package", account_read()),
    Row("GET", "/v1/accounts/{a}/dashboard", account_read()),
    Row("POST", "/v1/accounts/{a}/close", owner_only(), _close),
    # team
    Row("GET", "/v1/accounts/{a}/members", account_read()),
    Row("PATCH", "/v1/accounts/{a}/members/{m}", admin_write(), body({"role": "admin"})),
    Row("DELETE", "/v1/accounts/{a}/members/{m}", admin_write(), checks_body=False),
    Row("GET", "/v1/accounts/{a}/invitations", account_read(member=OPEN)),
    Row(
        "POST",
        "/v1/accounts/{a}/invitations",
        admin_write(),
        body({"emails": ["matrix@example.com"], "role": "member"}),
    ),
    Row("POST", "/v1/accounts/{a}/invitations/{i}/revoke", admin_write(), checks_body=False),
    Row("POST", "/v1/accounts/{a}/invitations/{i}/resend", admin_write(), checks_body=False),
    Row("GET", "/v1/accounts/{a}/invite_links", account_read(member=OPEN)),
    Row(
        "POST",
        "/v1/accounts/{a}/invite_links",
        admin_write(),
        body({"role": "member", "max_uses": 3}),
    ),
    Row("POST", "/v1/accounts/{a}/invite_links/{l}/revoke", admin_write(), checks_body=False),
    # integrations
    Row("GET", "/v1/integration_types", anyone()),
    Row("GET", "/v1/accounts/{a}/integrations", account_read()),
    Row("POST", "/v1/accounts/{a}/integrations", admin_write(), _new_integration),
    Row("GET", "/v1/accounts/{a}/integrations/{intg}", account_read()),
    Row("PATCH", "/v1/accounts/{a}/integrations/{intg}", admin_write(), _integration_settings),
    Row("DELETE", "/v1/accounts/{a}/integrations/{intg}", admin_write(), checks_body=False),
    Row("POST", "/v1/accounts/{a}/integrations/{intg}/enable", admin_write(), checks_body=False),
    Row("POST", "/v1/accounts/{a}/integrations/{intg}/disable", admin_write(), checks_body=False),
    # api keys
    Row("GET", "/v1/accounts/{a}/api_keys", key_management(read=True)),
    Row("POST", "/v1/accounts/{a}/api_keys", key_management(), body({"name": "matrix created"})),
    Row("POST", "/v1/accounts/{a}/api_keys/{k}/revoke", key_management(), checks_body=False),
    Row(
        "POST", "/v1/accounts/{a}/api_keys/{k}/roll", key_management(), body({"old_expires_in": 60})
    ),
    # billing
    Row("GET", "/v1/plans", anyone(apikey=OPEN)),
    Row("GET", "/v1/accounts/{a}/subscription", owner_only(read=True)),
    Row(
        "GET",
        "/v1/accounts/{a}/subscription/preview",
        owner_only(read=True),
        lambda sb, r: Call(params={"plan": "transact"}),
    ),
    Row("POST", "/v1/accounts/{a}/subscription", owner_only(), body({"plan": "transact"})),
    Row(
        "POST", "/v1/accounts/{a}/subscription/cancel", owner_only(), body({"at_period_end": True})
    ),
    Row("GET", "/v1/accounts/{a}/payment_methods", owner_only(read=True)),
    Row(
        "POST", "/v1/accounts/{a}/payment_methods/{p}/set_default", owner_only(), checks_body=False
    ),
    Row("DELETE", "/v1/accounts/{a}/payment_methods/{p}", owner_only(), checks_body=False),
    Row("GET", "/v1/accounts/{a}/invoices", owner_only(read=True)),
    Row("GET", "/v1/accounts/{a}/invoices/{inv}", owner_only(read=True)),
    Row("GET", "/v1/accounts/{a}/invoices/{inv}/pdf", owner_only(read=True)),
    Row("POST", "/v1/accounts/{a}/billing_portal_sessions", owner_only(), checks_body=False),
    # usage
    Row("GET", "/v1/usage_prices", anyone()),
    Row(
        "GET", "/v1/accounts/{a}/usage_records", account_read(member=OPEN, admin=OPEN, apikey=OPEN)
    ),
    Row(
        "GET", "/v1/accounts/{a}/usage_summary", account_read(member=OPEN, admin=OPEN, apikey=OPEN)
    ),
]
MATRIX_KEY_NAME = "authz matrix key"


class Matrix:
    """One module-wide sandbox, reset only when a case may have changed something."""

    def __init__(self, sb: Sandbox) -> None:
        self.sb = sb
        self.dirty = True
        self._key: str | None = None

    def fresh(self) -> Sandbox:
        if self.dirty:
            self.sb.reset()
            self._key = None
            self.dirty = False
        return self.sb

    def who(self, role: str) -> str | None:
        if role == "none":
            return None
        if role == "bad":
            return BAD_TOKEN
        if role == "apikey":
            if self._key is None:
                self._key = self.sb.create_api_key(self.sb.ids.support, MATRIX_KEY_NAME)["secret"]
            return self._key
        return EMAIL[role]

    def path(self, template: str) -> str:
        for placeholder, resolve in PLACEHOLDERS.items():
            if placeholder in template:
                template = template.replace(placeholder, resolve(self.sb))
        return template


@pytest.fixture(scope="module")
def matrix(shared_sb: Sandbox) -> Matrix:
    return Matrix(shared_sb)


def _matches(status: int, expected: Expect) -> bool:
    if expected == OK:
        return 200 <= status < 300
    if isinstance(expected, frozenset):
        return status in expected
    return status == expected


CASES = [pytest.param(row, role, id=f"{row.id} as {role}") for row in ROWS for role in ROLES]


@pytest.mark.parametrize(("row", "role"), CASES)
def test_authorization_matrix(matrix: Matrix, row: Row, role: str) -> None:
    sb = matrix.fresh()
    path = matrix.path(row.path)
    who = matrix.who(role)
    call = row.make(sb, role) if row.make else Call()
    if row.make is not None and role in EMAIL:
        matrix.dirty = True  # the factory's set-up (e.g. enrolling 2FA) changed state
    resp = sb.call(row.method, path, who, **call.kwargs())
    if row.method != "GET" or resp.status_code >= 300:
        matrix.dirty = True
    expected = row.expect[role]
    assert _matches(resp.status_code, expected), f"{role}: expected {expected}; {describe(resp)}"
    if resp.status_code >= 400:
        error = resp.json()["error"]
        assert error["type"] == {
            401: "authentication_error",
            403: "permission_error",
            404: "invalid_request_error",
            409: "conflict_error",
        }.get(resp.status_code, error["type"]), describe(resp)
    # A role-specific ending may have invalidated the cached session (sign-out, deletion).
    if row.path in ("/v1/auth/sessions/current", "/v1/me") and row.method == "DELETE":
        sb.forget()


def test_every_spec_endpoint_is_in_the_matrix(shared_sb: Sandbox) -> None:
    """The table covers every /v1 operation the OpenAPI document has, but the public ones."""
    spec = shared_sb.client.get("/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        for method in ops
        if path.startswith("/v1/")
    }
    public = {
        ("POST", "/v1/auth/sessions"),
        ("POST", "/v1/auth/password_resets"),
        ("POST", "/v1/auth/password_resets/confirm"),
    }

    def shape(path: str) -> str:
        # Compare templates by position only: {account_id} and {a} are the same slot.
        return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))

    in_table = {(row.method, shape(row.path)) for row in ROWS}
    missing = {(m, p) for m, p in documented - public if (m, shape(p)) not in in_table}
    assert not missing, f"operations without a row in the matrix: {sorted(missing)}"


# --- authorization comes before validation ---------------------------------------------------

REFUSED = [
    pytest.param(row, role, id=f"{row.id} as {role}")
    for row in ROWS
    if row.method != "GET" and row.checks_body
    for role in ("none", "member", "apikey", "outsider")
    if row.expect[role] in (401, 403, 404)
]


@pytest.mark.parametrize(("row", "role"), REFUSED)
def test_a_refused_caller_gets_the_same_answer_with_a_bad_body(
    matrix: Matrix, row: Row, role: str
) -> None:
    sb = matrix.fresh()
    path = matrix.path(row.path)
    who = matrix.who(role)
    if row.path == "/v1/me/avatar":
        resp = sb.call(
            row.method, path, who, files={"file": ("x.png", b"MZ not an image", "image/png")}
        )
    else:
        resp = sb.call(row.method, path, who, json={"surely_not_a_field": ["\x00" * 3]})
    if resp.status_code < 300:
        matrix.dirty = True
    assert resp.status_code == row.expect[role], describe(resp)


def test_other_accounts_ids_are_404_not_403(sb: Sandbox) -> None:
    # admin@ belongs to Acme Support only: Acme Sales and Globex are invisible to it.
    for account in (sb.ids.sales, sb.ids.globex):
        for sub in ("", "/members", "/api_keys", "/subscription", "/usage_records"):
            resp = sb.get(f"/v1/accounts/{account}{sub}", ADMIN)
            assert resp.status_code == 404, describe(resp)
    err_invite = sb.post(
        f"/v1/accounts/{sb.ids.globex}/invitations", OWNER, json={"emails": ["x@example.com"]}
    )
    assert err_invite.status_code == 404, describe(err_invite)


def test_a_refused_caller_gets_the_same_answer_with_malformed_json(sb: Sandbox) -> None:
    """'Whatever the body says' includes a body that is not JSON at all."""
    broken = {"content": b'{"emails": [', "headers": {"Content-Type": "application/json"}}
    invitations = f"/v1/accounts/{sb.ids.support}/invitations"
    for who, path, status in (
        (None, "/v1/orgs", 401),
        (BAD_TOKEN, "/v1/orgs", 401),
        (MEMBER, invitations, 403),
        (OUTSIDER, invitations, 404),
    ):
        resp = sb.call("POST", path, who, **broken)  # type: ignore[arg-type]
        assert resp.status_code == status, describe(resp)
