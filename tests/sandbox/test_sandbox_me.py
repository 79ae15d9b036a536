"""Personal settings: /me, e-mail change, avatar, user deletion."""

from __future__ import annotations

import pytest
from sandbox_support import (
    ADMIN,
    EXE_HEADER,
    GIF_1X1,
    JPEG_MIN,
    MEMBER,
    OUTSIDER,
    OWNER,
    PASSWORD,
    Sandbox,
    err,
    login,
    ok,
    png_bytes,
)


def test_me_describes_the_user_and_the_default_account(sb: Sandbox) -> None:
    me = ok(sb.get("/v1/me", OWNER), 200)
    assert me["object"] == "user" and me["id"].startswith("usr_")
    assert me["email"] == OWNER
    assert me["totp_enabled"] is False
    assert set(me["notifications"]) == {
        "assigned_conversations",
        "assigned_tickets",
        "notes",
        "reminders",
        "inquiries",
    }
    assert me["theme"] in ("light", "dark", "system")
    # Owner of both Acme accounts: the default is one of them; admin/member default to Support.
    assert me["default_account_id"] in (sb.ids.support, sb.ids.sales)
    assert ok(sb.get("/v1/me", MEMBER))["default_account_id"] == sb.ids.support
    assert ok(sb.get("/v1/me", OUTSIDER))["default_account_id"] == sb.ids.globex


def test_patch_me_updates_only_what_is_given(sb: Sandbox) -> None:
    before = ok(sb.get("/v1/me", MEMBER))
    after = ok(
        sb.patch(
            "/v1/me",
            MEMBER,
            json={"display_name": "  Mia Member  ", "notifications": {"notes": False}},
        ),
        200,
    )
    assert after["display_name"] == "Mia Member"
    assert after["notifications"]["notes"] is False
    assert after["notifications"]["reminders"] == before["notifications"]["reminders"]
    assert after["theme"] == before["theme"]
    after = ok(sb.patch("/v1/me", MEMBER, json={"theme": "dark"}), 200)
    assert after["theme"] == "dark" and after["display_name"] == "Mia Member"
    assert ok(sb.get("/v1/me", MEMBER)) == after


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"display_name": ""}, "display_name"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "x" * 101}, "display_name"),
        ({"display_name": "x" * 10_000}, "display_name"),
        ({"display_name": "bad\x07name"}, "display_name"),
        ({"display_name": "line\nbreak"}, "display_name"),
        ({"theme": "neon"}, "theme"),
        ({"notifications": {"notes": "sometimes"}}, "notifications.notes"),
        ({"notifications": {"pager": True}}, "notifications.pager"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_patch_me_rejects_bad_input_and_changes_nothing(
    sb: Sandbox, body: dict, param: str
) -> None:
    before = ok(sb.get("/v1/me", MEMBER))
    err(
        sb.patch("/v1/me", MEMBER, json=body),
        422,
        "invalid_request_error",
        "parameter_invalid",
        param,
    )
    assert ok(sb.get("/v1/me", MEMBER)) == before


def test_name_of_exactly_100_characters_is_accepted(sb: Sandbox) -> None:
    name = "é" * 100
    assert ok(sb.patch("/v1/me", MEMBER, json={"display_name": name}))["display_name"] == name


# --- e-mail change ---------------------------------------------------------------------------


def test_email_change_sends_a_code_to_the_new_address_and_confirm_applies_it(sb: Sandbox) -> None:
    new = "mia.new@demo.chathq.test"
    ok(sb.post("/v1/me/email", MEMBER, json={"new_email": new, "password": PASSWORD}))
    assert ok(sb.get("/v1/me", MEMBER))["email"] == MEMBER
    assert ok(sb.get("/v1/me", MEMBER))["pending_email"] == new
    code = sb.latest_code(new)
    assert not [m for m in sb.outbox(MEMBER) if m.get("code") == code]
    me = ok(sb.post("/v1/me/email/confirm", MEMBER, json={"code": code}))
    assert me["email"] == new
    assert ok(sb.get("/v1/me", MEMBER))["email"] == new
    login(sb.client, new)
    err(sb.post("/v1/auth/sessions", None, json={"email": MEMBER, "password": PASSWORD}), 401)


def test_email_change_needs_the_password(sb: Sandbox) -> None:
    body = {"new_email": "mia.new@demo.chathq.test", "password": "wrong-password"}
    err(sb.post("/v1/me/email", MEMBER, json=body), 401, "authentication_error")
    assert not sb.outbox("mia.new@demo.chathq.test")


def test_email_change_rejects_a_malformed_address(sb: Sandbox) -> None:
    body = {"new_email": "not an email", "password": PASSWORD}
    err(sb.post("/v1/me/email", MEMBER, json=body), 422, "invalid_request_error", param="new_email")


def test_email_change_to_a_taken_address_is_refused(sb: Sandbox) -> None:
    resp = sb.post("/v1/me/email", MEMBER, json={"new_email": ADMIN, "password": PASSWORD})
    assert resp.status_code in (409, 422), resp.text
    assert ok(sb.get("/v1/me", MEMBER))["email"] == MEMBER


def test_email_confirm_with_a_wrong_code_changes_nothing(sb: Sandbox) -> None:
    new = "mia.new@demo.chathq.test"
    ok(sb.post("/v1/me/email", MEMBER, json={"new_email": new, "password": PASSWORD}))
    code = sb.latest_code(new)
    wrong = "000000" if code != "000000" else "999999"
    resp = sb.post("/v1/me/email/confirm", MEMBER, json={"code": wrong})
    assert resp.status_code in (400, 401, 422), resp.text
    err(resp, resp.status_code)
    assert ok(sb.get("/v1/me", MEMBER))["email"] == MEMBER


# --- avatar ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "mime"),
    [
        (png_bytes(), "me.png", "image/png"),
        (JPEG_MIN, "me.jpg", "image/jpeg"),
        (GIF_1X1, "me.gif", "image/gif"),
        # Content decides, not the name or the declared type.
        (png_bytes(), "me.gif", "application/octet-stream"),
    ],
    ids=["png", "jpeg", "gif", "png-misnamed"],
)
def test_avatar_accepts_images_by_content(
    sb: Sandbox, content: bytes, filename: str, mime: str
) -> None:
    me = ok(sb.call("PUT", "/v1/me/avatar", MEMBER, files={"file": (filename, content, mime)}))
    url = (
        me["avatar_url"]
        if me and "avatar_url" in me
        else ok(sb.get("/v1/me", MEMBER))["avatar_url"]
    )
    assert url
    served = sb.client.get(url)
    assert served.status_code == 200 and served.content == content
    ok(sb.delete("/v1/me/avatar", MEMBER))
    assert ok(sb.get("/v1/me", MEMBER))["avatar_url"] is None


def test_avatar_rejects_an_exe_named_png(sb: Sandbox) -> None:
    resp = sb.call(
        "PUT", "/v1/me/avatar", MEMBER, files={"file": ("avatar.png", EXE_HEADER, "image/png")}
    )
    err(resp, 415, "invalid_request_error", "unsupported_media_type")
    assert ok(sb.get("/v1/me", MEMBER))["avatar_url"] is None


def test_avatar_rejects_6_mb(sb: Sandbox) -> None:
    big = png_bytes() + b"\x00" * (6 * 1024 * 1024)
    resp = sb.call("PUT", "/v1/me/avatar", MEMBER, files={"file": ("big.png", big, "image/png")})
    err(resp, 413, code="file_too_large")
    assert ok(sb.get("/v1/me", MEMBER))["avatar_url"] is None


def test_avatar_without_a_file_field_is_422(sb: Sandbox) -> None:
    resp = sb.call(
        "PUT", "/v1/me/avatar", MEMBER, files={"other": ("a.png", png_bytes(), "image/png")}
    )
    err(resp, 422, "invalid_request_error", param="file")


# --- deleting the user -----------------------------------------------------------------------


def test_delete_me_is_refused_while_sole_owner(sb: Sandbox) -> None:
    body = {"password": PASSWORD, "confirm_email": OWNER}
    err(sb.delete("/v1/me", OWNER, json=body), 409, "conflict_error", "sole_owner")
    login(sb.client, OWNER)


def test_delete_me_needs_the_matching_email_and_password(sb: Sandbox) -> None:
    resp = sb.delete("/v1/me", MEMBER, json={"password": PASSWORD, "confirm_email": ADMIN})
    err(resp, 422, "invalid_request_error", param="confirm_email")
    resp = sb.delete("/v1/me", MEMBER, json={"password": "wrong-one", "confirm_email": MEMBER})
    err(resp, 401, "authentication_error")
    login(sb.client, MEMBER)


def test_delete_me_removes_access_everywhere(sb: Sandbox) -> None:
    token = sb.token(MEMBER)
    ok(sb.delete("/v1/me", MEMBER, json={"password": PASSWORD, "confirm_email": MEMBER}))
    err(sb.get("/v1/me", token), 401, "authentication_error")
    err(sb.post("/v1/auth/sessions", None, json={"email": MEMBER, "password": PASSWORD}), 401)
    emails = [m["email"] for m in sb.walk(f"/v1/accounts/{sb.ids.support}/members")]
    assert MEMBER not in emails
