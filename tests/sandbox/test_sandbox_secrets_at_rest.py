"""No secret rests in the sandbox's database in clear, idempotency replays included (SPEC §8).

Each secret-bearing write is sent with an Idempotency-Key, so its response is kept for replay;
then the bytes of the database file and its WAL are searched for every secret handed out:
in responses, in the e-mails of the outbox, and in what lists show again later.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_support import ADMIN, MEMBER, OWNER, PASSWORD, Sandbox, err, make_app, ok

INVITEE = "at.rest@example.com"
NEW_EMAIL = "adam.new@example.com"


@pytest.fixture
def file_sb(tmp_path: Path) -> Iterator[tuple[Sandbox, Path]]:
    from fastapi.testclient import TestClient

    db = tmp_path / "sandbox.db"
    with TestClient(make_app(db_path=str(db)), raise_server_exceptions=False) as client:
        yield Sandbox(client), db  # type: ignore[arg-type]


def _twice(sb: Sandbox, path: str, who: str | None, key: str, **kw: object) -> dict:
    """The write and its replay: the replay must still carry the secret."""
    first = ok(sb.post(path, who, headers={"Idempotency-Key": key}, **kw))
    replay = sb.post(path, who, headers={"Idempotency-Key": key}, **kw)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert ok(replay) == first
    return first


def _token(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def _mailed_tokens(sb: Sandbox, to: str) -> list[str]:
    return [_token(m) for mail in sb.outbox(to) for m in re.findall(r"https?://\S+", mail["body"])]


def _hand_out_every_kind_of_secret(sb: Sandbox) -> dict[str, list[str]]:
    """Every kind of secret the API hands out, each write sent with an Idempotency-Key (so its
    response is kept for replay): what the database must not hold in clear."""
    acct = f"/v1/accounts/{sb.ids.support}"
    created = _twice(sb, f"{acct}/api_keys", OWNER, "k-create", json={"name": "at rest"})
    rolled = _twice(sb, f"{acct}/api_keys/{created['id']}/roll", OWNER, "k-roll", json={})
    enrol = _twice(sb, "/v1/me/totp", MEMBER, "k-totp")
    verified = _twice(
        sb, "/v1/me/totp/verify", MEMBER, "k-verify", json={"code": sb.totp(enrol["secret"])}
    )
    regenerated = _twice(
        sb,
        "/v1/me/recovery_codes",
        MEMBER,
        "k-codes",
        json={"password": PASSWORD, "totp_code": sb.totp(enrol["secret"])},
    )
    invited = _twice(sb, f"{acct}/invitations", OWNER, "k-invite", json={"emails": [INVITEE]})
    _twice(sb, f"{acct}/invitations/{invited['data'][0]['id']}/resend", OWNER, "k-resend")
    link = _twice(sb, f"{acct}/invite_links", OWNER, "k-link", json={"role": "member"})
    _twice(sb, f"{acct}/invite_links/{link['id']}/revoke", OWNER, "k-revoke")
    listed = [_token(each["url"]) for each in sb.walk(f"{acct}/invite_links")]  # seeded ones too
    portal = _twice(sb, f"{acct}/billing_portal_sessions", OWNER, "k-portal")
    _twice(sb, "/v1/auth/password_resets", None, "k-reset", json={"email": ADMIN})
    _twice(
        sb, "/v1/me/email", ADMIN, "k-email", json={"new_email": NEW_EMAIL, "password": PASSWORD}
    )
    zendesk = {"subdomain": "acme", "email": "agent@acme.example", "api_token": "zd-at-rest-5521"}
    _twice(
        sb,
        f"{acct}/integrations",
        OWNER,
        "k-zendesk",
        json={"type": "zendesk", "settings": zendesk},
    )
    slack = {"bot_token": "xoxb-at-rest-8830"}
    first = ok(sb.patch(f"{acct}/integrations/slack", OWNER, json={"settings": slack}))
    assert first["settings"]["bot_token"] == "••••8830"
    mailed = _mailed_tokens(sb, INVITEE)
    assert len(mailed) == 2 and len(set(mailed)) == 1  # the invitation's mail, then resend's
    return {
        "API key secrets": [created["secret"], rolled["secret"]],
        "TOTP secret": [enrol["secret"], enrol["otpauth_uri"]],
        "recovery codes": [*verified["recovery_codes"], *regenerated["recovery_codes"]],
        "invitation tokens": mailed[:1],
        "invite link tokens": listed,
        "billing portal tokens": [_token(portal["url"])],
        # A six-digit code alone could turn up in the bytes by chance: the mail that holds it.
        "e-mailed codes": [sb.latest_code(ADMIN), *(m["body"] for m in sb.outbox(NEW_EMAIL))],
        "session tokens": [sb.token(OWNER), sb.token(MEMBER), sb.token(ADMIN)],
        # Given by the caller, shown again only as their last 4; the seed's configured ones too.
        "integration secrets": [zendesk["api_token"], slack["bot_token"], "demo-secret-7c21"],
    }


def test_secrets_handed_out_are_not_in_the_database_or_its_wal(
    file_sb: tuple[Sandbox, Path],
) -> None:
    sb, db = file_sb
    handed_out = _hand_out_every_kind_of_secret(sb)
    every = [secret for secrets in handed_out.values() for secret in secrets]
    assert all(every) and len(set(every)) == len(every), handed_out
    assert len(handed_out["invite link tokens"]) == 2  # the seeded link and the new one
    files = [db, Path(f"{db}-wal")]
    assert files[1].stat().st_size > 0  # the writes are (at least partly) still in the WAL
    raw = b"".join(path.read_bytes() for path in files)
    in_clear = {
        kind: found
        for kind, secrets in handed_out.items()
        if (found := [s for s in secrets if s.encode() in raw])
    }
    assert in_clear == {}


def test_a_sealed_replay_from_before_a_restart_is_refused_not_redone(sb: Sandbox) -> None:
    from chathq_cli.sandbox.sealing import Sealer

    path = f"/v1/accounts/{sb.ids.support}/api_keys"
    headers = {"Idempotency-Key": "k-restart"}
    ok(sb.post(path, json={"name": "before restart"}, headers=headers))
    state = sb.client.app.state.sandbox  # type: ignore[attr-defined]
    state.sealer = Sealer()  # what a restart on the same database file amounts to
    err(
        sb.post(path, json={"name": "before restart"}, headers=headers),
        409,
        "idempotency_error",
        "idempotency_replay_unavailable",
    )
    names = [k["name"] for k in sb.walk(path)]
    assert names.count("before restart") == 1


def test_replays_without_a_secret_are_stored_as_they_are(sb: Sandbox) -> None:
    from chathq_cli.sandbox.sealing import Sealer

    # An invitation as the API shows it has no token: its link goes only by e-mail.
    path = f"/v1/accounts/{sb.ids.support}/invitations"
    headers = {"Idempotency-Key": "k-invite"}
    first = ok(sb.post(path, json={"emails": [INVITEE]}, headers=headers))
    sb.client.app.state.sandbox.sealer = Sealer()  # type: ignore[attr-defined]
    assert ok(sb.post(path, json={"emails": [INVITEE]}, headers=headers)) == first


@pytest.mark.parametrize(
    ("path", "body"),
    [("invite_links", {"role": "member"}), ("billing_portal_sessions", None)],
)
def test_replays_of_link_urls_are_sealed(sb: Sandbox, path: str, body: object) -> None:
    """Their URL holds a token that lets whoever has it in: kept like any other secret."""
    from chathq_cli.sandbox.sealing import Sealer

    url, headers = f"/v1/accounts/{sb.ids.support}/{path}", {"Idempotency-Key": "k-url"}
    ok(sb.post(url, json=body, headers=headers))
    sb.client.app.state.sandbox.sealer = Sealer()  # type: ignore[attr-defined]
    err(sb.post(url, json=body, headers=headers), 409, code="idempotency_replay_unavailable")


def test_a_sealed_value_opens_only_in_its_own_place() -> None:
    """Copying one user's sealed TOTP secret into another's row gives that user nothing."""
    from chathq_cli.sandbox import at_rest
    from chathq_cli.sandbox.sealing import Sealer

    vault = Sealer()
    sealed = at_rest.seal(vault, "JBSWY3DPEHPK3PXP", "users.totp", "user_a")
    assert at_rest.unseal(vault, sealed, "users.totp", "user_a") == "JBSWY3DPEHPK3PXP"
    for place, row in (("users.totp", "user_b"), ("outbox.code", "user_a")):
        with pytest.raises(at_rest.SealedValueUnreadable):
            at_rest.unseal(vault, sealed, place, row)
    with pytest.raises(at_rest.SealedValueUnreadable):
        at_rest.unseal(Sealer(), sealed, "users.totp", "user_a")  # another process's key
