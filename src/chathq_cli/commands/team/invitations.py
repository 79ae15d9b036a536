"""`portal team invite` and `portal team invitations` (list, revoke, resend)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.api import rules
from chathq_cli.cli.frame import command
from chathq_cli.commands.team._view import (
    RoleChoice,
    invitation_columns,
    rows,
    terminal_view,
)
from chathq_cli.inputs.emails import check_addresses, read_addresses
from chathq_cli.inputs.ids import check_id
from chathq_cli.inputs.names import shown

if TYPE_CHECKING:
    from chathq_cli.api.team import Invitation
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

# `invite` joins the group's own commands; `invitations` is a sub-group whose callback lists.
app = typer.Typer()
# No help text here: the group's help is its callback's docstring (the listing command).
invitations_app = typer.Typer(invoke_without_command=True)

StatusChoice = rules.InvitationStatus

# The API takes at most this many addresses per request; a longer batch is sent in chunks.
INVITE_CHUNK = 100
# A --from-file bigger than this is not a list of addresses.
FROM_FILE_MAX_CHARS = 1_000_000


def _read_from_file(rt: Runtime, path: str) -> str:
    from pathlib import Path

    from chathq_cli import errors

    def bad(why: str) -> errors.UsageError:
        return errors.UsageError(f"--from-file {shown(path)}: {why}", param="--from-file")

    if path == "-":
        text = rt.prompts.stdin_text("the addresses", limit=FROM_FILE_MAX_CHARS)
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


def _already_on_team(client: PortalClient, account_id: str, addresses: list[str]) -> None:
    from chathq_cli import errors

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


def _listed(items: list[str]) -> str:
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def _say_kept(rt: Runtime, kept: list[Invitation], role: str, *, resent: bool) -> None:
    """What a re-run did with the addresses that already had a pending invitation."""
    if not kept:
        return
    emails = _listed([inv.email for inv in kept])
    if resent:
        rt.out.success(f"Sent again: {emails}")
    else:
        rt.out.info(f"Already invited (pending, left as is): {emails}; --resend e-mails them again")
    other = _listed([f"{inv.email} ({inv.role})" for inv in kept if inv.role != role])
    if other:
        rt.out.warn(f"pending with another role than {role}: {other}; revoke and invite again")


def _send(
    client: PortalClient, account_id: str, addresses: list[str], role: str, *, resend: bool
) -> tuple[list[Invitation], list[Invitation], list[Invitation]]:
    """(every address's invitation in input order, the new ones, the pending ones kept)."""
    pending = {
        inv.email.lower(): inv for inv in client.list_invitations(account_id, status="pending")
    }
    fresh = [address for address in addresses if address not in pending]
    created: list[Invitation] = []
    for start in range(0, len(fresh), INVITE_CHUNK):
        chunk = fresh[start : start + INVITE_CHUNK]
        created += reversed(client.create_invitations(account_id, chunk, role))  # input order
    kept = [pending[address] for address in addresses if address in pending]
    if resend:
        kept = [client.resend_invitation(account_id, inv.id) for inv in kept]
    by_email = {inv.email.lower(): inv for inv in [*created, *kept]}
    return [by_email[address] for address in addresses], created, kept


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
    resend: Annotated[
        bool,
        typer.Option(
            "--resend", help="E-mail the addresses that already have a pending invitation again."
        ),
    ] = False,
) -> None:
    """Invite people by e-mail (admin; inviting owners needs an owner).

    All addresses are checked first: one malformed or repeated address, or one that is
    already on the team, fails the command and no invitation is sent. In --from-file,
    blank lines, spaces and everything after a # are ignored. An address with a pending
    invitation keeps it (no second one, no new e-mail unless --resend), so running the
    same command again is safe.

    \b
    Examples:
      portal team invite ana@example.com ben@example.com
      portal team invite ops@example.com --role admin
      portal team invite --from-file team.txt
      portal team invite --from-file team.txt --resend
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
    _already_on_team(client, account_id, addresses)
    every, created, kept = _send(client, account_id, addresses, role, resend=resend)
    rt.out.list(rows(rt, every), invitation_columns(rt.out.is_terminal_table))
    if created or not kept:
        people = "person" if len(created) == 1 else "people"
        rt.out.success(f"Invited {len(created)} {people} as {role}")
    _say_kept(rt, kept, role, resent=resend)
    rt.out.next_step("portal team invitations --status pending", "to follow them up")


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
        rows(rt, rt.client().list_invitations(rt.account_id(), status=status)),
        invitation_columns(rt.out.is_terminal_table),
    )


def _invitation_action(rt: Runtime, invitation_id: str, action: str) -> None:
    invitation_id = check_id(invitation_id, "invitation", "ID")
    client = rt.client()
    account_id = rt.account_id()
    method = client.revoke_invitation if action == "revoke" else client.resend_invitation
    invitation = method(account_id, invitation_id)
    row = invitation.model_dump(mode="json")
    terminal = rt.out.is_terminal_table
    rt.out.object(terminal_view(row) if terminal else row, invitation_columns(terminal))
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
