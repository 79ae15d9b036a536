"""Team: members, invitations, invite links."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sandbox_support import (
    ADMIN,
    MEMBER,
    OWNER,
    Sandbox,
    err,
    items,
    ok,
    parse_time,
    rfc3339,
)


def test_members_list_the_demo_roles(sb: Sandbox) -> None:
    members = sb.walk(f"/v1/accounts/{sb.ids.support}/members")
    roles = {m["email"]: m["role"] for m in members}
    assert roles[OWNER] == "owner" and roles[ADMIN] == "admin" and roles[MEMBER] == "member"
    assert all(m["id"].startswith("mem_") and m["user_id"].startswith("usr_") for m in members)


def test_change_a_members_role(sb: Sandbox) -> None:
    a = sb.ids.support
    m = sb.member_id(a, MEMBER)
    member = ok(sb.patch(f"/v1/accounts/{a}/members/{m}", ADMIN, json={"role": "admin"}), 200)
    assert member["role"] == "admin"
    assert ok(sb.get(f"/v1/accounts/{a}", MEMBER))["role"] == "admin"
    err(
        sb.patch(f"/v1/accounts/{a}/members/{m}", json={"role": "superuser"}),
        422,
        "invalid_request_error",
        param="role",
    )
    err(sb.patch(f"/v1/accounts/{a}/members/mem_nope", json={"role": "admin"}), 404)


def test_the_last_owner_can_be_neither_removed_nor_demoted(sb: Sandbox) -> None:
    a = sb.ids.support
    owner = sb.member_id(a, OWNER)
    err(sb.delete(f"/v1/accounts/{a}/members/{owner}"), 409, "conflict_error", "last_owner")
    err(
        sb.patch(f"/v1/accounts/{a}/members/{owner}", json={"role": "member"}),
        409,
        "conflict_error",
        "last_owner",
    )
    # With a second owner, the first may step down.
    admin = sb.member_id(a, ADMIN)
    ok(sb.patch(f"/v1/accounts/{a}/members/{admin}", json={"role": "owner"}))
    ok(sb.patch(f"/v1/accounts/{a}/members/{owner}", ADMIN, json={"role": "member"}))


def test_removing_a_member_revokes_access(sb: Sandbox) -> None:
    a = sb.ids.support
    m = sb.member_id(a, MEMBER)
    ok(sb.delete(f"/v1/accounts/{a}/members/{m}", ADMIN))
    assert MEMBER not in [x["email"] for x in sb.walk(f"/v1/accounts/{a}/members")]
    err(sb.get(f"/v1/accounts/{a}", MEMBER), 404)
    err(sb.delete(f"/v1/accounts/{a}/members/{m}", ADMIN), 404)


# --- invitations -----------------------------------------------------------------------------


def test_invite_creates_one_invitation_and_one_mail_per_address(sb: Sandbox) -> None:
    a = sb.ids.support
    emails = ["new.one@example.com", "New.Two@Example.com"]
    created = items(
        ok(
            sb.post(
                f"/v1/accounts/{a}/invitations", ADMIN, json={"emails": emails, "role": "admin"}
            )
        )
    )
    assert sorted(i["email"] for i in created) == ["new.one@example.com", "new.two@example.com"]
    assert all(i["status"] == "pending" and i["role"] == "admin" for i in created)
    assert all(i["id"].startswith("inv_") for i in created)
    assert all(parse_time(i["expires_at"]) > sb.clock for i in created)
    for email in ("new.one@example.com", "new.two@example.com"):
        assert len(sb.outbox(email)) == 1, sb.outbox()
    listed = {i["id"] for i in sb.walk(f"/v1/accounts/{a}/invitations")}
    assert {i["id"] for i in created} <= listed


def test_inviting_an_address_with_a_pending_invitation_returns_that_invitation(
    sb: Sandbox,
) -> None:
    """Without an Idempotency-Key too: a re-run leaves one invitation and sends no mail."""
    path = f"/v1/accounts/{sb.ids.support}/invitations"
    first = items(ok(sb.post(path, json={"emails": ["again@example.com"]})))[0]
    sb.advance(timedelta(hours=1))
    both = items(ok(sb.post(path, json={"emails": ["again@example.com", "fresh@example.com"]})))
    by_email = {i["email"]: i for i in both}
    assert by_email["again@example.com"] == first
    assert by_email["fresh@example.com"]["id"] != first["id"]
    assert len(sb.outbox("again@example.com")) == 1
    emails = [i["email"] for i in sb.walk(path)]
    assert emails.count("again@example.com") == 1
    # Once it is revoked (or expired), inviting again makes a new invitation.
    ok(sb.post(f"{path}/{first['id']}/revoke"))
    third = items(ok(sb.post(path, json={"emails": ["again@example.com"]})))[0]
    assert third["id"] != first["id"] and third["status"] == "pending"
    assert len(sb.outbox("again@example.com")) == 2


@pytest.mark.parametrize(
    ("body", "param"),
    [
        ({"emails": []}, "emails"),
        ({"emails": ["not-an-email"]}, "emails.0"),
        ({"emails": ["ok@example.com", "bad"]}, "emails.1"),
        ({"emails": ["ok@example.com"], "role": "god"}, "role"),
        ({"role": "member"}, "emails"),
        ({"emails": [f"u{i}@example.com" for i in range(101)]}, "emails"),
    ],
)
def test_invite_validation_creates_nothing(sb: Sandbox, body: dict, param: str) -> None:
    a = sb.ids.support
    before = sb.walk(f"/v1/accounts/{a}/invitations")
    outbox = len(sb.outbox())
    err(
        sb.post(f"/v1/accounts/{a}/invitations", json=body),
        422,
        "invalid_request_error",
        param=param,
    )
    assert sb.walk(f"/v1/accounts/{a}/invitations") == before
    assert len(sb.outbox()) == outbox


def test_revoke_and_resend_only_while_pending(sb: Sandbox) -> None:
    a = sb.ids.support
    inv = items(ok(sb.post(f"/v1/accounts/{a}/invitations", json={"emails": ["x@example.com"]})))[0]
    base = f"/v1/accounts/{a}/invitations/{inv['id']}"
    sb.advance(timedelta(hours=1))
    resent = ok(sb.post(f"{base}/resend"), 200)
    assert parse_time(resent["last_sent_at"]) > parse_time(inv["last_sent_at"])
    assert len(sb.outbox("x@example.com")) == 2
    revoked = ok(sb.post(f"{base}/revoke"), 200)
    assert revoked["status"] == "revoked"
    err(sb.post(f"{base}/revoke"), 409, "conflict_error", "invitation_not_pending")
    err(sb.post(f"{base}/resend"), 409, "conflict_error", "invitation_not_pending")
    assert len(sb.outbox("x@example.com")) == 2
    err(sb.post(f"/v1/accounts/{a}/invitations/inv_nope/revoke"), 404)


def test_invitations_filter_by_status(sb: Sandbox) -> None:
    a = sb.ids.support
    inv = items(ok(sb.post(f"/v1/accounts/{a}/invitations", json={"emails": ["y@example.com"]})))[0]
    ok(sb.post(f"/v1/accounts/{a}/invitations/{inv['id']}/revoke"))
    revoked = sb.walk(f"/v1/accounts/{a}/invitations", params={"status": "revoked"})
    assert inv["id"] in [i["id"] for i in revoked] and {i["status"] for i in revoked} == {"revoked"}
    pending = sb.walk(f"/v1/accounts/{a}/invitations", params={"status": "pending"})
    assert pending and {i["status"] for i in pending} == {"pending"}
    err(sb.get(f"/v1/accounts/{a}/invitations", params={"status": "lost"}), 422, param="status")


# --- invite links ----------------------------------------------------------------------------


def test_invite_link_create_and_revoke(sb: Sandbox) -> None:
    a = sb.ids.support
    body = {"role": "member", "max_uses": 5, "expires_at": rfc3339(sb.clock + timedelta(days=7))}
    link = ok(sb.post(f"/v1/accounts/{a}/invite_links", ADMIN, json=body))
    assert link["id"].startswith("ilink_") and link["status"] == "active"
    assert (link["uses"], link["max_uses"], link["role"]) == (0, 5, "member")
    assert "/join/" in link["url"] and link["url"].startswith("http")
    assert parse_time(link["expires_at"]) == sb.clock + timedelta(days=7)
    join = sb.client.get(link["url"])
    assert join.status_code == 200 and "text/html" in join.headers["content-type"]
    assert link["id"] in [x["id"] for x in sb.walk(f"/v1/accounts/{a}/invite_links")]
    revoked = ok(sb.post(f"/v1/accounts/{a}/invite_links/{link['id']}/revoke", ADMIN))
    assert revoked["status"] == "revoked"
    err(sb.post(f"/v1/accounts/{a}/invite_links/ilink_nope/revoke"), 404)


def test_invite_link_unlimited_by_default_and_expiry_at_most_90_days(sb: Sandbox) -> None:
    a = sb.ids.support
    link = ok(sb.post(f"/v1/accounts/{a}/invite_links", json={}))
    assert link["max_uses"] == 0 and link["status"] == "active"
    assert sb.clock < parse_time(link["expires_at"]) <= sb.clock + timedelta(days=90)
    ok(
        sb.post(
            f"/v1/accounts/{a}/invite_links",
            json={"expires_at": rfc3339(sb.clock + timedelta(days=90))},
        )
    )
    for expires in (sb.clock + timedelta(days=90, seconds=1), sb.clock - timedelta(hours=1)):
        err(
            sb.post(f"/v1/accounts/{a}/invite_links", json={"expires_at": rfc3339(expires)}),
            422,
            "invalid_request_error",
            param="expires_at",
        )
    for bad in ({"max_uses": -1}, {"max_uses": 10_001}, {"max_uses": "lots"}):
        err(sb.post(f"/v1/accounts/{a}/invite_links", json=bad), 422, param="max_uses")


def test_invite_link_expires_with_the_sandbox_clock(sb: Sandbox) -> None:
    a = sb.ids.support
    body = {"expires_at": rfc3339(sb.clock + timedelta(days=1))}
    link = ok(sb.post(f"/v1/accounts/{a}/invite_links", json=body))
    sb.advance(timedelta(days=2))
    listed = {x["id"]: x for x in sb.walk(f"/v1/accounts/{a}/invite_links")}
    assert listed[link["id"]]["status"] == "expired"


def test_an_invitation_expires_with_the_sandbox_clock(sb: Sandbox) -> None:
    a = sb.ids.support
    body = {"emails": ["later@example.com"]}
    inv = items(ok(sb.post(f"/v1/accounts/{a}/invitations", json=body)))[0]
    sb.set_clock(parse_time(inv["expires_at"]) + timedelta(minutes=1))
    listed = {i["id"]: i for i in sb.walk(f"/v1/accounts/{a}/invitations")}
    assert listed[inv["id"]]["status"] == "expired"
    base = f"/v1/accounts/{a}/invitations/{inv['id']}"
    err(sb.post(f"{base}/resend"), 409, "conflict_error", "invitation_not_pending")
