"""`portal team` flows in-process against the sandbox: a terminal table, JSON, CSV, the CI way
of inviting a team from a file with PORTAL_TOKEN, and --debug without the token. More in
tests/commands/test_team.py."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from support.harness import OWNER, Sandbox, assert_one_line_error
from support.inprocess import Portal


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _account(sandbox: Sandbox, token: str) -> str:
    return str(sandbox.get("me", token)["default_account_id"])


def test_team_list_as_a_table_json_and_csv(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    members = sandbox.list_all(f"accounts/{_account(sandbox, token)}/members", token)

    table = _plain(portal.run("team", "list", tty=True).stdout)
    header, rule, *rows = table.splitlines()
    assert header.split()[:3] == ["E-mail", "Role", "Name"]
    assert set(rule) == {"─"}  # a real table, not TSV
    assert sorted(row.split()[0] for row in rows) == sorted(m["email"] for m in members)

    assert portal.run("team", "list", "--json").json() == members
    rows_csv = list(
        csv.DictReader(io.StringIO(portal.run("team", "list", "--format", "csv").stdout))
    )
    assert [(r["email"], r["role"], r["id"]) for r in rows_csv] == [
        (m["email"], m["role"], m["id"]) for m in members
    ]


def test_ci_invites_a_team_from_a_file(portal: Portal, sandbox: Sandbox, tmp_path: Path) -> None:
    token = sandbox.sign_in(OWNER)  # CI: the token in the environment, no keyring
    account = _account(sandbox, token)
    listing = tmp_path / "team.txt"
    listing.write_text("# support, spring hires\nana@example.com\nben@example.com  # lead\n\n")
    ci = {"PORTAL_TOKEN": token, "PORTAL_ACCOUNT": account}
    result = portal.run("team", "invite", "--from-file", str(listing), "--format", "csv", env=ci)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["email"], r["status"]) for r in rows] == [
        ("ana@example.com", "pending"),
        ("ben@example.com", "pending"),
    ]
    on_server = sandbox.list_all(f"accounts/{account}/invitations?status=pending", token)
    assert {"ana@example.com", "ben@example.com"} <= {i["email"] for i in on_server}
    assert sorted(m["to"] for m in sandbox.outbox()[-2:]) == ["ana@example.com", "ben@example.com"]

    # A malformed line stops the whole batch: the good address before it is not invited either.
    listing.write_text("carl@example.com\ncarl@\n")
    mails = len(sandbox.outbox())
    bad = portal.run("team", "invite", "--from-file", str(listing), env=ci, exit_code=2)
    assert_one_line_error(bad, mentions="line 2")
    assert len(sandbox.outbox()) == mails


def test_link_create_url_for_scripts_and_json(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account = _account(sandbox, token)
    url = portal.run("team", "link", "create", "--max-uses", "3").stdout.strip()
    links = sandbox.list_all(f"accounts/{account}/invite_links", token)
    assert links[0]["url"] == url and links[0]["max_uses"] == 3
    link = portal.run("team", "link", "create", "--json").json()
    assert link["id"] == sandbox.list_all(f"accounts/{account}/invite_links", token)[0]["id"]
    table = _plain(portal.run("team", "link", "list", tty=True).stdout)
    assert link["id"] in table and "0 (no limit)" in table and "0 of 3" in table


def test_remove_needs_yes_without_a_terminal(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    account = _account(sandbox, token)
    before = sandbox.list_all(f"accounts/{account}/members", token)
    result = portal.run("team", "remove", "sam@demo.chathq.test", exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    assert sandbox.list_all(f"accounts/{account}/members", token) == before
    portal.run("team", "remove", "sam@demo.chathq.test", "--yes")
    emails = [m["email"] for m in sandbox.list_all(f"accounts/{account}/members", token)]
    assert "sam@demo.chathq.test" not in emails


def test_debug_output_never_contains_the_token(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    for args in (
        ("team", "invite", "dbg@example.com", "--debug"),
        ("team", "link", "create", "--debug", "--json"),
        ("team", "invitations", "--debug", "--format", "csv"),
    ):
        result = portal.run(*args)
        assert "> POST" in result.stderr or "> GET" in result.stderr
        assert token not in result.stdout + result.stderr
