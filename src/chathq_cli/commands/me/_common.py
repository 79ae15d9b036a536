"""What the families of `portal me` share: the signed-in user, and the password and code of
a sensitive change read from successive stdin lines or hidden prompts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli import errors

if TYPE_CHECKING:
    from chathq_cli.api.me import User
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Output

CODE_MAX = 64

PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from stdin (a two-factor code may follow on the next line).",
    ),
]


class Secrets:
    """The password and two-factor code of a sensitive change, from stdin or the terminal."""

    def __init__(self, out: Output, *, from_stdin: bool, command: str) -> None:
        self.out = out
        self.from_stdin = from_stdin
        self.command = command

    def password(self, label: str = "Password", what: str = "password") -> str:
        if self.from_stdin:
            return self.out.read_stdin_secret(what)
        return self.out.prompt(label, hidden=True, flag="--password-stdin")

    def code(self) -> str:
        """A TOTP code or a recovery code (the server takes either in place of `totp_code`)."""
        hint = (
            "put the code on the next line of stdin with --password-stdin, "
            f"or run `{self.command}` in a terminal"
        )
        try:
            if self.from_stdin:
                code = self.out.read_stdin_secret("two-factor code")
            else:
                code = self.out.prompt(
                    "Two-factor code (or a recovery code)", hidden=True, flag="--password-stdin"
                )
        except errors.UsageError as exc:
            raise errors.AuthRequired("a two-factor code is required", hint=hint) from exc
        code = code.strip()
        if len(code) > CODE_MAX:
            # The code came through --password-stdin, or was typed at a prompt (no parameter).
            flag = "--password-stdin" if self.from_stdin else None
            problem = f"the two-factor code is too long (at most {CODE_MAX} characters)"
            raise errors.UsageError(f"{flag}: {problem}" if flag else problem, param=flag)
        return code


def user_only(client: PortalClient) -> User:
    """GET /me, saying clearly that an API key has no personal settings."""
    try:
        return client.get_me()
    except errors.PermissionDenied as exc:
        exc.hint = exc.hint or (
            "personal settings need a user's sign-in, not an API key: portal auth login"
        )
        raise
