"""The `hint:` line under an error: what to run next, chosen at the error boundary.

client/ and credentials.py raise typed errors that carry facts (status, error code, where the
token came from, Retry-After) and no CLI wording; this one ordered table turns those facts
into advice, as huggingface_hub's `cli/_errors.py` (CLI_ERROR_MAPPINGS) does. The boundary
(`cli/boundary.py`) asks `explain(exc, command)`: rows for one command or group come first
(`BY_COMMAND`), then the general ones; a hint the raiser gave itself wins.

Stdlib and `errors` only: it runs on every failing command.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from chathq_cli import errors

# A row matches an exception class (isinstance) or a predicate on the exception.
Matcher = type[BaseException] | Callable[[BaseException], bool]
# The hint itself, a function of the exception, or None for "no hint" (stops the search).
Advice = str | Callable[[BaseException], str | None] | None

KEYRING = (
    "set PORTAL_TOKEN for this shell, or run `portal auth login --insecure-storage` "
    "to keep the token in a plain-text file (0600)"
)
NETWORK = "check the host (`portal config get host`) and your connection"
SERVER = "this is a server-side problem; try again, or rerun with --debug for the request id"


def _token_from(*sources: str) -> Callable[[BaseException], bool]:
    def match(exc: BaseException) -> bool:
        return getattr(exc, "token_source", None) in sources

    return match


def _rejected_env_token(exc: BaseException) -> bool:
    return isinstance(exc, errors.Unauthenticated) and _token_from("env")(exc)


def _asks_for_input(exc: BaseException) -> bool:
    """A 401 for a wrong password or TOTP code: the command asks again, no sign-in needed."""
    code = getattr(exc, "code", None) or ""
    return isinstance(exc, errors.Unauthenticated) and any(
        word in code for word in ("totp", "password", "credential")
    )


def _malformed(*sources: str) -> Callable[[BaseException], bool]:
    from_source = _token_from(*sources)
    return lambda exc: isinstance(exc, errors.MalformedToken) and from_source(exc)


def _signed_out_without_keyring(exc: BaseException) -> bool:
    return isinstance(exc, errors.NotSignedIn) and bool(exc.keyring_problem)


def _ways_in_without_keyring(exc: BaseException) -> str:
    problem = getattr(exc, "keyring_problem", "")
    return (
        f"{problem}; set PORTAL_TOKEN, or sign in with "
        "`portal auth login --insecure-storage` (keeps the token in a 0600 plain-text file)"
    )


def _server_side(exc: BaseException) -> bool:
    return isinstance(exc, errors.ServerError) and exc.status >= 500


def _busy(exc: BaseException) -> str:
    retry_after = getattr(exc, "retry_after", None)
    wait = f" in {retry_after:.0f} s" if retry_after else " in a moment"
    return f"the portal is busy; try again{wait}"


@dataclass(frozen=True)
class Hint:
    """One row: when `matches` (an exception class or a predicate) and, if given, the API error
    `code` and the `command` (a command path or its group: "team remove", "billing") all match,
    the hint is `advice`; `message`, if given, replaces the error's message ("{message}" stands
    for the original)."""

    matches: Matcher
    advice: Advice
    code: str | None = None
    command: str | None = None
    message: str | None = None

    def applies(self, exc: BaseException, command: str) -> bool:
        if self.code is not None and getattr(exc, "code", None) != self.code:
            return False
        if self.command is not None and not (
            command == self.command or command.startswith(self.command + " ")
        ):
            return False
        matcher = self.matches
        return isinstance(exc, matcher) if isinstance(matcher, type) else matcher(exc)


# What one command (or group) knows better than the general rows below: the next step for a
# refusal the server gives there. Grouped by command group, in the order of `portal --help`.
BY_COMMAND: tuple[Hint, ...] = (
    # auth
    # org
    # account
    # team
    # integrations
    # secrets
    # billing
    # usage
    # me
    # config, api, sandbox, completion
)

# Ordered: the first match wins, so every predicate or subclass comes before the broader rows
# it narrows (a PORTAL_TOKEN 401 before any 401, MalformedToken before AuthRequired...).
GENERAL: tuple[Hint, ...] = (
    Hint(
        _malformed("env"),
        "set PORTAL_TOKEN to the token alone (as `portal auth token` prints it), or unset it",
    ),
    Hint(_malformed("keyring", "file"), "replace it: sign in again with `portal auth login`"),
    Hint(errors.MalformedToken, None),  # typed or piped by the user: the message says it all
    Hint(_signed_out_without_keyring, _ways_in_without_keyring),
    Hint(errors.NotSignedIn, "sign in with `portal auth login`, or set PORTAL_TOKEN (CI)"),
    Hint(errors.KeyringUnavailable, KEYRING),
    Hint(_asks_for_input, None),
    Hint(
        _rejected_env_token,
        "the token comes from PORTAL_TOKEN: set it to a valid token, or unset it to use "
        "the profile's sign-in",
    ),
    Hint(errors.Unauthenticated, "sign in again with `portal auth login`"),
    Hint(errors.NotFound, "portal account list --all-orgs", code="account_name_unknown"),
    Hint(errors.NotFound, "portal org list", code="org_name_unknown"),
    Hint(errors.RateLimited, _busy),
    Hint(_server_side, SERVER),
    Hint(errors.NetworkError, NETWORK),
)

HINTS: tuple[Hint, ...] = BY_COMMAND + GENERAL


def row_for(exc: BaseException, command: str = "") -> Hint | None:
    """The first row of HINTS that applies to `exc` raised by `command`, or None."""
    return next((row for row in HINTS if row.applies(exc, command)), None)


def hint_for(exc: BaseException, command: str = "") -> str | None:
    """The hint of the first row of HINTS that applies to `exc`, or None."""
    row = row_for(exc, command)
    if row is None:
        return None
    return row.advice(exc) if callable(row.advice) else row.advice


def explain(exc: BaseException, command: str) -> None:
    """Give `exc` the table's message and hint for `command`, unless the raiser gave a hint."""
    row = row_for(exc, command)
    if row is None or not isinstance(exc, errors.PortalError):
        return
    if row.message is not None:
        exc.message = row.message.format(message=exc.message)
        exc.args = (exc.message,)
    if not exc.hint:
        exc.hint = row.advice(exc) if callable(row.advice) else row.advice
