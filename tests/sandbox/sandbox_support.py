"""Helpers shared by the sandbox's tests: a thin driver around a TestClient (or httpx.Client).

The driver logs demo users in lazily, discovers every generated ID through the API (never
hard-coded), and turns error envelopes into readable assertion messages.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pyotp

from support.demo import ADMIN, MEMBER, OUTSIDER, OWNER, SANDBOX_NOW
from support.demo import DEMO_PASSWORD as PASSWORD

NOW = datetime.fromisoformat(SANDBOX_NOW)
DEMO_USERS = (OWNER, ADMIN, MEMBER, OUTSIDER)

PRICES = {
    "sms": Decimal("0.01"),
    "calls": Decimal("0.06"),
    "chat": Decimal("0.01"),
    "numbers": Decimal("2.00"),
}


def make_app(**kwargs: Any) -> Any:
    """The demo sandbox app at the pinned test clock; keyword arguments override."""
    from chathq_cli.sandbox.app import create_app

    options: dict[str, Any] = {"seed": "demo", "seed_value": 42, "now": NOW}
    options.update(kwargs)
    return create_app(**options)


def rfc3339(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def describe(resp: httpx.Response) -> str:
    """One readable line for assertion messages: the request, the status and the body."""
    body = resp.text
    if len(body) > 600:
        body = body[:600] + "..."
    return f"{resp.request.method} {resp.request.url} -> {resp.status_code}: {body}"


def ok(resp: httpx.Response, status: int | None = None) -> Any:
    """Assert a 2xx (or exactly `status`) and return the JSON body (None for an empty body)."""
    if status is None:
        assert 200 <= resp.status_code < 300, describe(resp)
    else:
        assert resp.status_code == status, describe(resp)
    return resp.json() if resp.content else None


def err(
    resp: httpx.Response,
    status: int,
    type: str | None = None,
    code: str | None = None,
    param: str | None = None,
) -> dict[str, Any]:
    """Assert an error response in the documented envelope and return its `error` object."""
    assert resp.status_code == status, describe(resp)
    body = resp.json()
    assert set(body) == {"error"}, describe(resp)
    error = body["error"]
    assert {"type", "code", "message", "param", "request_id"} <= set(error), describe(resp)
    assert error["message"], describe(resp)
    assert error["request_id"] == resp.headers.get("Request-Id"), describe(resp)
    if type is not None:
        assert error["type"] == type, describe(resp)
    if code is not None:
        assert error["code"] == code, describe(resp)
    if param is not None:
        assert error["param"] == param, describe(resp)
    return error


def items(body: Any) -> list[dict[str, Any]]:
    """The objects of a list envelope, or of a bare JSON array."""
    if isinstance(body, dict) and body.get("object") == "list":
        return list(body["data"])
    assert isinstance(body, list), body
    return body


def png_bytes() -> bytes:
    """A real 1x1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


GIF_1X1 = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
# SOI + JFIF APP0 + EOI: what "JPEG by magic bytes" looks at.
JPEG_MIN = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE_HEADER = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


@dataclass
class Ids:
    """Generated IDs of the demo data, discovered through the API."""

    acme_org: str
    globex_org: str
    support: str  # the first Acme account: admin@ and member@ belong to it
    sales: str  # the other Acme account
    globex: str  # outsider@'s account


@dataclass
class Sandbox:
    """A driver for one sandbox app (TestClient) or server (httpx.Client with base_url)."""

    client: httpx.Client
    clock: datetime = NOW
    _tokens: dict[str, str] = field(default_factory=dict)
    _ids: Ids | None = None

    # --- requests -------------------------------------------------------------------------

    def token(self, email: str, password: str = PASSWORD) -> str:
        if email not in self._tokens:
            self._tokens[email] = login(self.client, email, password)
        return self._tokens[email]

    def forget(self, email: str | None = None) -> None:
        if email is None:
            self._tokens.clear()
        else:
            self._tokens.pop(email, None)

    def headers(self, who: str | None, extra: dict[str, str] | None = None) -> dict[str, str]:
        """`who`: a demo e-mail (logged in lazily), a raw token (pst_/sk_...), or None."""
        headers = dict(extra or {})
        if who is not None:
            headers.update(auth(self.token(who) if "@" in who else who))
        return headers

    def call(
        self,
        method: str,
        path: str,
        who: str | None = OWNER,
        *,
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> httpx.Response:
        return self.client.request(method, path, headers=self.headers(who, headers), **kw)

    def get(self, path: str, who: str | None = OWNER, **kw: Any) -> httpx.Response:
        return self.call("GET", path, who, **kw)

    def post(self, path: str, who: str | None = OWNER, **kw: Any) -> httpx.Response:
        return self.call("POST", path, who, **kw)

    def patch(self, path: str, who: str | None = OWNER, **kw: Any) -> httpx.Response:
        return self.call("PATCH", path, who, **kw)

    def delete(self, path: str, who: str | None = OWNER, **kw: Any) -> httpx.Response:
        return self.call("DELETE", path, who, **kw)

    def walk(
        self, path: str, who: str | None = OWNER, *, limit: int = 100, params: Any = None
    ) -> list[dict[str, Any]]:
        return list(self.iter_pages_items(path, who, limit=limit, params=params))

    def iter_pages_items(
        self, path: str, who: str | None = OWNER, *, limit: int = 100, params: Any = None
    ) -> Iterator[dict[str, Any]]:
        """Follow `next_cursor` to the end; asserts the list envelope on every page."""
        base = list(params.items()) if isinstance(params, dict) else list(params or [])
        cursor: str | None = None
        for _ in range(100_000):
            query = [*base, ("limit", limit)]
            if cursor is not None:
                query.append(("starting_after", cursor))
            page = ok(self.get(path, who, params=query), 200)
            assert page["object"] == "list", page
            assert len(page["data"]) <= limit, page
            yield from page["data"]
            if not page["has_more"]:
                assert page["next_cursor"] is None, page
                return
            assert page["next_cursor"], page
            assert page["data"], "has_more with an empty page"
            cursor = page["next_cursor"]
        raise AssertionError("pagination did not end")

    # --- sandbox-only controls --------------------------------------------------------------

    def reset(self) -> None:
        ok(self.client.post("/_sandbox/reset"))
        self._tokens.clear()
        self._ids = None
        self.set_clock(NOW)

    def set_clock(self, when: datetime) -> None:
        ok(self.client.post("/_sandbox/clock", json={"now": rfc3339(when)}))
        self.clock = when

    def advance(self, delta: timedelta) -> datetime:
        self.set_clock(self.clock + delta)
        return self.clock

    def faults(self, rate: float, kinds: list[str] | None = None, seed: int = 7) -> None:
        body: dict[str, Any] = {"rate": rate, "seed": seed}
        if kinds is not None:
            body["kinds"] = kinds
        ok(self.client.post("/_sandbox/faults", json=body))

    def outbox(self, to: str | None = None) -> list[dict[str, Any]]:
        mails = items(ok(self.client.get("/_sandbox/outbox"), 200))
        return [m for m in mails if to is None or m["to"] == to]

    def latest_code(self, to: str) -> str:
        mails = [m for m in self.outbox(to) if m.get("code")]
        assert mails, f"no mail with a code to {to}: {self.outbox()}"
        # The outbox may be oldest- or newest-first: pick by created_at, then position.
        newest = max(enumerate(mails), key=lambda im: (im[1]["created_at"], im[0]))[1]
        return str(newest["code"])

    def totp(self, secret: str) -> str:
        """A code for `secret` in a fresh 30 s step: moves the sandbox clock forward first, so
        every code used in a test has its own counter (codes are single-use per counter)."""
        when = self.advance(timedelta(seconds=30))
        return pyotp.TOTP(secret).at(when)

    def enable_totp(self, email: str) -> tuple[str, list[str]]:
        """Enrols `email` in 2FA through the API; returns (secret, recovery codes)."""
        enrol = ok(self.post("/v1/me/totp", email))
        secret = enrol["secret"]
        codes = ok(self.post("/v1/me/totp/verify", email, json={"code": self.totp(secret)}))
        return secret, codes["recovery_codes"]

    # --- discovery --------------------------------------------------------------------------

    @property
    def ids(self) -> Ids:
        if self._ids is None:
            self._ids = self._discover()
        return self._ids

    def _discover(self) -> Ids:
        orgs = {o["name"]: o["id"] for o in self.walk("/v1/orgs", OWNER)}
        globex_orgs = {o["name"]: o["id"] for o in self.walk("/v1/orgs", OUTSIDER)}
        acme = orgs["Acme"]
        support = ok(self.get("/v1/me", ADMIN))["default_account_id"]
        acme_accounts = [a["id"] for a in self.walk(f"/v1/orgs/{acme}/accounts", OWNER)]
        assert support in acme_accounts and len(acme_accounts) == 2, acme_accounts
        sales = next(a for a in acme_accounts if a != support)
        globex = ok(self.get("/v1/me", OUTSIDER))["default_account_id"]
        return Ids(acme, globex_orgs["Globex"], support, sales, globex)

    def member_id(self, account: str, email: str) -> str:
        members = self.walk(f"/v1/accounts/{account}/members", OWNER)
        return next(m["id"] for m in members if m["email"] == email)

    def create_api_key(self, account: str, name: str = "test key") -> dict[str, Any]:
        return ok(self.post(f"/v1/accounts/{account}/api_keys", OWNER, json={"name": name}))


def login(
    client: httpx.Client, email: str, password: str = PASSWORD, totp_code: str | None = None
) -> str:
    body: dict[str, Any] = {"email": email, "password": password}
    if totp_code is not None:
        body["totp_code"] = totp_code
    session = ok(client.post("/v1/auth/sessions", json=body))
    token = session["token"]
    assert token.startswith("pst_"), session
    return str(token)


def settings_for(schema: list[dict[str, Any]], *, required_only: bool = False) -> dict[str, Any]:
    """Valid settings for an integration type's settings_schema."""
    values: dict[str, Any] = {}
    for f in schema:
        if required_only and not f.get("required"):
            continue
        values[f["name"]] = {
            "string": f"value-{f['name']}",
            "url": "https://hooks.example.com/chathq",
            "email": "ops@example.com",
            "secret": "sk-live-abcdef123456",
            "bool": True,
            "enum": (f.get("choices") or [""])[0],
        }[f["type"]]
    return values
