"""Pagination of every list endpoint: limit bounds, cursor walks, cursors of deleted objects."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import ADMIN, Sandbox, err, ok, parse_time, settings_for

LISTS = [
    "/v1/orgs",
    "/v1/orgs/{o}/accounts",
    "/v1/accounts/{a}/members",
    "/v1/accounts/{a}/invitations",
    "/v1/accounts/{a}/invite_links",
    "/v1/accounts/{a}/integrations",
    "/v1/accounts/{a}/api_keys",
    "/v1/accounts/{a}/payment_methods",
    "/v1/accounts/{a}/invoices",
    "/v1/accounts/{a}/usage_records",
]


def _path(sb: Sandbox, template: str) -> str:
    return template.format(o=sb.ids.acme_org, a=sb.ids.support)


def _when(obj: dict[str, Any]) -> str:
    for field in ("occurred_at", "created_at", "joined_at"):
        if field in obj:
            return field
    raise AssertionError(f"no timestamp to order by in {obj}")


@pytest.mark.parametrize("template", LISTS)
def test_limit_bounds(shared_sb: Sandbox, template: str) -> None:
    path = _path(shared_sb, template)
    for bad in ("0", "1001", "-1", "x", "1.5"):
        err(shared_sb.get(path, params={"limit": bad}), 422, "invalid_request_error", param="limit")
    one = ok(shared_sb.get(path, params={"limit": 1}), 200)
    assert len(one["data"]) <= 1
    full = ok(shared_sb.get(path, params={"limit": 1000}), 200)
    default = ok(shared_sb.get(path), 200)
    assert default["data"] == full["data"][:100]
    assert default["has_more"] == (len(full["data"]) > 100)


@pytest.mark.parametrize("template", LISTS)
def test_walk_returns_every_item_once_newest_first(shared_sb: Sandbox, template: str) -> None:
    path = _path(shared_sb, template)
    everything = ok(shared_sb.get(path, params={"limit": 1000}))["data"]
    assert everything, f"the demo data should have something at {path}"
    size = 1 if len(everything) < 40 else 37
    walked = shared_sb.walk(path, limit=size)
    assert walked == everything
    ids = [x["id"] for x in walked]
    assert len(ids) == len(set(ids))
    field = _when(walked[0])
    times = [parse_time(x[field]) for x in walked]
    assert times == sorted(times, reverse=True), f"{path} is not newest first by {field}"


def test_a_cursor_stays_valid_after_its_object_is_deleted(sb: Sandbox) -> None:
    a = sb.ids.support
    configured = {i["type"] for i in sb.walk(f"/v1/accounts/{a}/integrations")}
    for t in sb.walk("/v1/integration_types"):
        if t["id"] not in configured:
            body = {"type": t["id"], "settings": settings_for(t["settings_schema"])}
            ok(sb.post(f"/v1/accounts/{a}/integrations", ADMIN, json=body))
    path = f"/v1/accounts/{a}/integrations"
    everything = sb.walk(path, limit=1000)
    assert len(everything) >= 5
    first = ok(sb.get(path, params={"limit": 2}))
    assert first["has_more"] and first["data"] == everything[:2]
    cursor_object = first["data"][-1]
    ok(sb.delete(f"{path}/{cursor_object['id']}"))
    rest = ok(sb.get(path, params={"limit": 1000, "starting_after": first["next_cursor"]}), 200)
    assert rest["data"] == everything[2:]


def test_a_garbage_cursor_is_rejected(shared_sb: Sandbox) -> None:
    path = f"/v1/accounts/{shared_sb.ids.support}/usage_records"
    for cursor in ("garbage", "eyJub3QiOiAiYSBjdXJzb3IifQ==", "!!"):
        resp = shared_sb.get(path, params={"starting_after": cursor})
        assert resp.status_code in (400, 422), resp.text
        err(resp, resp.status_code, "invalid_request_error", param="starting_after")
