"""`portal me email`: change the e-mail address, confirmed by a code sent to the new one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import command
from chathq_cli.cli.prompts import CODE_MAX, PasswordAndCode
from chathq_cli.commands.me._common import PasswordStdinOpt
from chathq_cli.commands.me._view import examples, print_user_if_json

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(
    help="Change your e-mail address (confirmed by a code sent to the new one).",
    epilog=examples("portal me email change ada@example.com", "portal me email confirm 123456"),
    no_args_is_help=True,
)


@command(app, "change", data=True)
def email_change(
    rt: Runtime,
    new: Annotated[str, typer.Argument(metavar="NEW", help="Your new e-mail address.")],
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Start changing your e-mail address: a code is sent to the new address.

    Asks for your password (and a two-factor code when 2FA is on). You keep signing
    in with the current address until you run `portal me email confirm CODE`.

    \b
    Examples:
      portal me email change ada@example.com
      echo "$PASSWORD" | portal me email change ada@example.com --password-stdin
      portal me email confirm 123456
    """
    from chathq_cli.inputs.names import check_email

    address = check_email(new, "NEW")
    client = rt.client()
    me = client.get_me()
    if address.lower() == me.email.lower():
        raise errors.UsageError(f"NEW is already your e-mail address ({me.email})", param="NEW")
    secrets = PasswordAndCode(
        rt.prompts, from_stdin=password_stdin, command="portal me email change"
    )
    password = secrets.password()
    code = secrets.code() if me.totp_enabled else None
    user = client.change_email(address, password, totp_code=code)
    print_user_if_json(rt, user)
    rt.out.success(f"A confirmation code was sent to {user.pending_email or address}")
    rt.out.hint(
        f"run `portal me email confirm CODE` with that code; until then you sign in as {me.email}"
    )


@command(app, "confirm", data=True)
def email_confirm(
    rt: Runtime,
    code: Annotated[
        str, typer.Argument(metavar="CODE", help="The code e-mailed to the new address.")
    ],
) -> None:
    """Finish changing your e-mail address with the code sent to it.

    \b
    Examples:
      portal me email confirm 123456
    """
    code = code.strip()
    if not code:
        raise errors.UsageError("CODE must not be empty", param="CODE")
    if len(code) > CODE_MAX:
        raise errors.UsageError(f"CODE is too long (at most {CODE_MAX} characters)", param="CODE")
    user = rt.client().confirm_email(code)
    if rt.settings.email:
        rt.remember(email=user.email)
    print_user_if_json(rt, user)
    rt.out.success(f"Your e-mail address is now {user.email}")
