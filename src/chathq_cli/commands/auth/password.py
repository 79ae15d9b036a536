"""`portal auth reset-password`: a forgotten password, reset with a code sent by e-mail."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.auth._view import ask_email

if TYPE_CHECKING:
    from chathq_cli.cli.prompts import Prompter
    from chathq_cli.cli.runtime import Runtime

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
    address = ask_email(rt.prompts, email or rt.settings.email)
    if not password_stdin:
        _check_can_ask(rt.prompts)
    client = rt.anonymous_client()
    if not have_code:
        client.request_password_reset(address)
        out.info(f"If {address} has an account on {rt.settings.host}, a reset code is on its way.")
    code, new_password = _code_and_password(rt.prompts, from_stdin=password_stdin)
    client.confirm_password_reset(address, code, new_password)
    out.success(f"Password changed for {address}")
    out.hint(f"other sessions were signed out; run `portal auth login --email {address}`")


_SCRIPTED = (
    "pipe the code and the new password (one per line) into "
    "`portal auth reset-password --email ADDRESS --have-code --password-stdin`"
)


def _check_can_ask(prompts: Prompter) -> None:
    """Without --password-stdin the code is asked for after it is sent: when it cannot be
    asked, say so before sending an e-mail nobody could use."""
    from chathq_cli import errors

    try:
        prompts.require("the code from the e-mail", "--password-stdin")
    except errors.UsageError as exc:
        raise errors.UsageError(exc.message, param=exc.param, hint=_SCRIPTED) from None


def _code_and_password(prompts: Prompter, *, from_stdin: bool) -> tuple[str, str]:
    """The e-mailed code and the new password, from stdin's first two lines or asked."""
    from chathq_cli import errors

    if from_stdin:
        code = prompts.stdin_line("code", flag="--password-stdin")
        new_password = prompts.stdin_line("new password", flag="--password-stdin")
    else:
        try:
            code = prompts.secret("Code from the e-mail", flag="--password-stdin")
            new_password = prompts.secret("New password", flag="--password-stdin")
            again = prompts.secret("New password again", flag="--password-stdin")
        except errors.UsageError as exc:
            # The code (if just sent) is still valid; say how to finish in a script.
            raise errors.UsageError(exc.message, param="--password-stdin", hint=_SCRIPTED) from exc
        code = code.strip()
        if new_password != again:
            raise errors.UsageError("the two passwords do not match", param="--password-stdin")
    if not code:
        raise errors.UsageError("the code must not be empty", param="--password-stdin")
    from chathq_cli.inputs.passwords import check_new_password

    check_new_password(new_password, "--password-stdin" if from_stdin else None)
    return code, new_password
