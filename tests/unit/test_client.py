"""PortalClient against respx: idempotency keys, error mapping, pagination, URLs, resources."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from chathq_cli import errors
from chathq_cli.api.orgs import Org
from chathq_cli.cli.hints import hint_for
from chathq_cli.client import PortalClient, RetryPolicy

HOST = "http://127.0.0.1:8787"
CREATED = "2026-01-05T10:00:00Z"


@pytest.fixture
def api():
    with respx.mock(base_url=HOST, assert_all_called=False) as mock:
        yield mock


@pytest.fixture
def client():
    with PortalClient(HOST, "pst_token123456", retry=RetryPolicy.none()) as c:
        yield c


def retrying_client() -> PortalClient:
    return PortalClient(HOST, retry=RetryPolicy(attempts=3, sleep=lambda _: None))


def org(n: int) -> dict:
    return {"id": f"org_{n}", "object": "org", "name": f"Org {n}", "created_at": CREATED}


def user() -> dict:
    return {
        "id": "usr_1",
        "email": "owner@demo.chathq.test",
        "display_name": "Owner",
        "notifications": {},
        "created_at": CREATED,
        "default_account_id": "acct_1",
    }


def envelope(type_: str, code: str, message: str, param=None, request_id="req_env") -> dict:
    return {
        "error": {
            "type": type_,
            "code": code,
            "message": message,
            "param": param,
            "request_id": request_id,
        }
    }


# --- idempotency keys -----------------------------------------------------------------------


def test_same_idempotency_key_on_every_retry(api):
    route = api.post("/v1/orgs").mock(
        side_effect=[httpx.Response(500), httpx.Response(503), httpx.Response(201, json=org(1))]
    )
    with retrying_client() as client:
        client.create_org("Org 1")
    keys = [call.request.headers["Idempotency-Key"] for call in route.calls]
    assert len(keys) == 3
    assert len(set(keys)) == 1
    assert len(keys[0]) == 36  # a uuid4


def test_different_keys_for_two_calls(client, api):
    route = api.post("/v1/orgs").mock(return_value=httpx.Response(201, json=org(1)))
    client.create_org("Org 1")
    client.create_org("Org 1")
    first, second = (call.request.headers["Idempotency-Key"] for call in route.calls)
    assert first != second


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
def test_mutating_methods_get_a_key_and_get_does_not(client, api, method):
    api.route(method=method, path="/v1/x").mock(return_value=httpx.Response(200, json={}))
    api.get("/v1/x").mock(return_value=httpx.Response(200, json={}))
    client.request(method, "x")
    client.request("GET", "x")
    mutating, get = api.calls[-2].request, api.calls[-1].request
    assert "Idempotency-Key" in mutating.headers
    assert "Idempotency-Key" not in get.headers


def test_explicit_key_and_header_key_are_used(client, api):
    route = api.post("/v1/x").mock(return_value=httpx.Response(200, json={}))
    client.request("POST", "x", idempotency_key="k-explicit")
    client.request("POST", "x", headers={"idempotency-key": "k-header"})
    client.request("POST", "x", headers={"Idempotency-Key": ""})
    sent = [call.request.headers.get("Idempotency-Key") for call in route.calls]
    assert sent == ["k-explicit", "k-header", None]


# --- error mapping --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "type_", "cls", "exit_code"),
    [
        (400, "invalid_request_error", errors.InvalidRequest, errors.ExitCode.USAGE),
        (422, "invalid_request_error", errors.InvalidRequest, errors.ExitCode.USAGE),
        (415, "invalid_request_error", errors.InvalidRequest, errors.ExitCode.USAGE),
        (401, "authentication_error", errors.Unauthenticated, errors.ExitCode.AUTH),
        (403, "permission_error", errors.PermissionDenied, errors.ExitCode.PERMISSION),
        (404, "invalid_request_error", errors.NotFound, errors.ExitCode.NOT_FOUND),
        (409, "conflict_error", errors.Conflict, errors.ExitCode.CONFLICT),
        (409, "idempotency_error", errors.Conflict, errors.ExitCode.CONFLICT),
        (429, "rate_limit_error", errors.RateLimited, errors.ExitCode.RATE_LIMITED),
        (503, "api_error", errors.RateLimited, errors.ExitCode.RATE_LIMITED),
        (500, "api_error", errors.ServerError, errors.ExitCode.FAILURE),
    ],
)
def test_error_envelope_maps_to_exception(client, api, status, type_, cls, exit_code):
    body = envelope(type_, "some_code", "something is wrong", param="name", request_id="req_42")
    api.patch("/v1/accounts/acct_1").mock(return_value=httpx.Response(status, json=body))
    with pytest.raises(cls) as caught:
        client.request("PATCH", "accounts/acct_1", json={"name": "x"})
    err = caught.value
    assert err.exit_code == exit_code
    assert (err.status, err.type, err.code, err.param) == (status, type_, "some_code", "name")
    assert err.message == "something is wrong"
    assert err.request_id == "req_42"


def test_request_id_header_is_the_fallback(client, api):
    body = {"error": {"type": "invalid_request_error", "code": "not_found", "message": "no"}}
    api.get("/v1/accounts/acct_x").mock(
        return_value=httpx.Response(404, json=body, headers={"Request-Id": "req_hdr"})
    )
    with pytest.raises(errors.NotFound) as caught:
        client.get_account("acct_x")
    assert caught.value.request_id == "req_hdr"


def test_non_json_502_body_is_handled(client, api):
    api.get("/v1/me").mock(
        return_value=httpx.Response(
            502, text="<html>Bad Gateway</html>", headers={"Request-Id": "r"}
        )
    )
    with pytest.raises(errors.ServerError) as caught:
        client.get_me()
    assert caught.value.exit_code == errors.ExitCode.FAILURE
    assert caught.value.message == "the server answered 502 Bad Gateway"
    assert caught.value.status == 502


def test_401_hints_at_login_but_not_for_a_missing_totp_code(client, api):
    api.get("/v1/me").mock(
        return_value=httpx.Response(401, json=envelope("authentication_error", "bad_token", "no"))
    )
    with pytest.raises(errors.Unauthenticated) as caught:
        client.get_me()
    # The client carries the facts; the boundary's table words the advice.
    assert caught.value.hint is None
    assert "portal auth login" in (hint_for(caught.value) or "")

    api.post("/v1/auth/sessions").mock(
        return_value=httpx.Response(
            401, json=envelope("authentication_error", "totp_required", "code", "totp_code")
        )
    )
    with pytest.raises(errors.Unauthenticated) as caught:
        client.create_session("owner@demo.chathq.test", "chathq-demo")
    assert caught.value.code == "totp_required"
    assert caught.value.param == "totp_code"
    assert hint_for(caught.value) is None


def test_unexpected_response_shape_is_a_server_error(client, api):
    api.get("/v1/orgs/org_1").mock(return_value=httpx.Response(200, json={"id": "nope"}))
    with pytest.raises(errors.ServerError) as caught:
        client.get_org("org_1")
    assert "unexpected response from GET /v1/orgs/org_1" in caught.value.message


# --- pagination -----------------------------------------------------------------------------


def paged(total: int):
    """A list endpoint over org_1..org_<total>, honouring limit and starting_after."""

    def handler(request: httpx.Request) -> httpx.Response:
        query = parse_qs(urlsplit(str(request.url)).query)
        limit = int(query["limit"][0])
        start = (
            int(query["starting_after"][0].removeprefix("cur_")) if "starting_after" in query else 0
        )
        ids = list(range(start + 1, min(start + limit, total) + 1))
        has_more = bool(ids) and ids[-1] < total
        return httpx.Response(
            200,
            json={
                "object": "list",
                "data": [org(i) for i in ids],
                "has_more": has_more,
                "next_cursor": f"cur_{ids[-1]}" if has_more else None,
            },
        )

    return handler


def test_paginate_is_lazy_and_follows_next_cursor(client, api):
    route = api.get("/v1/orgs").mock(side_effect=paged(5))
    pages: list[int] = []
    items = client.paginate("/v1/orgs", Org, page_size=2, on_page=pages.append)
    assert route.call_count == 0  # nothing fetched until iterated
    assert next(items).id == "org_1"
    assert route.call_count == 1
    assert next(items).id == "org_2"
    assert route.call_count == 1
    assert next(items).id == "org_3"
    assert route.call_count == 2
    assert [o.id for o in items] == ["org_4", "org_5"]
    assert route.call_count == 3
    assert pages == [2, 2, 1]
    cursors = [call.request.url.params.get("starting_after") for call in route.calls]
    assert cursors == [None, "cur_2", "cur_4"]


def test_paginate_limit_fetches_no_more_than_needed(client, api):
    route = api.get("/v1/orgs").mock(side_effect=paged(100))
    assert [o.id for o in client.paginate("/v1/orgs", Org, page_size=2, limit=3)] == [
        "org_1",
        "org_2",
        "org_3",
    ]
    assert [call.request.url.params["limit"] for call in route.calls] == ["2", "1"]


def test_paginate_raw_yields_data_items(client, api):
    api.get("/v1/orgs").mock(side_effect=paged(3))
    assert [item["id"] for item in client.paginate_raw("orgs", page_size=2)] == [
        "org_1",
        "org_2",
        "org_3",
    ]


def test_paginate_raw_refuses_a_non_list(client, api):
    api.get("/v1/me").mock(return_value=httpx.Response(200, json=user()))
    with pytest.raises(errors.UsageError):
        list(client.paginate_raw("me"))


# --- URLs and resources ---------------------------------------------------------------------


def test_paths_are_resolved_under_v1_and_the_host(client, api):
    route = api.get(path__regex=r".*").mock(return_value=httpx.Response(200, json={}))
    client.request("GET", "accounts/acct_1")
    client.request("GET", "/v1/me")
    client.request("GET", "v1/orgs")
    client.request("GET", "/_sandbox/outbox")
    client.request("GET", f"{HOST}/v1/plans")
    assert [call.request.url.path for call in route.calls] == [
        "/v1/accounts/acct_1",
        "/v1/me",
        "/v1/orgs",
        "/_sandbox/outbox",
        "/v1/plans",
    ]
    with pytest.raises(errors.UsageError):
        client.request("GET", "https://evil.example.com/v1/me")


def test_auth_and_user_agent_headers(client, api):
    route = api.get("/v1/me").mock(return_value=httpx.Response(200, json=user()))
    me = client.get_me()
    assert me.default_account_id == "acct_1"
    sent = route.calls[0].request.headers
    assert sent["Authorization"] == "Bearer pst_token123456"
    assert sent["User-Agent"].startswith("portal/")


def test_anonymous_client_sends_no_authorization(api):
    route = api.post("/v1/auth/password_resets").mock(
        return_value=httpx.Response(202, json={"object": "accepted"})
    )
    with PortalClient(HOST, retry=RetryPolicy.none()) as anonymous:
        anonymous.request_password_reset("Owner@Demo.chathq.test")
    request = route.calls[0].request
    assert "Authorization" not in request.headers
    assert json.loads(request.content) == {"email": "owner@demo.chathq.test"}


def test_create_session_sends_the_body_and_parses_the_session(client, api):
    route = api.post("/v1/auth/sessions").mock(
        return_value=httpx.Response(
            201,
            json={"token": "pst_new", "expires_at": CREATED, "expires_in": 2592000, "user": user()},
        )
    )
    session = client.create_session("owner@demo.chathq.test", "chathq-demo", "123456")
    assert session.token == "pst_new"
    assert json.loads(route.calls[0].request.content) == {
        "email": "owner@demo.chathq.test",
        "password": "chathq-demo",
        "totp_code": "123456",
    }


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda c: c.create_session("not-an-email", "pw"), "email"),
        (lambda c: c.create_org("   "), "name"),
        (lambda c: c.rename_account("acct_1", "a\x07b"), "name"),
        (lambda c: c.rename_account("acct_1", "x" * 10_000), "name"),
        (lambda c: c.create_account("org_1", "Sales", "platinum"), "plan"),
        (lambda c: c.confirm_password_reset("a@b.co", "1", "short"), "new_password"),
        (lambda c: c.update_org("org_1"), None),
    ],
)
def test_bad_input_is_refused_before_sending(client, api, call, param):
    route = api.route().mock(return_value=httpx.Response(200, json={}))
    with pytest.raises(errors.UsageError) as caught:
        call(client)
    assert caught.value.param == param
    assert route.call_count == 0


def test_ids_are_escaped_in_paths(client, api):
    route = api.get(path__regex=r".*").mock(return_value=httpx.Response(404, json={}))
    with pytest.raises(errors.NotFound):
        client.get_account("../orgs/org_1")
    assert route.calls[0].request.url.raw_path == b"/v1/accounts/..%2Forgs%2Forg_1"


def test_update_org_sends_only_given_fields(client, api):
    route = api.patch("/v1/orgs/org_1").mock(return_value=httpx.Response(200, json=org(1)))
    client.update_org("org_1", legal_name="Acme Inc.", tax_id=None)
    assert json.loads(route.calls[0].request.content) == {"legal_name": "Acme Inc."}


def test_usage_records_filters_and_summary(client, api):
    record = {
        "id": "ur_1",
        "occurred_at": CREATED,
        "unit": "sms",
        "quantity": 3,
        "unit_price": {"amount": "0.01", "currency": "usd"},
        "amount": {"amount": "0.03", "currency": "usd"},
        "status": "unpaid",
        "description": "SMS",
    }
    records = api.get("/v1/accounts/acct_1/usage_records").mock(
        return_value=httpx.Response(
            200, json={"object": "list", "data": [record], "has_more": False}
        )
    )
    result = list(
        client.iter_usage_records(
            "acct_1", units=["sms", "calls"], status="unpaid", since="2026-01-01", limit=10
        )
    )
    assert str(result[0].amount.amount) == "0.03"
    query = records.calls[0].request.url.params
    assert query.get_list("unit") == ["sms", "calls"]
    assert (query["status"], query["since"], query["limit"]) == ("unpaid", "2026-01-01", "10")
    assert "until" not in query

    summary = api.get("/v1/accounts/acct_1/usage_summary").mock(
        return_value=httpx.Response(
            200,
            json={
                "object": "usage_summary",
                "data": [],
                "total": {"count": 0, "amount": "0", "paid_amount": "0", "unpaid_amount": "0"},
            },
        )
    )
    client.get_usage_summary("acct_1", units=["chat"], group_by="month")
    assert summary.calls[0].request.url.params["group_by"] == "month"


def test_list_plans_collects_every_page(client, api):
    plan = {
        "id": "connect",
        "name": "Connect",
        "price": {"amount": "29.00", "currency": "usd"},
        "message_limit": 1000,
        "bot_limit": 1,
        "features": ["chat"],
    }
    api.get("/v1/plans").mock(
        return_value=httpx.Response(200, json={"object": "list", "data": [plan], "has_more": False})
    )
    assert [p.id for p in client.list_plans()] == ["connect"]


def test_transport_can_be_injected():
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=user()))
    with PortalClient(HOST, "pst_x", retry=RetryPolicy.none(), transport=transport) as client:
        assert client.get_me().id == "usr_1"


@respx.mock
def test_https_host_with_a_path_prefix():
    route = respx.get("https://portal.example.com/api/v1/me").mock(
        return_value=httpx.Response(200, json=user())
    )
    with PortalClient("https://portal.example.com/api/", retry=RetryPolicy.none()) as client:
        client.get_me()
    assert route.called


def test_https_hosts_verify_certificates():
    import ssl

    with PortalClient("https://portal.example.com", retry=RetryPolicy.none()) as client:
        context = client._http._transport._pool._ssl_context
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname


def test_default_policy_reads_the_retry_env(monkeypatch):
    monkeypatch.setenv("PORTAL_RETRY_ATTEMPTS", "2")
    with PortalClient(HOST) as client:
        assert client.retry.attempts == 2
