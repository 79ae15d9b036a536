"""No secret rests in the sandbox's database in clear, idempotency replays included (SPEC §8).

Each secret-bearing write is sent with an Idempotency-Key, so its response is kept for replay;
then the bytes of the database file and its WAL are searched for every secret handed out.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sandbox_support import MEMBER, OWNER, Sandbox, err, make_app, ok


@pytest.fixture
def file_sb(tmp_path: Path) -> Iterator[tuple[Sandbox, Path]]:
    from fastapi.testclient import TestClient

    db = tmp_path / "sandbox.db"
    with TestClient(make_app(db_path=str(db)), raise_server_exceptions=False) as client:
        yield Sandbox(client), db  # type: ignore[arg-type]


def _twice(sb: Sandbox, path: str, who: str, key: str, **kw: object) -> dict:
    """The write and its replay: the replay must still carry the secret."""
    first = ok(sb.post(path, who, headers={"Idempotency-Key": key}, **kw))
    replay = sb.post(path, who, headers={"Idempotency-Key": key}, **kw)
    assert replay.headers.get("Idempotent-Replayed") == "true"
    assert ok(replay) == first
    return first


def test_secrets_handed_out_are_not_in_the_database_or_its_wal(
    file_sb: tuple[Sandbox, Path],
) -> None:
    sb, db = file_sb
    keys = f"/v1/accounts/{sb.ids.support}/api_keys"
    created = _twice(sb, keys, OWNER, "k-create", json={"name": "at rest"})
    rolled = _twice(sb, f"{keys}/{created['id']}/roll", OWNER, "k-roll", json={})
    enrol = _twice(sb, "/v1/me/totp", MEMBER, "k-totp")
    verified = _twice(
        sb, "/v1/me/totp/verify", MEMBER, "k-verify", json={"code": sb.totp(enrol["secret"])}
    )
    regenerated = _twice(
        sb,
        "/v1/me/recovery_codes",
        MEMBER,
        "k-codes",
        json={"password": "chathq-demo", "totp_code": sb.totp(enrol["secret"])},
    )
    secrets = [
        created["secret"],
        rolled["secret"],
        enrol["otpauth_uri"],
        *verified["recovery_codes"],
        *regenerated["recovery_codes"],
    ]
    assert all(secrets) and len(set(secrets)) == len(secrets)
    files = [db, Path(f"{db}-wal")]
    assert files[1].stat().st_size > 0  # the writes are (at least partly) still in the WAL
    raw = b"".join(path.read_bytes() for path in files)
    assert [s for s in secrets if s.encode() in raw] == []
    # The TOTP secret itself must stay readable by the server (it checks codes with it), but
    # never in a stored replay.
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        bodies = b"".join(row[0] for row in conn.execute("SELECT body FROM idempotency"))
    assert enrol["secret"].encode() not in bodies


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

    path = f"/v1/accounts/{sb.ids.support}/invite_links"
    headers = {"Idempotency-Key": "k-link"}
    first = ok(sb.post(path, json={"role": "member"}, headers=headers))
    sb.client.app.state.sandbox.sealer = Sealer()  # type: ignore[attr-defined]
    assert ok(sb.post(path, json={"role": "member"}, headers=headers)) == first
