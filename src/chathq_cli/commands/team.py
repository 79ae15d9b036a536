"""`portal team`: members, invitations and invite links of the current account.

Changing the team needs the admin role (owner for anything about owners); a member can only
list it. Every argument is checked before the first request (exit 2, one line naming it): a
batch of invitations is read and checked whole, so one bad or repeated address sends nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from chathq_cli.cli.frame import YesOpt, command

if TYPE_CHECKING:
    from chathq_cli.api.team import Invitation, Member
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Column

# "\b" keeps Click from re-wrapping the example block into one paragraph.
app = typer.Typer(
    help="Manage the account's team: members, roles, invitations and invite links.",
    epilog="""\
\b
Examples:
  portal team list
  portal team invite ana@example.com --role admin
  portal team invite --from-file team.txt
  portal team link create --expires-in 30d
  portal team set-role ana@example.com member
  portal team remove ana@example.com
""",
    no_args_is_help=True,
)
# No help text here: the group's help is its callback's docstring (the listing command).
invitations_app = typer.Typer(invoke_without_command=True)
link_app = typer.Typer(
    help="Create, list and revoke multi-use invite links.",
    epilog="""\
\b
Examples:
  portal team link create --max-uses 25 --expires-in 2w
  portal team link list
  portal team link revoke ilink_0123abcd
""",
    no_args_is_help=True,
)
app.add_typer(invitations_app, name="invitations")
app.add_typer(link_app, name="link")

RoleChoice = Literal["owner", "admin", "member"]
StatusChoice = Literal["pending", "accepted", "revoked", "expired"]

# The API takes at most this many addresses per request; a longer batch is sent in chunks.
INVITE_CHUNK = 100
# SPEC §5: invite links expire at most 90 days ahead (in days, imported lazily as timedelta).
LINK_MAX_DAYS = 90
CLOCK_MARGIN_MINUTES = 5
MAX_USES = 10_000
# A --from-file bigger than this is not a list of addresses.
FROM_FILE_MAX_CHARS = 1_000_000

_ID_RE = {
    prefix: re.compile(rf"^{prefix}[A-Za-z0-9]{{1,64}}$") for prefix in ("mem_", "inv_", "ilink_")
}


# --------------------------------------------------------------------------------------------
# Argument checks (pure, before any request)


def _shown(value: str) -> str:
    from chathq_cli.inputs.names import shown

    return shown(value)


def _address_problem(value: str) -> str | None:
    from chathq_cli.api import rules

    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        return "contains control characters"
    return rules.email_problem(value)


def _check_id(value: str, prefix: str, param: str, what: str) -> str:
    from chathq_cli import errors

    value = value.strip()
    if not _ID_RE[prefix].match(value):
        raise errors.UsageError(
            f"{param} must be {what} id ({prefix}...), got {_shown(value)}", param=param
        )
    return value


def read_addresses(text: str, source: str) -> list[tuple[str, str]]:
    """(address, where) pairs from a --from-file text: one address a line; blank lines, spaces
    and `#` comments (from a `#` to the end of the line) ignored."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        address = line.split("#", 1)[0].strip()
        if address:
            found.append((address, f"{source} line {number}"))
    return found


def check_addresses(entries: list[tuple[str, str]]) -> list[str]:
    """The addresses, lower-cased (the API compares them so), or a UsageError naming the first
    malformed or repeated one and where it came from. Nothing is sent unless all are good."""
    from chathq_cli import errors

    if not entries:
        raise errors.UsageError(
            "no address to invite: give EMAIL arguments or --from-file FILE", param="EMAIL"
        )
    first_seen: dict[str, str] = {}
    for address, where in entries:
        problem = _address_problem(address)
        param = "--from-file" if " line " in where else "EMAIL"
        if problem:
            raise errors.UsageError(
                f"{where}: {_shown(address)} {problem}; nothing was sent", param=param
            )
        key = address.lower()
        if key in first_seen:
            raise errors.UsageError(
                f"{_shown(address)} is listed twice ({first_seen[key]} and {where}); "
                "nothing was sent",
                param=param,
            )
        first_seen[key] = where
    return list(first_seen)


def _read_from_file(rt: Runtime, path: str) -> str:
    from pathlib import Path

    from chathq_cli import errors

    def bad(why: str) -> errors.UsageError:
        return errors.UsageError(f"--from-file {_shown(path)}: {why}", param="--from-file")

    if path == "-":
        text = rt.out.env.stdin.read(FROM_FILE_MAX_CHARS + 1)
    else:
        try:
            with Path(path).open(encoding="utf-8") as handle:
                text = handle.read(FROM_FILE_MAX_CHARS + 1)
        except FileNotFoundError:
            raise bad("no such file") from None
        except IsADirectoryError:
            raise bad("is a directory, not a file") from None
        except PermissionError:
            raise bad("permission denied") from None
        except UnicodeDecodeError:
            raise bad("is not UTF-8 text") from None
        except OSError as exc:
            raise bad(f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if len(text) > FROM_FILE_MAX_CHARS:
        raise bad(f"is larger than {FROM_FILE_MAX_CHARS:,} characters")
    return text


# --------------------------------------------------------------------------------------------
# Lookups and error wording


def member_ref(ref: str) -> tuple[Literal["id", "email"], str]:
    """MEMBER as ("id", "mem_...") or ("email", lower-cased address), checked before any
    request."""
    from chathq_cli import errors

    ref = ref.strip()
    if ref.startswith("mem_"):
        return "id", _check_id(ref, "mem_", "MEMBER", "a member")
    if "@" in ref:
        problem = _address_problem(ref)
        if problem:
            raise errors.UsageError(f"MEMBER {_shown(ref)} {problem}", param="MEMBER")
        return "email", ref.lower()
    raise errors.UsageError(
        f"MEMBER must be a member id (mem_...) or an e-mail address, got {_shown(ref)}",
        param="MEMBER",
    )


def find_member(
    client: PortalClient, account_id: str, ref: tuple[Literal["id", "email"], str]
) -> Member:
    """The account's member that `member_ref()` named, or NotFound (exit 6)."""
    from chathq_cli import errors

    kind, value = ref
    for member in client.list_members(account_id):
        if (member.id if kind == "id" else member.email.lower()) == value:
            return member
    raise errors.NotFound(
        f"no member {_shown(value)} on account {account_id}",
        status=404,
        code="resource_missing",
        param="MEMBER",
        hint="portal team list",
    )


@contextmanager
def _explain_conflict(action: str, hint: str | None) -> Iterator[None]:
    """A 409 from the server, reworded to say what could not be done and why."""
    from chathq_cli import errors

    try:
        yield
    except errors.Conflict as exc:
        if exc.code == "last_owner":
            exc.message = (
                f"cannot {action}: they are the account's last owner, "
                "and an account always needs an owner"
            )
            exc.hint = "make another member an owner first: portal team set-role MEMBER owner"
        else:
            exc.message = f"cannot {action}: {exc.message}"
            exc.hint = exc.hint or hint
        exc.args = (exc.message,)
        raise


def _day(value: Any) -> str:
    """`2026-11-22` from an RFC 3339 time: enough for a terminal table of team changes."""
    return value[:10] if isinstance(value, str) else ""


def _uses(row: dict[str, Any]) -> str:
    limit = row.get("max_uses") or 0
    return f"{row.get('uses', 0)} of {limit}" if limit else f"{row.get('uses', 0)} (no limit)"


# --------------------------------------------------------------------------------------------
# Columns: e-mail and role first, few columns, so a table fits 80 columns. A terminal table
# shows days (`_day`); TSV, CSV and JSON keep the full RFC 3339 times.


def _member_columns(terminal: bool) -> list[Column]:
    from chathq_cli.output import Column

    if terminal:  # members are named by e-mail in commands; the IDs are in TSV/CSV/JSON
        return [
            Column("email", "E-mail"),
            Column("role", "Role"),
            Column("display_name", "Name"),
            Column("joined_day", "Joined"),
        ]
    return [
        Column("email", "E-mail"),
        Column("role", "Role"),
        Column("display_name", "Name"),
        Column("joined_at", "Joined", "time"),
        Column("id", "ID", "id"),
    ]


def _invitation_columns(terminal: bool) -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("email", "E-mail"),
        Column("role", "Role"),
        Column("status", "Status"),
        Column("expires_day", "Expires") if terminal else Column("expires_at", "Expires", "time"),
        Column("id", "ID", "id"),
    ]


def _link_columns(terminal: bool) -> list[Column]:
    from chathq_cli.output import Column

    if terminal:  # the URL does not fit 80 columns: it is in --json / CSV / TSV
        return [
            Column("role", "Role"),
            Column("status", "Status"),
            Column("uses_shown", "Uses"),
            Column("expires_day", "Expires"),
            Column("id", "ID", "id"),
        ]
    return [
        Column("role", "Role"),
        Column("status", "Status"),
        Column("uses", "Uses", "int"),
        Column("max_uses", "Max uses", "int"),
        Column("expires_at", "Expires", "time"),
        Column("id", "ID", "id"),
        Column("url", "URL"),
    ]


def _terminal_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "joined_day": _day(row.get("joined_at")),
        "expires_day": _day(row.get("expires_at")),
        "uses_shown": _uses(row) if "max_uses" in row else "",
    }


def _rows(rt: Runtime, items: Any) -> Iterator[dict[str, Any]]:
    for item in items:
        row = item.model_dump(mode="json")
        yield _terminal_view(row) if rt.out.is_terminal_table else row


# --------------------------------------------------------------------------------------------
# Members


@command(app, "list", data=True, account=True)
def list_(rt: Runtime) -> None:
    """List the account's members: e-mail, role, name, when they joined.

    \b
    Examples:
      portal team list
      portal team list --format csv > team.csv
      portal team list --json --jq '.[] | select(.role == "admin") | .email'
    """
    client = rt.client()
    account_id = rt.account_id()
    rt.out.list(
        _rows(rt, client.list_members(account_id)), _member_columns(rt.out.is_terminal_table)
    )


@command(app, "set-role", data=True, account=True)
def set_role(
    rt: Runtime,
    member: Annotated[
        str, typer.Argument(metavar="MEMBER", help="Member id (mem_...) or e-mail address.")
    ],
    role: Annotated[RoleChoice, typer.Argument(metavar="ROLE", help="owner, admin or member.")],
) -> None:
    """Change a member's role (admin; granting or taking away owner needs an owner).

    The last owner cannot be demoted: make someone else an owner first.

    \b
    Examples:
      portal team set-role sam@example.com admin
      portal team set-role mem_0123abcd member
      portal team set-role lee@example.com owner --json
    """
    ref = member_ref(member)
    client = rt.client()
    account_id = rt.account_id()
    found = find_member(client, account_id, ref)
    with _explain_conflict(f"make {found.email} {role}", None):
        updated = client.set_member_role(account_id, found.id, role)
    rt.out.object(
        _terminal_view(updated.model_dump(mode="json"))
        if rt.out.is_terminal_table
        else updated.model_dump(mode="json"),
        _member_columns(rt.out.is_terminal_table),
    )
    if found.role == updated.role:
        rt.out.info(f"{updated.email} is already {updated.role}; nothing changed")
    else:
        rt.out.success(f"{updated.email} is now {updated.role} (was {found.role})")


@command(app, data=True, account=True)
def remove(
    rt: Runtime,
    member: Annotated[
        str, typer.Argument(metavar="MEMBER", help="Member id (mem_...) or e-mail address.")
    ],
    yes: YesOpt = False,
) -> None:
    """Remove a member from the account (asks first; --yes skips the question).

    They lose access to this account at once. The last owner cannot be removed.

    \b
    Examples:
      portal team remove sam@example.com
      portal team remove mem_0123abcd --yes
    """
    ref = member_ref(member)
    client = rt.client()
    account_id = rt.account_id()
    found = find_member(client, account_id, ref)
    rt.out.confirm(
        f"Remove {found.display_name} <{found.email}> ({found.role}) from account {account_id}?",
        yes=yes,
    )
    with _explain_conflict(f"remove {found.email}", None):
        client.remove_member(account_id, found.id)
    if rt.out.is_json:
        rt.out.object({"id": found.id, "object": "member", "email": found.email, "deleted": True})
    rt.out.success(f"Removed {found.email} from account {account_id}")


# --------------------------------------------------------------------------------------------
# Invitations


@command(app, data=True, account=True)
def invite(
    rt: Runtime,
    emails: Annotated[
        list[str] | None,
        typer.Argument(metavar="EMAIL", help="Addresses to invite.", show_default=False),
    ] = None,
    role: Annotated[
        RoleChoice, typer.Option("--role", help="Role they get on joining.")
    ] = "member",
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from-file",
            metavar="FILE",
            help="Read addresses from FILE (- for stdin): one a line, # comments.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Invite people by e-mail (admin; inviting owners needs an owner).

    All addresses are checked first: one malformed or repeated address, or one that is
    already on the team, fails the command and no invitation is sent. In --from-file,
    blank lines, spaces and everything after a # are ignored.

    \b
    Examples:
      portal team invite ana@example.com ben@example.com
      portal team invite ops@example.com --role admin
      portal team invite --from-file team.txt
      grep -v contractor team.txt | portal team invite --from-file - --json
    """
    from chathq_cli import errors

    entries = [(address, f"EMAIL {n}") for n, address in enumerate(emails or [], start=1)]
    if from_file is not None:
        if not from_file.strip():
            raise errors.UsageError("--from-file must not be empty", param="--from-file")
        source = "stdin" if from_file == "-" else from_file
        entries += read_addresses(_read_from_file(rt, from_file), f"--from-file {source}")
    addresses = check_addresses(entries)

    client = rt.client()
    account_id = rt.account_id()
    on_team = {m.email.lower() for m in client.list_members(account_id)}
    already = [address for address in addresses if address in on_team]
    if already:
        raise errors.Conflict(
            f"already on the team: {', '.join(already[:5])}"
            + (f" and {len(already) - 5} more" if len(already) > 5 else "")
            + "; nothing was sent",
            status=409,
            code="already_member",
            param="EMAIL",
            hint="remove them from the list, or see `portal team list`",
        )
    created: list[Invitation] = []
    for start in range(0, len(addresses), INVITE_CHUNK):
        chunk = addresses[start : start + INVITE_CHUNK]
        created += reversed(client.create_invitations(account_id, chunk, role))  # input order
    rt.out.list(_rows(rt, created), _invitation_columns(rt.out.is_terminal_table))
    people = "person" if len(created) == 1 else "people"
    rt.out.success(f"Invited {len(created)} {people} as {role}")


@command(invitations_app, callback=True, invoke_without_command=True, data=True, account=True)
def invitations(
    rt: Runtime,
    ctx: typer.Context,
    status: Annotated[
        StatusChoice | None,
        typer.Option("--status", help="Only invitations with this status.", show_default=False),
    ] = None,
) -> None:
    """List the account's invitations (admin), newest first; subcommands revoke and resend.

    \b
    Examples:
      portal team invitations
      portal team invitations --status pending
      portal team invitations revoke inv_0123abcd
      portal team invitations resend inv_0123abcd
    """
    rt.out.list(
        _rows(rt, rt.client().list_invitations(rt.account_id(), status=status)),
        _invitation_columns(rt.out.is_terminal_table),
    )


def _invitation_action(rt: Runtime, invitation_id: str, action: str) -> None:
    invitation_id = _check_id(invitation_id, "inv_", "ID", "an invitation")
    client = rt.client()
    account_id = rt.account_id()
    method = client.revoke_invitation if action == "revoke" else client.resend_invitation
    with _explain_conflict(
        f"{action} invitation {invitation_id}",
        "only pending invitations can be revoked or resent; to invite the address again: "
        "portal team invite EMAIL",
    ):
        invitation = method(account_id, invitation_id)
    row = invitation.model_dump(mode="json")
    terminal = rt.out.is_terminal_table
    rt.out.object(_terminal_view(row) if terminal else row, _invitation_columns(terminal))
    done = "Revoked" if action == "revoke" else "Sent again"
    rt.out.success(f"{done}: the invitation of {invitation.email} ({invitation.id})")


@command(invitations_app, "revoke", data=True, account=True)
def revoke_invitation(
    rt: Runtime,
    invitation_id: Annotated[str, typer.Argument(metavar="ID", help="Invitation id (inv_...).")],
) -> None:
    """Revoke a pending invitation: its link stops working.

    \b
    Examples:
      portal team invitations revoke inv_0123abcd
      portal team invitations --status pending --json --jq '.[].id'
    """
    _invitation_action(rt, invitation_id, "revoke")


@command(invitations_app, "resend", data=True, account=True)
def resend_invitation(
    rt: Runtime,
    invitation_id: Annotated[str, typer.Argument(metavar="ID", help="Invitation id (inv_...).")],
) -> None:
    """E-mail a pending invitation again; it is valid for another 7 days.

    Accepted, revoked or expired invitations cannot be resent (exit 7): invite again.

    \b
    Examples:
      portal team invitations resend inv_0123abcd
    """
    _invitation_action(rt, invitation_id, "resend")


# --------------------------------------------------------------------------------------------
# Invite links


@command(link_app, "create", data=True, account=True)
def link_create(
    rt: Runtime,
    role: Annotated[
        RoleChoice, typer.Option("--role", help="Role of whoever joins with the link.")
    ] = "member",
    max_uses: Annotated[
        int,
        typer.Option(
            "--max-uses",
            metavar="N",
            min=0,
            max=MAX_USES,
            help=f"How many people can join with it (0: no limit; at most {MAX_USES:,}).",
        ),
    ] = 0,
    expires_in: Annotated[
        str | None,
        typer.Option(
            "--expires-in",
            metavar="DURATION",
            help="Valid for DURATION: 90m, 12h, 7d, 4w (default 7d, at most 90d).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a multi-use invite link (admin) and print its URL.

    Anyone with the URL can join the account with the link's role until it expires, is
    used up or is revoked: share it like a password.

    \b
    Examples:
      portal team link create
      portal team link create --max-uses 25 --expires-in 30d
      portal team link create --role admin --expires-in 12h --json
      URL=$(portal team link create --expires-in 2w)
    """
    from datetime import UTC, datetime, timedelta

    from chathq_cli.inputs.durations import parse_duration

    span = (
        None
        if expires_in is None
        else parse_duration(expires_in, "--expires-in", maximum=timedelta(days=LINK_MAX_DAYS))
    )
    client = rt.client()
    account_id = rt.account_id()
    # The server checks the 90 days against its own clock: keep a margin, so a client clock a
    # little ahead of the server's does not turn `--expires-in 90d` into an error.
    span = (
        None
        if span is None
        else min(span, timedelta(days=LINK_MAX_DAYS, minutes=-CLOCK_MARGIN_MINUTES))
    )
    expires_at = None if span is None else datetime.now(UTC) + span
    link = client.create_invite_link(
        account_id, role=role, max_uses=max_uses, expires_at=expires_at
    )
    row = link.model_dump(mode="json")
    if rt.out.fmt == "table":
        rt.out.value(link.url)  # alone on stdout, for URL=$(...)
    else:
        rt.out.object(row, _link_columns(False))
    limit = f"up to {link.max_uses:,} people" if link.max_uses else "no limit on uses"
    rt.out.success(
        f"Created invite link {link.id} ({link.role}, {limit}), "
        f"expires {link.expires_at:%Y-%m-%d %H:%M} UTC"
    )


@command(link_app, "list", data=True, account=True)
def link_list(rt: Runtime) -> None:
    """List the account's invite links (admin), newest first.

    The table on a terminal leaves the URL out to stay narrow: --json, --format csv and
    piped output include it.

    \b
    Examples:
      portal team link list
      portal team link list --json --jq '.[] | select(.status == "active") | .url'
    """
    rt.out.list(
        _rows(rt, rt.client().list_invite_links(rt.account_id())),
        _link_columns(rt.out.is_terminal_table),
    )


@command(link_app, "revoke", data=True, account=True)
def link_revoke(
    rt: Runtime,
    link_id: Annotated[str, typer.Argument(metavar="ID", help="Invite link id (ilink_...).")],
) -> None:
    """Revoke an invite link: nobody else can join with it.

    \b
    Examples:
      portal team link revoke ilink_0123abcd
    """
    link_id = _check_id(link_id, "ilink_", "ID", "an invite link")
    client = rt.client()
    account_id = rt.account_id()
    with _explain_conflict(f"revoke invite link {link_id}", None):
        link = client.revoke_invite_link(account_id, link_id)
    row = link.model_dump(mode="json")
    terminal = rt.out.is_terminal_table
    rt.out.object(_terminal_view(row) if terminal else row, _link_columns(terminal))
    rt.out.success(f"Revoked invite link {link.id}")
