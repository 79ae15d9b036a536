"""`portal team` in-process against the real sandbox: each change is checked on the server,
each bad input is one line, the documented exit code, and no change."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from support.demo import ADMIN, MEMBER, OUTSIDER, OWNER
from support.harness import assert_one_line_error
from support.inprocess import FAST_RETRIES, Portal

# Patient enough that 30% faults never exhaust the attempts; Retry-After is capped by the delay.


class Team:
    """The owner's default account (Acme Support) as the server sees it."""

    def __init__(self, portal: Portal) -> None:
        self.sandbox = portal.sandbox
        self.token = self.sandbox.sign_in(OWNER)
        self.account = self.sandbox.get("me", self.token)["default_account_id"]

    def members(self) -> list[dict[str, Any]]:
        return self.sandbox.list_all(f"accounts/{self.account}/members", self.token)

    def member(self, email: str) -> dict[str, Any] | None:
        return next((m for m in self.members() if m["email"] == email), None)

    def invitations(self) -> list[dict[str, Any]]:
        return self.sandbox.list_all(f"accounts/{self.account}/invitations", self.token)

    def invitation(self, status: str) -> dict[str, Any]:
        return next(i for i in self.invitations() if i["status"] == status)

    def links(self) -> list[dict[str, Any]]:
        return self.sandbox.list_all(f"accounts/{self.account}/invite_links", self.token)

    def snapshot(self) -> dict[str, Any]:
        return {
            "members": self.members(),
            "invitations": self.invitations(),
            "links": self.links(),
            "outbox": self.sandbox.outbox(),
        }


@pytest.fixture
def team(portal: Portal) -> Team:
    portal.sign_in(OWNER)
    return Team(portal)


@pytest.fixture
def sandbox_on_real_time(portal: Portal) -> datetime:
    """`--expires-in` becomes an absolute expiry by this machine's clock, as it must against a
    real portal; the test sandbox runs on a pinned clock, so put it on the same time."""
    now = datetime.now(UTC)
    portal.sandbox.clock(now.isoformat().replace("+00:00", "Z"))
    return now


# --------------------------------------------------------------------------------------------
# Members


def test_list_shows_the_members_in_every_format(portal: Portal, team: Team) -> None:
    members = team.members()
    assert portal.json("team", "list") == members
    tsv = portal.run("team", "list").stdout.splitlines()
    assert tsv[0].split("\t") == ["E-mail", "Role", "Name", "Joined", "ID"]
    assert {line.split("\t")[0] for line in tsv[1:]} == {m["email"] for m in members}
    csv = portal.run("team", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == "email,role,display_name,joined_at,id"
    assert len(csv) == 1 + len(members)


def test_the_role_choices_are_the_apis_roles() -> None:
    # Typer needs the choices as a type at import; the values themselves are api.rules'.
    from typing import get_args

    from chathq_cli.api.rules import ROLES
    from chathq_cli.commands.team._view import RoleChoice

    assert get_args(RoleChoice) == ROLES


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # bold headers: styling, not colour


def test_list_table_fits_80_columns_with_email_and_role_first(portal: Portal, team: Team) -> None:
    table = _plain(portal.run("team", "list", tty=True, columns=80).stdout)
    lines = table.splitlines()
    assert lines[0].split()[:2] == ["E-mail", "Role"]
    assert all(len(line) <= 80 for line in lines), table
    for member in team.members():  # each address whole on one line, not folded
        assert any(line.startswith(member["email"]) for line in lines), table


def test_a_member_may_list_the_team(portal: Portal, team: Team) -> None:
    portal.sign_in(MEMBER)
    assert len(portal.json("team", "list")) == len(team.members())


def test_set_role_by_email_and_by_id(portal: Portal, team: Team) -> None:
    sam = team.member("sam@demo.chathq.test")
    assert sam is not None and sam["role"] == "member"
    result = portal.run("team", "set-role", "SAM@demo.chathq.test", "admin")
    assert "now admin (was member)" in result.stderr
    assert team.member("sam@demo.chathq.test")["role"] == "admin"  # type: ignore[index]
    updated = portal.json("team", "set-role", sam["id"], "member")
    assert updated["role"] == "member" and updated["id"] == sam["id"]
    assert team.member("sam@demo.chathq.test")["role"] == "member"  # type: ignore[index]


def test_the_last_owner_cannot_be_demoted(portal: Portal, team: Team) -> None:
    before = team.snapshot()
    result = portal.run("team", "set-role", OWNER, "admin", exit_code=7)
    line = assert_one_line_error(result, mentions="last owner")
    assert "needs an owner" in line
    assert "set-role" in result.stderr  # the hint says what to do instead
    assert team.snapshot() == before


def test_the_last_owner_cannot_be_removed(portal: Portal, team: Team) -> None:
    before = team.snapshot()
    result = portal.run("team", "remove", OWNER, "--yes", exit_code=7)
    assert_one_line_error(result, mentions="last owner")
    assert team.snapshot() == before


def test_remove_with_yes(portal: Portal, team: Team) -> None:
    result = portal.json("team", "remove", "sam@demo.chathq.test", "--yes")
    assert result["deleted"] is True and result["email"] == "sam@demo.chathq.test"
    assert team.member("sam@demo.chathq.test") is None


def test_remove_asks_on_a_terminal(portal: Portal, team: Team) -> None:
    declined = portal.run(
        "team", "remove", "sam@demo.chathq.test", tty=True, stdin="n\n", exit_code=3
    )
    assert "Remove Sam Support <sam@demo.chathq.test>" in declined.stderr
    assert team.member("sam@demo.chathq.test") is not None
    portal.run("team", "remove", "sam@demo.chathq.test", tty=True, stdin="y\n")
    assert team.member("sam@demo.chathq.test") is None


def test_remove_without_a_terminal_needs_yes(portal: Portal, team: Team) -> None:
    before = team.snapshot()
    result = portal.run("team", "remove", "sam@demo.chathq.test", exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    assert team.snapshot() == before


# --------------------------------------------------------------------------------------------
# Invitations


def test_invite_sends_one_invitation_and_one_mail_per_address(portal: Portal, team: Team) -> None:
    mails = len(team.sandbox.outbox())
    created = portal.json("team", "invite", "Ana@Example.com", "ben@example.com", "--role", "admin")
    assert [(i["email"], i["role"], i["status"]) for i in created] == [
        ("ana@example.com", "admin", "pending"),
        ("ben@example.com", "admin", "pending"),
    ]
    on_server = {i["id"]: i for i in team.invitations()}
    assert all(on_server[i["id"]]["status"] == "pending" for i in created)
    sent = team.sandbox.outbox()[mails:]
    assert sorted(m["to"] for m in sent) == ["ana@example.com", "ben@example.com"]


def test_invite_from_a_file_ignores_comments_blank_lines_and_spaces(
    portal: Portal, team: Team, tmp_path: Path
) -> None:
    listing = tmp_path / "team.txt"
    listing.write_text(
        "# the support team\nana@example.com\n\n   ben@example.com   # lead\n#x@y.z\n"
    )
    result = portal.run("team", "invite", "--from-file", str(listing), "carl@example.com")
    assert "Invited 3 people as member" in result.stderr
    emails = {i["email"] for i in team.invitations()}
    assert {"ana@example.com", "ben@example.com", "carl@example.com"} <= emails
    assert "x@y.z" not in emails


def test_invite_from_stdin(portal: Portal, team: Team) -> None:
    created = portal.json(
        "team", "invite", "--from-file", "-", stdin="dee@example.com\neve@example.com\n"
    )
    assert [i["email"] for i in created] == ["dee@example.com", "eve@example.com"]
    assert {"dee@example.com", "eve@example.com"} <= {i["email"] for i in team.invitations()}


def test_invite_more_than_one_request_holds(portal: Portal, team: Team, tmp_path: Path) -> None:
    # The API takes 100 addresses per request: 150 go in two.
    listing = tmp_path / "many.txt"
    listing.write_text("".join(f"person{n}@example.com\n" for n in range(150)))
    before = len(team.invitations())
    created = portal.json("team", "invite", "--from-file", str(listing))
    assert [i["email"] for i in created] == [f"person{n}@example.com" for n in range(150)]
    assert len(team.invitations()) == before + 150


def test_invitations_lists_and_filters(portal: Portal, team: Team) -> None:
    assert [i["id"] for i in portal.json("team", "invitations")] == [
        i["id"] for i in team.invitations()
    ]
    pending = portal.json("team", "invitations", "--status", "pending")
    assert pending and {i["status"] for i in pending} == {"pending"}
    csv = portal.run("team", "invitations", "--status", "expired", "--format", "csv").stdout
    assert csv.splitlines()[0] == "email,role,status,expires_at,id"
    assert "old.invite@example.com" in csv
    table = _plain(portal.run("team", "invitations", tty=True, columns=80).stdout)
    assert all(len(line) <= 80 for line in table.splitlines()), table


def test_revoke_and_resend(portal: Portal, team: Team) -> None:
    pending = team.invitation("pending")
    mails = len(team.sandbox.outbox())
    resent = portal.json("team", "invitations", "resend", pending["id"])
    assert resent["status"] == "pending"
    assert [m["to"] for m in team.sandbox.outbox()[mails:]] == [pending["email"]]
    portal.run("team", "invitations", "revoke", pending["id"])
    revoked = next(i for i in team.invitations() if i["id"] == pending["id"])
    assert revoked["status"] == "revoked"


@pytest.mark.parametrize("action", ["resend", "revoke"])
@pytest.mark.parametrize("status", ["expired", "accepted"])
def test_an_invitation_that_is_not_pending_is_a_conflict(
    portal: Portal, team: Team, action: str, status: str
) -> None:
    invitation = team.invitation(status)
    before = team.snapshot()
    result = portal.run("team", "invitations", action, invitation["id"], exit_code=7)
    line = assert_one_line_error(result, mentions=f"{status}, not pending")
    assert f"cannot {action} invitation {invitation['id']}" in line
    assert team.snapshot() == before


# --------------------------------------------------------------------------------------------
# Invite links


def test_link_create_prints_the_url_alone(portal: Portal, team: Team) -> None:
    before = {link["id"] for link in team.links()}
    result = portal.run("team", "link", "create")
    [new] = [link for link in team.links() if link["id"] not in before]
    assert result.stdout == new["url"] + "\n"
    assert new["role"] == "member" and new["max_uses"] == 0 and new["status"] == "active"


def test_link_create_json_with_options(
    portal: Portal, team: Team, sandbox_on_real_time: datetime
) -> None:
    link = portal.json(
        "team", "link", "create", "--role", "admin", "--max-uses", "25", "--expires-in", "2w"
    )
    assert (link["role"], link["max_uses"], link["uses"]) == ("admin", 25, 0)
    expires = datetime.fromisoformat(link["expires_at"].replace("Z", "+00:00"))
    assert abs(expires - (sandbox_on_real_time + timedelta(weeks=2))) < timedelta(minutes=1)
    assert link in team.links()


def test_link_create_for_the_longest_allowed_duration(
    portal: Portal, team: Team, sandbox_on_real_time: datetime
) -> None:
    link = portal.json("team", "link", "create", "--expires-in", "90d")
    expires = datetime.fromisoformat(link["expires_at"].replace("Z", "+00:00"))
    assert timedelta(days=89, hours=23) < expires - sandbox_on_real_time <= timedelta(days=90)


def test_link_list_and_revoke(portal: Portal, team: Team) -> None:
    links = team.links()
    assert portal.json("team", "link", "list") == links
    tsv = portal.run("team", "link", "list").stdout
    assert links[0]["url"] in tsv
    table = _plain(portal.run("team", "link", "list", tty=True, columns=80).stdout)
    assert all(len(line) <= 80 for line in table.splitlines()), table
    revoked = portal.json("team", "link", "revoke", links[0]["id"], "--yes")
    assert revoked["status"] == "revoked"
    assert team.links()[0]["status"] == "revoked"
    again = portal.run("team", "link", "revoke", links[0]["id"], "--yes", exit_code=7)
    assert_one_line_error(again, mentions="already revoked")


def _active_link(team: Team) -> dict[str, Any]:
    return next(link for link in team.links() if link["status"] == "active")


def test_link_revoke_asks_on_a_terminal(portal: Portal, team: Team) -> None:
    link = _active_link(team)
    declined = portal.run("team", "link", "revoke", link["id"], tty=True, stdin="n\n", exit_code=3)
    assert f"Revoke invite link {link['id']}" in declined.stderr
    assert _active_link(team)["id"] == link["id"]
    portal.run("team", "link", "revoke", link["id"], tty=True, stdin="y\n")
    assert next(x for x in team.links() if x["id"] == link["id"])["status"] == "revoked"


def test_link_revoke_without_a_terminal_needs_yes(portal: Portal, team: Team) -> None:
    before = team.snapshot()
    result = portal.run("team", "link", "revoke", _active_link(team)["id"], exit_code=2)
    assert_one_line_error(result, mentions="--yes")
    as_json = portal.run("team", "link", "revoke", _active_link(team)["id"], "--json", exit_code=2)
    assert json.loads(as_json.stderr)["error"]["param"] == "--yes"
    assert team.snapshot() == before


@pytest.mark.parametrize("tty", [True, False])
def test_link_revoke_fails_before_asking(portal: Portal, team: Team, tty: bool) -> None:
    # What needs no answer is checked first: no question for a link that is gone or revoked,
    # and without a terminal the real problem is reported, not the missing --yes.
    link = _active_link(team)
    portal.run("team", "link", "revoke", link["id"], "--yes")
    before = team.snapshot()
    again = portal.run("team", "link", "revoke", link["id"], tty=tty, stdin="y\n", exit_code=7)
    assert_one_line_error(again, mentions="already revoked")
    assert "Revoke invite link" not in again.stderr
    missing = portal.run(
        "team", "link", "revoke", "ilink_doesnotexist", "--json", tty=tty, stdin="y\n", exit_code=6
    )
    assert json.loads(missing.stderr)["error"]["param"] == "ID"
    assert "Revoke invite link" not in missing.stderr
    assert team.snapshot() == before


# --------------------------------------------------------------------------------------------
# Permissions and other accounts


@pytest.mark.parametrize(
    "args",
    [
        ("team", "invite", "x@example.com"),
        ("team", "invitations"),
        ("team", "link", "create"),
        ("team", "link", "list"),
        ("team", "set-role", "sam@demo.chathq.test", "admin"),
        ("team", "remove", "sam@demo.chathq.test", "--yes"),
    ],
)
def test_a_member_cannot_change_the_team(portal: Portal, team: Team, args: tuple[str, ...]) -> None:
    portal.sign_in(MEMBER)
    before = team.snapshot()
    result = portal.run(*args, exit_code=5)
    assert_one_line_error(result, mentions="admin role")
    assert team.snapshot() == before


def test_an_admin_cannot_invite_owners(portal: Portal, team: Team) -> None:
    portal.sign_in(ADMIN)
    before = team.snapshot()
    result = portal.run("team", "invite", "boss@example.com", "--role", "owner", exit_code=5)
    assert_one_line_error(result, mentions="owner")
    assert team.snapshot() == before


@pytest.fixture
def globex(portal: Portal) -> dict[str, str]:
    """IDs of the outsider's own account (Globex Ops): a member, an invitation, a link."""
    sandbox = portal.sandbox
    token = sandbox.sign_in(OUTSIDER)
    account = sandbox.get("me", token)["default_account_id"]
    member = sandbox.list_all(f"accounts/{account}/members", token)[0]["id"]
    invitation = sandbox.api(
        "POST", f"accounts/{account}/invitations", token, json={"emails": ["g@example.com"]}
    ).json()["data"][0]["id"]
    link = sandbox.api("POST", f"accounts/{account}/invite_links", token, json={}).json()["id"]
    return {"account": account, "member": member, "invitation": invitation, "link": link}


@pytest.mark.parametrize(
    "args",
    [
        ("team", "list", "--account", "{account}"),
        ("team", "invite", "x@example.com", "--account", "{account}"),
        ("team", "remove", "{member}", "--yes"),
        ("team", "set-role", "{member}", "admin"),
        ("team", "invitations", "revoke", "{invitation}"),
        ("team", "invitations", "resend", "{invitation}"),
        ("team", "link", "revoke", "{link}"),
    ],
)
def test_another_accounts_ids_are_not_found(
    portal: Portal, team: Team, globex: dict[str, str], args: tuple[str, ...]
) -> None:
    outsider = portal.sandbox.sign_in(OUTSIDER)
    theirs = portal.sandbox.list_all(f"accounts/{globex['account']}/invitations", outsider)
    before = team.snapshot()
    result = portal.run(*(arg.format(**globex) for arg in args), exit_code=6)
    assert_one_line_error(result)
    assert team.snapshot() == before
    assert portal.sandbox.list_all(f"accounts/{globex['account']}/invitations", outsider) == theirs


# --------------------------------------------------------------------------------------------
# Bad input: one line naming the problem, the documented exit code, nothing changed.

LONG = "a" * 10_000


@pytest.mark.parametrize(
    ("args", "code", "mentions"),
    [
        (("invite", "not-an-email"), 2, "not-an-email"),
        (("invite", "ok@example.com", "bob@"), 2, "'bob@'"),
        (("invite", "ok@example.com", "OK@example.com"), 2, "listed twice"),
        (("invite", "a\x1b[2J@example.com"), 2, "control characters"),
        (("invite", "tab\t@example.com"), 2, "EMAIL 1"),
        (("invite", LONG + "@example.com"), 2, "not a valid e-mail address"),
        (("invite",), 2, "EMAIL"),
        (("invite", "x@example.com", "--role", "boss"), 2, "--role"),
        (("invite", "sam@demo.chathq.test", "new@example.com"), 7, "already on the team"),
        (("invitations", "--status", "lost"), 2, "--status"),
        (("invitations", "revoke", "ilink_abc"), 2, "invitation ID"),
        (("invitations", "revoke", "inv_doesnotexist"), 6, "inv_doesnotexist"),
        (("invitations", "resend", LONG), 2, "ID"),
        (("link", "create", "--expires-in", "91d"), 2, "at most 90 days"),
        (("link", "create", "--expires-in", "13w"), 2, "--expires-in"),
        (("link", "create", "--expires-in", "0d"), 2, "--expires-in"),
        (("link", "create", "--expires-in", "7 days"), 2, "--expires-in"),
        (("link", "create", "--expires-in", "1.5d"), 2, "--expires-in"),
        (("link", "create", "--expires-in", LONG + "d"), 2, "--expires-in"),
        (("link", "create", "--max-uses", "-1"), 2, "--max-uses"),
        (("link", "create", "--role", "root"), 2, "--role"),
        (("link", "revoke", "ilink_doesnotexist"), 6, "ilink_doesnotexist"),
        (("link", "revoke", "ilink_\x00"), 2, "ID"),
        (("set-role", "sam@demo.chathq.test", "superuser"), 2, "ROLE"),
        (("set-role", "sam", "admin"), 2, "MEMBER"),
        (("set-role", LONG, "admin"), 2, "MEMBER"),
        (("set-role", "nobody@example.com", "admin"), 6, "nobody@example.com"),
        (("remove", "mem_doesnotexist", "--yes"), 6, "mem_doesnotexist"),
        (("remove", "", "--yes"), 2, "MEMBER"),
        (("remove", "sam\x07@demo.chathq.test", "--yes"), 2, "control characters"),
    ],
)
def test_bad_input(
    portal: Portal, team: Team, args: tuple[str, ...], code: int, mentions: str
) -> None:
    before = team.snapshot()
    result = portal.run("team", *args, exit_code=code)
    line = assert_one_line_error(result, mentions=mentions)
    assert len(line) < 300, "long input is cut in the message"
    assert team.snapshot() == before


@pytest.mark.parametrize(
    ("content", "mentions"),
    [
        (b"ana@example.com\nben@example\n", "line 2"),
        (b"ana@example.com\n# dup below\nANA@example.com\n", "line 1 and --from-file"),
        (b"ana@example.com ben@example.com\n", "line 1"),
        (b"# only comments\n\n   \n", "no address"),
        (b"ana@example.com\n\xff\xfe\n", "not UTF-8"),
        (b"x\x00y@example.com\n", "control characters"),
        (LONG.encode() + b"@example.com\n", "line 1"),
    ],
)
def test_bad_from_file(
    portal: Portal, team: Team, tmp_path: Path, content: bytes, mentions: str
) -> None:
    listing = tmp_path / "team.txt"
    listing.write_bytes(content)
    before = team.snapshot()
    result = portal.run("team", "invite", "--from-file", str(listing), exit_code=2)
    line = assert_one_line_error(result, mentions=mentions)
    assert len(line) < 300
    assert team.snapshot() == before


def test_missing_directory_and_unreadable_from_file(
    portal: Portal, team: Team, tmp_path: Path
) -> None:
    before = team.snapshot()
    missing = portal.run("team", "invite", "--from-file", str(tmp_path / "nope.txt"), exit_code=2)
    assert_one_line_error(missing, mentions="no such file")
    folder = portal.run("team", "invite", "--from-file", str(tmp_path), exit_code=2)
    assert_one_line_error(folder, mentions="directory")
    empty = portal.run("team", "invite", "--from-file", "", exit_code=2)
    assert_one_line_error(empty, mentions="--from-file")
    if os.geteuid() != 0:  # root reads a mode-000 file anyway
        locked = tmp_path / "locked.txt"
        locked.write_text("ana@example.com\n")
        locked.chmod(0)
        denied = portal.run("team", "invite", "--from-file", str(locked), exit_code=2)
        assert_one_line_error(denied, mentions="permission denied")
    assert team.snapshot() == before


def test_bad_input_in_json_mode_is_one_json_error(portal: Portal, team: Team) -> None:
    result = portal.run("team", "invite", "bob@", "--json", exit_code=2)
    error = json.loads(result.stderr)["error"]
    assert error["param"] == "EMAIL" and "bob@" in error["message"]


@pytest.mark.parametrize(
    ("args", "code", "param"),
    [
        (("set-role", "sam", "admin"), 2, "MEMBER"),
        (("set-role", "nobody@example.com", "admin"), 6, "MEMBER"),
        (("remove", "", "--yes"), 2, "MEMBER"),
        (("invite", "ok@example.com", "OK@example.com"), 2, "EMAIL"),
        (("invite", "--from-file", "/nonexistent/team.txt"), 2, "--from-file"),
        (("invite", "x@example.com", "--role", "boss"), 2, "--role"),
        (("invitations", "--status", "lost"), 2, "--status"),
        (("invitations", "resend", "ilink_abc"), 2, "ID"),
        (("link", "create", "--expires-in", "91d"), 2, "--expires-in"),
        (("link", "revoke", "inv_abc", "--yes"), 2, "ID"),
        (("link", "revoke", "ilink_doesnotexist", "--yes"), 6, "ID"),
    ],
)
def test_json_errors_name_what_was_typed(
    portal: Portal, team: Team, args: tuple[str, ...], code: int, param: str
) -> None:
    # The flag for an option, the metavar of the usage line for an argument.
    result = portal.run("team", *args, "--json", exit_code=code)
    assert json.loads(result.stderr)["error"]["param"] == param


# --------------------------------------------------------------------------------------------
# Faults and --debug


def test_invites_and_links_apply_exactly_once_under_30_percent_faults(
    portal: Portal, team: Team
) -> None:
    links_before = len(team.links())
    invitations_before = len(team.invitations())
    mails_before = len(team.sandbox.outbox())
    # Seed 1 draws every kind among these requests: 503s, 429s, 500s and dropped connections.
    team.sandbox.faults(0.3, kinds=("error_before", "error_after", "rate_limit"), seed=1)
    addresses = [f"faulty{n}@example.com" for n in range(8)]
    runs = [portal.run("team", "invite", a, "--debug", env=FAST_RETRIES) for a in addresses]
    runs += [portal.run("team", "link", "create", "--debug", env=FAST_RETRIES) for _ in range(7)]
    team.sandbox.faults(0.0)
    # Otherwise the test proves nothing: some requests failed and were retried.
    assert sum("retrying" in run.stderr for run in runs) >= 3, [r.stderr for r in runs]
    # ...and some of them had been applied before they failed (error_after): replayed, not redone.
    assert any("idempotent replay" in run.stderr for run in runs), [r.stderr for r in runs]

    invitations = team.invitations()
    assert len(invitations) == invitations_before + len(addresses)
    for address in addresses:
        assert [i["email"] for i in invitations].count(address) == 1, address
    mails = [m["to"] for m in team.sandbox.outbox()[mails_before:]]
    assert sorted(mails) == sorted(addresses)
    assert len(team.links()) == links_before + 7


def test_debug_never_shows_the_session_token(portal: Portal, team: Team, tmp_path: Path) -> None:
    token = portal.sign_in(OWNER)
    listing = tmp_path / "team.txt"
    listing.write_text("dbg1@example.com\n")
    pending = team.invitation("pending")["id"]
    runs = [
        portal.run("team", "list", "--debug"),
        portal.run("team", "invite", "dbg0@example.com", "--debug"),
        portal.run("team", "invite", "--from-file", str(listing), "--debug", "--json"),
        portal.run("team", "invitations", "--debug"),
        portal.run("team", "invitations", "resend", pending, "--debug"),
        portal.run("team", "invitations", "revoke", pending, "--debug"),
        portal.run("team", "link", "create", "--debug"),
        portal.run("team", "link", "list", "--debug", "--format", "csv"),
        portal.run("team", "set-role", "sam@demo.chathq.test", "admin", "--debug"),
        portal.run("team", "remove", "sam@demo.chathq.test", "--yes", "--debug"),
        portal.run("team", "remove", OWNER, "--yes", "--debug", exit_code=7),
    ]
    for run in runs:
        assert "> GET" in run.stderr or "> POST" in run.stderr, run.describe()
        assert token not in run.stdout and token not in run.stderr, run.describe()
        assert token[-12:] not in run.stderr, run.describe()


@pytest.mark.parametrize("columns", [80, 40])
def test_list_on_a_terminal_shows_ids_and_never_splits_an_address(
    portal: Portal, team: Team, columns: int
) -> None:
    table = _plain(portal.run("team", "list", tty=True, columns=columns).stdout)
    for member in team.members():
        assert member["email"] in table, table
        assert member["id"] in table, table
