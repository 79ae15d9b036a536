"""`portal team link create|list|revoke`: multi-use invite links."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.api import rules
from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.commands.team._view import (
    RoleChoice,
    link_columns,
    link_uses,
    rows,
    terminal_view,
)
from chathq_cli.inputs.ids import check_id

if TYPE_CHECKING:
    from chathq_cli.api.team import InviteLink
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

app = typer.Typer(
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

# SPEC §5: invite links expire at most 90 days ahead.
LINK_MAX_DAYS = rules.LINK_MAX_DAYS
CLOCK_MARGIN_MINUTES = 5
MAX_USES = rules.LINK_MAX_USES


@command(app, "create", data=True, account=True)
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
        rt.out.object(row, link_columns(False))
    limit = f"up to {link.max_uses:,} people" if link.max_uses else "no limit on uses"
    rt.out.success(
        f"Created invite link {link.id} ({link.role}, {limit}), "
        f"expires {link.expires_at:%Y-%m-%d %H:%M} UTC"
    )
    rt.out.next_step("portal team link list", "to see how often it was used")


@command(app, "list", data=True, account=True)
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
        rows(rt, rt.client().list_invite_links(rt.account_id())),
        link_columns(rt.out.is_terminal_table),
    )


@command(app, "revoke", data=True, account=True)
def link_revoke(
    rt: Runtime,
    link_id: Annotated[str, typer.Argument(metavar="ID", help="Invite link id (ilink_...).")],
    yes: YesOpt = False,
) -> None:
    """Revoke an invite link: nobody else can join with it (asks first; --yes skips the question).

    \b
    Examples:
      portal team link revoke ilink_0123abcd
      portal team link revoke ilink_0123abcd --yes
    """
    link_id = check_id(link_id, "invite_link", "ID")
    client = rt.client()
    account_id = rt.account_id()
    # Whatever needs no answer fails before the question: an unknown or revoked link.
    found = find_link(client, account_id, link_id)
    rt.prompts.confirm(
        f"Revoke invite link {found.id} ({found.role}, {link_uses(found.uses, found.max_uses)} "
        f"uses, expires {found.expires_at:%Y-%m-%d})? Nobody else can join with it.",
        yes=yes,
    )
    link = client.revoke_invite_link(account_id, link_id)
    row = link.model_dump(mode="json")
    terminal = rt.out.is_terminal_table
    rt.out.object(terminal_view(row) if terminal else row, link_columns(terminal))
    rt.out.success(f"Revoked invite link {link.id}")


def find_link(client: PortalClient, account_id: str, link_id: str) -> InviteLink:
    """The account's invite link `link_id`, still revocable; NotFound (exit 6) or Conflict
    (exit 7, worded as the server's) otherwise."""
    from chathq_cli import errors
    from chathq_cli.cli.resolve import not_found

    for link in client.list_invite_links(account_id):
        if link.id != link_id:
            continue
        if link.status == "revoked":
            raise errors.Conflict(
                "the invite link is already revoked", status=409, code="invite_link_revoked"
            )
        return link
    raise not_found("invite link", link_id, "ID", where=f" on account {account_id}")
