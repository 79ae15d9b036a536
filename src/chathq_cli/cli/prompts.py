"""Every question portal asks, and whether it may ask: the one home for prompts.

A command asks through `rt.prompts` (a `Prompter`): confirm, typed confirm, a visible or a
hidden answer, a choice, or a secret read from standard input. The Prompter knows `--yes`
(per call), `--no-input`, PORTAL_NO_PROMPT / `no_prompt` in config.toml and whether standard
input is a terminal; when it cannot ask it fails with exit 2, saying why and naming the flag
or the standard-input option that gives the answer instead. The terminal itself (writing the
question, reading a line, hidden input) is Output's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NoReturn

from chathq_cli.api import rules
from chathq_cli.errors import AuthRequired, Cancelled, UsageError

if TYPE_CHECKING:
    from chathq_cli.output import Output

CANCELLED = "cancelled; nothing was changed"
NOT_A_TERMINAL = "standard input is not a terminal"
CODE_MAX = rules.CODE_MAX


class Prompter:
    """Questions for one command. `off` says why prompts were turned off by choice
    ("--no-input was given"), or None when only the terminal decides."""

    def __init__(self, out: Output, *, off: str | None = None) -> None:
        self.out = out
        self.off = off

    # -- may it ask? -------------------------------------------------------------------------

    def unavailable(self) -> str | None:
        """Why no question can be asked now, or None when it can."""
        if self.off:
            return self.off
        if not self.out.env.stdin_isatty:
            return NOT_A_TERMINAL
        return None

    def can_ask(self) -> bool:
        return self.unavailable() is None

    def require(self, what: str, flag: str) -> None:
        """Fail now, before any request, if `what` would have to be asked and cannot be."""
        reason = self.unavailable()
        if reason is not None:
            self._refuse(what, flag, reason)

    def need_flags(self, action: str, flags: Mapping[str, bool]) -> None:
        """When no question can be asked, `action` needs every flag of `flags` (flag -> given):
        fail now, naming the reason and the missing ones (the first as `param`)."""
        reason = self.unavailable()
        missing = [flag for flag, given in flags.items() if not given]
        if reason is not None and missing:
            raise UsageError(
                f"cannot ask ({reason}): {action} then needs {' '.join(missing)}",
                param=missing[0].split()[0],
            )

    def can_confirm(self, *, yes: bool, flag: str = "--yes") -> None:
        """Fail now, before any request, if a confirmation will be needed and cannot be asked
        (checks that need no answer come before the question, and so does this one)."""
        if not yes:
            self.require("confirmation", flag)

    @staticmethod
    def _refuse(what: str, flag: str, reason: str) -> NoReturn:
        raise UsageError(f"cannot ask for {what}: {reason}; pass {flag}", param=flag)

    # -- questions ---------------------------------------------------------------------------

    def confirm(
        self, question: str, *, yes: bool, flag: str = "--yes", default: bool = False
    ) -> None:
        """Return when confirmed (or `yes`); raise `Cancelled` on "no"."""
        if yes:
            return
        self.require("confirmation", flag)
        suffix = "[Y/n]" if default else "[y/N]"
        answer = self.out.ask(f"{question} {suffix} ").strip().lower()
        if answer in ("y", "yes") or (not answer and default):
            return
        raise Cancelled(CANCELLED)

    def confirm_typed(
        self, question: str, expected: str, *, yes: bool, flag: str = "--yes"
    ) -> None:
        """Ask the user to type `expected` exactly (an account name, an e-mail address)."""
        if yes:
            return
        self.require("confirmation", flag)
        self.out.say(question)
        if self.out.ask(f'Type "{expected}" to confirm: ') != expected:
            raise Cancelled("the text did not match; nothing was changed")

    def text(self, label: str, *, flag: str) -> str:
        """A visible answer, trimmed; an empty one is a usage error naming `flag`."""
        self.require(label.lower(), flag)
        answer = self.out.ask(f"{label}: ").strip()
        if not answer:
            raise UsageError(f"no {label.lower()} given", param=flag)
        return answer

    def secret(self, label: str, *, flag: str) -> str:
        """A hidden answer (not echoed), kept as typed; empty is a usage error naming `flag`."""
        self.require(label.lower(), flag)
        answer = self.out.ask(f"{label}: ", hidden=True)
        if not answer:
            raise UsageError(f"no {label.lower()} given", param=flag)
        return answer

    def choice(
        self, label: str, choices: Sequence[str], *, flag: str, default: str | None = None
    ) -> str:
        """One of `choices` (any case); asked again, up to three times, on anything else."""
        self.require(label.lower(), flag)
        shown = "/".join(choices)
        suffix = f" [{default}]" if default else ""
        for _ in range(3):
            answer = self.out.ask(f"{label} ({shown}){suffix}: ").strip().lower()
            if not answer and default:
                return default
            if answer in choices:
                return answer
            self.out.warn(f"choose one of {', '.join(choices)}")
        raise UsageError(f"no valid {label.lower()} given", param=flag)

    # -- standard input ----------------------------------------------------------------------

    def reading(self, what: str) -> None:
        """Say that `what` is read from standard input, when that is a terminal: waiting
        silently there looks like a hang. Call it right before reading."""
        if self.out.env.stdin_isatty:
            self.out.info(f"Reading {what} from standard input (end with Ctrl-D)")

    def stdin_line(self, what: str, *, flag: str) -> str:
        """The first line of standard input (`--password-stdin`, `--with-token`), trimmed."""
        self.reading(what)
        line = self.out.env.stdin.readline().strip()
        if not line:
            raise UsageError(f"no {what} on standard input ({flag})", param=flag)
        return line

    def stdin_text(self, what: str, *, limit: int | None = None) -> str:
        """All of standard input (`--from-file -`, `--input -`), at most `limit` characters
        plus one (so the caller can tell that it was longer)."""
        self.reading(what)
        stdin = self.out.env.stdin
        return stdin.read() if limit is None else stdin.read(limit + 1)


class PasswordAndCode:
    """The password and two-factor code of a sensitive change (closing an account, deleting
    the user, changing the e-mail...): successive lines of stdin with --password-stdin, else
    hidden prompts."""

    def __init__(self, prompts: Prompter, *, from_stdin: bool, command: str) -> None:
        self.prompts = prompts
        self.from_stdin = from_stdin
        self.command = command

    def password(self, label: str = "Password", what: str = "password") -> str:
        if self.from_stdin:
            return self.prompts.stdin_line(what, flag="--password-stdin")
        return self.prompts.secret(label, flag="--password-stdin")

    def code(self) -> str:
        """A TOTP code or a recovery code (the server takes either in place of `totp_code`)."""
        hint = (
            "put the code on the next line of stdin with --password-stdin, "
            f"or run `{self.command}` in a terminal"
        )
        try:
            if self.from_stdin:
                code = self.prompts.stdin_line("two-factor code", flag="--password-stdin")
            else:
                code = self.prompts.secret(
                    "Two-factor code (or a recovery code)", flag="--password-stdin"
                )
        except UsageError as exc:
            raise AuthRequired("a two-factor code is required", hint=hint) from exc
        code = code.strip()
        if len(code) > CODE_MAX:
            # The code came through --password-stdin, or was typed at a prompt (no parameter).
            flag = "--password-stdin" if self.from_stdin else None
            problem = f"the two-factor code is too long (at most {CODE_MAX} characters)"
            raise UsageError(f"{flag}: {problem}" if flag else problem, param=flag)
        return code
