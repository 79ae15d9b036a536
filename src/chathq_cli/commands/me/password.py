"""`portal me password change`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import command
from chathq_cli.commands.me._common import PasswordStdinOpt, Secrets, user_only
from chathq_cli.commands.me._view import examples

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(
    help="Change your password.",
    epilog=examples("portal me password change"),
    no_args_is_help=True,
)

PASSWORD_MIN = 10
PASSWORD_MAX = 1024


def password_problem(new: str, current: str | None = None) -> str | None:
    """Why a new password is refused (the server's rule: 10-1024 characters), or None."""
    if len(new) < PASSWORD_MIN:
        return f"the new password must be at least {PASSWORD_MIN} characters"
    if len(new) > PASSWORD_MAX:
        return f"the new password must be at most {PASSWORD_MAX} characters"
    if current is not None and new == current:
        return "the new password is the same as the current one"
    return None


def password_strength(password: str) -> tuple[str, str]:
    """A rough strength label and advice, for people choosing a password at a terminal."""
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    distinct = len(set(password))
    if len(password) >= 16 and distinct >= 8:
        return "strong", "long passwords are the hardest to guess"
    if len(password) >= 12 and kinds >= 3 and distinct >= 6:
        return "good", "a few more characters would make it stronger"
    return "weak", "use 16+ characters: several unrelated words are easy to remember"


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
    out = rt.out
    client = rt.client()
    me = user_only(client)
    secrets = Secrets(out, from_stdin=password_stdin, command="portal me password change")
    current = secrets.password("Current password", "current password")
    if password_stdin:
        new = out.read_stdin_secret("new password")
    else:
        out.info(
            f"Choose a new password of at least {PASSWORD_MIN} characters; "
            "several unrelated words make a strong one."
        )
        new = out.prompt("New password", hidden=True, flag="--password-stdin")
        again = out.prompt("New password again", hidden=True, flag="--password-stdin")
        if new != again:
            raise errors.UsageError("the two new passwords do not match", param="new_password")
    problem = password_problem(new, current)
    if problem:
        raise errors.UsageError(problem, param="new_password")
    if not password_stdin:
        label, advice = password_strength(new)
        out.info(f"Password strength: {label} ({advice})")
    code = secrets.code() if me.totp_enabled else None
    client.change_password(current, new, totp_code=code)
    out.success("Password changed; your other sessions were signed out")
