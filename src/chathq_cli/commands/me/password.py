"""`portal me password change`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import command
from chathq_cli.cli.prompts import PasswordAndCode
from chathq_cli.commands.me._common import PasswordStdinOpt
from chathq_cli.commands.me._view import examples

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(
    help="Change your password.",
    epilog=examples("portal me password change"),
    no_args_is_help=True,
)


@command(app, "change")
def password_change(rt: Runtime, password_stdin: PasswordStdinOpt = False) -> None:
    """Change your password (your other sessions are signed out).

    On a terminal: asks the current password, then the new one twice (hidden). With
    --password-stdin: the current password, the new one and, when 2FA is on, a code,
    one per line.

    \b
    Examples:
      portal me password change
      printf '%s\\n%s\\n' "$OLD" "$NEW" | portal me password change --password-stdin
      printf '%s\\n%s\\n%s\\n' "$OLD" "$NEW" "$CODE" | \\
        portal me password change --password-stdin
    """
    from chathq_cli.inputs.passwords import PASSWORD_MIN, check_new_password, password_strength

    out = rt.out
    client = rt.client()
    me = client.get_me()
    secrets = PasswordAndCode(
        rt.prompts, from_stdin=password_stdin, command="portal me password change"
    )
    current = secrets.password("Current password", "current password")
    if password_stdin:
        new = rt.prompts.stdin_line("new password", flag="--password-stdin")
    else:
        out.info(
            f"Choose a new password of at least {PASSWORD_MIN} characters; "
            "several unrelated words make a strong one."
        )
        new = rt.prompts.secret("New password", flag="--password-stdin")
        again = rt.prompts.secret("New password again", flag="--password-stdin")
        if new != again:
            raise errors.UsageError("the two new passwords do not match")  # prompts: no param
    check_new_password(new, "--password-stdin" if password_stdin else None, current)
    if not password_stdin:
        label, advice = password_strength(new)
        out.info(f"Password strength: {label} ({advice})")
    code = secrets.code() if me.totp_enabled else None
    client.change_password(current, new, totp_code=code)
    out.success("Password changed; your other sessions were signed out")
