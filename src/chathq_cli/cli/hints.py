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
    `code` and the `command` (a command path or its group: "team remove", "billing", or a tuple
    of them) all match, the hint is `advice`; `message`, if given, replaces the error's message
    ("{message}" stands for the original); `param`, if given, names what the user typed where
    the server named its own field."""

    matches: Matcher
    advice: Advice
    code: str | None = None
    command: str | tuple[str, ...] | None = None
    message: str | None = None
    param: str | None = None

    def applies(self, exc: BaseException, command: str) -> bool:
        if self.code is not None and getattr(exc, "code", None) != self.code:
            return False
        if self.command is not None and not _runs_in(command, self.command):
            return False
        matcher = self.matches
        return isinstance(exc, matcher) if isinstance(matcher, type) else matcher(exc)


def _missing(exc: BaseException) -> bool:
    """A 404 for the object itself, not for a name typed into --account or --org (the general
    rows below name the list to pick from)."""
    return isinstance(exc, errors.NotFound) and getattr(exc, "code", None) not in (
        "account_name_unknown",
        "org_name_unknown",
    )


def _configure(exc: BaseException) -> str:
    """`portal integrations configure slack`, for the type that is not configured."""
    return f"portal integrations configure {getattr(exc, 'ref', 'NAME')}"


LAST_OWNER = "make another member an owner first: portal team set-role MEMBER owner"
API_KEY_SIGN_IN = "portal auth login (and unset PORTAL_TOKEN if it holds an API key)"
BILLING_OWNER = (
    "billing is managed by the account's owner (the owner role); "
    "ask an owner, or sign in as one with `portal auth login`"
)
ACCOUNT_GONE = (
    "the account may be closed or not yours; "
    "see `portal account list` and pick one with `portal account use ACCOUNT`"
)
PENDING_ONLY = (
    "only pending invitations can be revoked or resent; to invite the address again: "
    "portal team invite EMAIL"
)
PERSON_ONLY = "personal settings need a user's sign-in, not an API key: portal auth login"

# What one command (or group) knows better than the general rows below: the next step for a
# refusal the server gives there. Grouped by command group, in the order of `portal --help`;
# within a group, a command's rows come before its group's.
BY_COMMAND: tuple[Hint, ...] = (
    # auth
    # org
    # account: only the org's owner creates accounts in it.
    Hint(
        errors.PermissionDenied,
        "accounts are created by the org's owner: ask them, or create your own org "
        "with `portal org create NAME`",
        command="account create",
    ),
    # account: the current account (or the one named by ID) is gone or another tenant's.
    Hint(
        _missing,
        ACCOUNT_GONE,
        command=(
            "account show",
            "account id",
            "account rename",
            "account package",
            "account dashboard",
            "account close",
            "account use",
        ),
    ),
    # team: a refused change says what could not be done; the last owner says how to go on.
    Hint(
        errors.Conflict,
        LAST_OWNER,
        code="last_owner",
        command="team set-role",
        message="cannot make {MEMBER} {ROLE}: they are the account's last owner, "
        "and an account always needs an owner",
    ),
    Hint(
        errors.Conflict,
        LAST_OWNER,
        code="last_owner",
        command="team remove",
        message="cannot remove {MEMBER}: they are the account's last owner, "
        "and an account always needs an owner",
    ),
    Hint(
        errors.Conflict,
        None,
        command="team set-role",
        message="cannot make {MEMBER} {ROLE}: {message}",
    ),
    Hint(errors.Conflict, None, command="team remove", message="cannot remove {MEMBER}: {message}"),
    Hint(
        errors.Conflict,
        PENDING_ONLY,
        command="team invitations revoke",
        message="cannot revoke invitation {ID}: {message}",
    ),
    Hint(
        errors.Conflict,
        PENDING_ONLY,
        command="team invitations resend",
        message="cannot resend invitation {ID}: {message}",
    ),
    Hint(
        errors.Conflict,
        None,
        command="team link revoke",
        message="cannot revoke invite link {ID}: {message}",
    ),
    Hint(errors.NotFound, "portal team link list", command="team link"),
    Hint(errors.NotFound, "portal team list", command=("team set-role", "team remove")),
    # integrations
    Hint(errors.NotFound, _configure, code="integration_not_configured", command="integrations"),
    # secrets: keys are managed by people; a key that is not there is in the list.
    Hint(
        errors.PermissionDenied,
        API_KEY_SIGN_IN,
        code="api_key_not_allowed",
        command="secrets",
        message="an API key cannot manage API keys; sign in as a person",
    ),
    Hint(errors.NotFound, "portal secrets list", command="secrets"),
    # billing: a 403 there means "not the owner" (or an API key).
    Hint(errors.NotFound, "portal billing payment-methods", command="billing payment-methods"),
    Hint(errors.PermissionDenied, BILLING_OWNER, command="billing"),
    # usage
    # me
    Hint(
        errors.Conflict,
        "portal me 2fa disable, then enable again to use a new app",
        code="totp_already_enabled",
        command="me 2fa enable",
    ),
    Hint(
        errors.Unauthenticated,
        "check the time on the device running the app, then run the command again",
        code="invalid_totp",
        command="me 2fa enable",
    ),
    Hint(
        errors.PermissionDenied,
        "two-factor settings need a user's sign-in, not an API key",
        command="me 2fa enable",
    ),
    Hint(
        errors.Conflict,
        "make another member owner (portal team set-role MEMBER owner) "
        "or close the account (portal account close) first",
        code="sole_owner",
        command="me delete",
    ),
    Hint(
        errors.InvalidRequest,
        "codes expire after an hour: `portal me email change NEW` sends a new one",
        code="invalid_code",
        command="me email confirm",
        param="CODE",
    ),
    Hint(errors.PermissionDenied, PERSON_ONLY, command="me"),
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


class _Words(dict[str, str]):
    """The values a message may name; one the command did not get reads as its metavar."""

    def __missing__(self, key: str) -> str:
        return key


def _runs_in(command: str, where: str | tuple[str, ...]) -> bool:
    """`command` ("team link revoke") is one of `where` or a command of one of its groups."""
    paths = (where,) if isinstance(where, str) else where
    return any(command == path or command.startswith(path + " ") for path in paths)


def explain(exc: BaseException, command: str, arguments: dict[str, str] | None = None) -> None:
    """Give `exc` the table's message and hint for `command`, unless the raiser gave a hint.
    A message may name the command's arguments by metavar: "cannot revoke invitation {ID}"."""
    row = row_for(exc, command)
    if row is None or not isinstance(exc, errors.PortalError):
        return
    if row.message is not None:
        exc.message = row.message.format_map(_Words(arguments or {}, message=exc.message))
        exc.args = (exc.message,)
    if row.param is not None:
        exc.param = row.param
    if not exc.hint:
        exc.hint = row.advice(exc) if callable(row.advice) else row.advice
