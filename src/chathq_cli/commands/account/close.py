"""`portal account close`: close the account for good (owner only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.cli.prompts import PasswordAndCode
from chathq_cli.commands.account._view import account_columns

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, data=True, account=True)
def close(
    rt: Runtime,
    yes: YesOpt = False,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read your password from stdin (a two-factor code may follow on the second line).",
        ),
    ] = False,
) -> None:
    """Close the account permanently (owner only).

    Subscriptions and balances are lost. Asks you to type the account name (--yes skips
    that), then always asks for your password, and a two-factor code when 2FA is on.

    \b
    Examples:
      portal account close
      portal account close --account acct_123abc
      echo "$PASSWORD" | portal account close --yes --password-stdin
    """
    from chathq_cli import errors

    out = rt.out
    client = rt.client()
    account_id = rt.account_id()
    acct = client.get_account(account_id)
    _check_owner(acct.role)
    rt.prompts.confirm_typed(
        f"This permanently closes {acct.name} ({acct.id}); its subscription and balances "
        "are lost. Type the account name to confirm",
        acct.name,
        yes=yes,
    )
    answers = PasswordAndCode(rt.prompts, from_stdin=password_stdin, command="portal account close")
    password = answers.password()
    try:
        closed = client.close_account(acct.id, confirm_name=acct.name, password=password)
    except errors.Unauthenticated as exc:
        if exc.code != "totp_required":
            raise
        code = answers.code()
        closed = client.close_account(
            acct.id, confirm_name=acct.name, password=password, totp_code=code
        )

    config = rt.config()
    was_in_use = config.get("account", rt.settings.profile) == acct.id
    if was_in_use:
        config.unset("account", rt.settings.profile)
    if out.is_json:
        out.object(closed.model_dump(mode="json"), account_columns())
    out.success(f"Closed account {acct.name} ({acct.id})")
    from chathq_cli.cli.completion_feed import gone

    gone(rt, "accounts", acct.id)
    if was_in_use:
        out.hint(
            "it was the account in use; see your accounts with `portal account list` "
            "and pick one with `portal account use ACCOUNT`"
        )


def _check_owner(role: str | None) -> None:
    """Only the owner may close an account: say so before asking for the name and password.

    (No role means the server did not say, as for an API key: the server decides then.)
    """
    from chathq_cli import errors

    if role is not None and role != "owner":
        raise errors.PermissionDenied(
            f"you need the owner role on this account to close it (you are {role})",
            status=403,
            code="insufficient_role",
        )
