"""`portal team list`, `set-role` and `remove`: the account's members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.commands.team._view import (
    RoleChoice,
    member_columns,
    rows,
    terminal_view,
)
from chathq_cli.inputs.emails import member_ref

if TYPE_CHECKING:
    from chathq_cli.api.team import Member
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

app = typer.Typer()


def find_member(
    client: PortalClient, account_id: str, ref: tuple[Literal["id", "email"], str]
) -> Member:
    """The account's member that `member_ref()` named, or NotFound (exit 6)."""
    from chathq_cli.cli.resolve import find_one

    kind, value = ref
    return find_one(
        client.list_members(account_id),
        lambda member: (member.id if kind == "id" else member.email.lower()) == value,
        "member",
        value,
        "MEMBER",
        where=f" on account {account_id}",
    )


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
    rt.out.list(rows(rt, client.list_members(account_id)), member_columns(rt.out.is_terminal_table))


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
    updated = client.set_member_role(account_id, found.id, role)
    rt.out.object(
        terminal_view(updated.model_dump(mode="json"))
        if rt.out.is_terminal_table
        else updated.model_dump(mode="json"),
        member_columns(rt.out.is_terminal_table),
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
    rt.prompts.confirm(
        f"Remove {found.display_name} <{found.email}> ({found.role}) from account {account_id}?",
        yes=yes,
    )
    client.remove_member(account_id, found.id)
    if rt.out.is_json:
        rt.out.object({"id": found.id, "object": "member", "email": found.email, "deleted": True})
    rt.out.success(f"Removed {found.email} from account {account_id}")
