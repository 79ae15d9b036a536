"""`portal auth reset-password`: a forgotten password, reset with a code sent by e-mail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.auth._view import ask_email

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Output

app = typer.Typer()


@command(app, "reset-password", host=True)
def reset_password(
    rt: Runtime,
    email: Annotated[
        str | None,
        typer.Option(
            "--email",
            metavar="EMAIL",
            help="The account's e-mail (default: the profile's, else asked).",
        ),
    ] = None,
    have_code: Annotated[
        bool,
        typer.Option("--have-code", help="Do not send a new code; use one already received."),
    ] = False,
    password_stdin: Annotated[
        bool,
        typer.Option(
            "--password-stdin",
            help="Read the e-mailed code (first line) and the new password (second) from stdin.",
        ),
    ] = False,
) -> None:
    """Reset a forgotten password with a code sent by e-mail.

    Sends the code, then asks for it and for the new password (twice). Signing in
    again is needed afterwards: a reset ends the user's other sessions.

    \b
    Examples:
      portal auth reset-password --email owner@demo.chathq.test
      portal auth reset-password --email me@example.com --have-code
      printf '%s\\n%s\\n' "$CODE" "$NEW_PASSWORD" | \\
        portal auth reset-password --email me@example.com --have-code --password-stdin
    """
    out = rt.out
    address = ask_email(out, email or rt.settings.email)
    if not password_stdin:
        _check_can_ask(out)
    client = rt.anonymous_client()
    if not have_code:
        client.request_password_reset(address)
        out.info(f"If {address} has an account on {rt.settings.host}, a reset code is on its way.")
    code, new_password = _code_and_password(out, from_stdin=password_stdin)
    client.confirm_password_reset(address, code, new_password)
    out.success(f"Password changed for {address}")
    out.hint(f"other sessions were signed out; run `portal auth login --email {address}`")


_SCRIPTED = (
    "pipe the code and the new password (one per line) into "
    "`portal auth reset-password --email ADDRESS --have-code --password-stdin`"
)


def _check_can_ask(out: Output) -> None:
    """Without --password-stdin the code is asked for after it is sent: when it cannot be
    asked, say so before sending an e-mail nobody could use."""
    from chathq_cli import errors

    if not out._can_prompt():
        raise errors.UsageError(
            "cannot prompt for the code from the e-mail without a terminal; pass --password-stdin",
            param="--password-stdin",
            hint=_SCRIPTED,
        )


def _code_and_password(out: Output, *, from_stdin: bool) -> tuple[str, str]:
    """The e-mailed code and the new password, from stdin's first two lines or asked."""
    from chathq_cli import errors

    if from_stdin:
        code = out.read_stdin_secret("code")
        new_password = out.read_stdin_secret("new password")
    else:
        try:
            code = out.prompt("Code from the e-mail", hidden=True, flag="--password-stdin")
            new_password = out.prompt("New password", hidden=True, flag="--password-stdin")
            again = out.prompt("New password again", hidden=True, flag="--password-stdin")
        except errors.UsageError as exc:
            # The code (if just sent) is still valid; say how to finish in a script.
            raise errors.UsageError(exc.message, param="--password-stdin", hint=_SCRIPTED) from exc
        code = code.strip()
        if new_password != again:
            raise errors.UsageError("the two passwords do not match", param="--password-stdin")
    if not code:
        raise errors.UsageError("the code must not be empty", param="--password-stdin")
    if len(new_password) < 10:
        raise errors.UsageError(
            "the new password must be at least 10 characters", param="--password-stdin"
        )
    return code, new_password
