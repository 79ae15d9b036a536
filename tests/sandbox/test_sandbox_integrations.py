"""Integrations: the catalog, settings validated against its schema, write-only secrets."""

from __future__ import annotations

from typing import Any

import pytest
from sandbox_support import ADMIN, MEMBER, Sandbox, err, ok, settings_for

FIELD_TYPES = {"string", "url", "email", "secret", "enum", "bool"}


def _catalog(sb: Sandbox) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in sb.walk("/v1/integration_types", MEMBER)}


def _configured(sb: Sandbox, account: str) -> dict[str, dict[str, Any]]:
    return {i["type"]: i for i in sb.walk(f"/v1/accounts/{account}/integrations")}


def _unconfigured_type(sb: Sandbox, account: str, *, with_secret: bool = False) -> dict[str, Any]:
    configured = _configured(sb, account)
    for t in _catalog(sb).values():
        has_secret = any(f["type"] == "secret" for f in t["settings_schema"])
        if t["id"] not in configured and (has_secret or not with_secret):
            return t
    pytest.fail("the demo account has no unconfigured integration type of the kind needed")


def test_catalog(sb: Sandbox) -> None:
    catalog = _catalog(sb)
    assert {"slack", "zendesk", "salesforce", "whatsapp", "webhook", "shopify"} <= set(catalog)
    kinds = set()
    for t in catalog.values():
        assert t["object"] == "integration_type" and t["name"] and t["description"]
        for f in t["settings_schema"]:
            assert f["type"] in FIELD_TYPES and f["name"] and f["label"]
            kinds.add(f["type"])
            if f["type"] == "enum":
                assert f["choices"], f
    assert kinds == FIELD_TYPES, "the catalog should exercise every field type"


def test_demo_has_configured_and_unconfigured_integrations(sb: Sandbox) -> None:
    configured = _configured(sb, sb.ids.support)
    assert configured and len(configured) < len(_catalog(sb))


def test_configure_with_a_secret_shows_only_its_last_4(sb: Sandbox) -> None:
    a = sb.ids.support
    t = _unconfigured_type(sb, a, with_secret=True)
    settings = settings_for(t["settings_schema"])
    created = ok(
        sb.post(
            f"/v1/accounts/{a}/integrations", ADMIN, json={"type": t["id"], "settings": settings}
        )
    )
    assert created["id"].startswith("intg_") and created["type"] == t["id"]
    assert created["status"] in ("enabled", "disabled")
    for f in t["settings_schema"]:
        shown = created["settings"].get(f["name"])
        if f["type"] == "secret":
            assert shown == "••••" + settings[f["name"]][-4:], created
        else:
            assert shown == settings[f["name"]], created
    fetched = ok(sb.get(f"/v1/accounts/{a}/integrations/{created['id']}"), 200)
    assert fetched["settings"] == created["settings"]
    secret_values = [settings[f["name"]] for f in t["settings_schema"] if f["type"] == "secret"]
    listed = sb.get(f"/v1/accounts/{a}/integrations").text
    assert not any(
        v in fetched_text for v in secret_values for fetched_text in (listed, str(fetched))
    )
    # One per type.
    err(
        sb.post(f"/v1/accounts/{a}/integrations", json={"type": t["id"], "settings": settings}),
        409,
        "conflict_error",
        "integration_exists",
    )


def test_patch_keeps_an_unchanged_secret_and_updates_the_rest(sb: Sandbox) -> None:
    a = sb.ids.support
    t = _unconfigured_type(sb, a, with_secret=True)
    settings = settings_for(t["settings_schema"])
    created = ok(
        sb.post(f"/v1/accounts/{a}/integrations", json={"type": t["id"], "settings": settings})
    )
    secret = next(f["name"] for f in t["settings_schema"] if f["type"] == "secret")
    new_settings = {**settings, secret: "rotated-secret-9876"}
    updated = ok(
        sb.patch(f"/v1/accounts/{a}/integrations/{created['id']}", json={"settings": new_settings})
    )
    assert updated["settings"][secret] == "••••9876"


def test_enable_disable_and_remove(sb: Sandbox) -> None:
    a = sb.ids.support
    t = _unconfigured_type(sb, a)
    created = ok(
        sb.post(
            f"/v1/accounts/{a}/integrations",
            json={"type": t["id"], "settings": settings_for(t["settings_schema"])},
        )
    )
    base = f"/v1/accounts/{a}/integrations/{created['id']}"
    assert ok(sb.post(f"{base}/disable"))["status"] == "disabled"
    assert ok(sb.post(f"{base}/disable"))["status"] == "disabled"
    assert ok(sb.post(f"{base}/enable"))["status"] == "enabled"
    dash = ok(sb.get(f"/v1/accounts/{a}/dashboard"))
    enabled = sum(i["status"] == "enabled" for i in _configured(sb, a).values())
    assert dash["active_integrations"] == enabled
    ok(sb.delete(base))
    err(sb.get(base), 404)
    assert t["id"] not in _configured(sb, a)
    err(sb.post(f"{base}/enable"), 404)


def _bad_settings(
    schema: list[dict[str, Any]], *, partial: bool
) -> list[tuple[dict[str, Any], str]]:
    """(settings, param) pairs that each break one rule of the schema. `partial` (a PATCH):
    leave out the missing-required cases, since a PATCH may keep what is already set."""
    good = settings_for(schema)
    cases = [({**good, "no_such_field": "x"}, "settings.no_such_field")]
    wrong_value = {"url": "not a url", "email": "not-an-email", "bool": "maybe", "enum": "nope!"}
    for f in schema:
        name = f["name"]
        if f["required"] and not partial:
            cases.append(({k: v for k, v in good.items() if k != name}, f"settings.{name}"))
        if f["type"] in wrong_value:
            cases.append(({**good, name: wrong_value[f["type"]]}, f"settings.{name}"))
        if f["type"] in ("string", "secret"):
            cases.append(({**good, name: 12345}, f"settings.{name}"))
    return cases


def test_settings_are_validated_against_the_schema(sb: Sandbox) -> None:
    a = sb.ids.support
    configured = _configured(sb, a)
    checked = 0
    for t in _catalog(sb).values():
        existing = configured.get(t["id"])
        for bad, param in _bad_settings(t["settings_schema"], partial=existing is not None):
            if existing is not None:
                path = f"/v1/accounts/{a}/integrations/{existing['id']}"
                resp = sb.patch(path, json={"settings": bad})
            else:
                body = {"type": t["id"], "settings": bad}
                resp = sb.post(f"/v1/accounts/{a}/integrations", json=body)
            err(resp, 422, "invalid_request_error", param=param)
            checked += 1
    assert checked > 10
    assert _configured(sb, a) == configured


def test_unknown_integration_type_is_422(sb: Sandbox) -> None:
    resp = sb.post(
        f"/v1/accounts/{sb.ids.support}/integrations", json={"type": "myspace", "settings": {}}
    )
    err(resp, 422, "invalid_request_error", param="type")
