"""The `hint:` line under an error: what to run next, chosen at the error boundary.

client/ and credentials.py raise typed errors that carry facts (status, error code, where the
token came from, Retry-After) and no CLI wording; this one ordered table turns those facts
into advice, as huggingface_hub's `cli/_errors.py` (CLI_ERROR_MAPPINGS) does. The boundary
(`__main__`) asks `hint_for(exc)` only when the raiser gave no hint of its own.

Stdlib and `errors` only: it runs on every failing command.
"""

from __future__ import annotations

from collections.abc import Callable

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


def _code(code: str) -> Callable[[BaseException], bool]:
    return lambda exc: getattr(exc, "code", None) == code


def _server_side(exc: BaseException) -> bool:
    return isinstance(exc, errors.ServerError) and exc.status >= 500


def _busy(exc: BaseException) -> str:
    retry_after = getattr(exc, "retry_after", None)
    wait = f" in {retry_after:.0f} s" if retry_after else " in a moment"
    return f"the portal is busy; try again{wait}"


# Ordered: the first match wins, so every predicate or subclass comes before the broader rows
# it narrows (a PORTAL_TOKEN 401 before any 401, MalformedToken before AuthRequired...).
HINTS: tuple[tuple[Matcher, Advice], ...] = (
    (
        _malformed("env"),
        "set PORTAL_TOKEN to the token alone (as `portal auth token` prints it), or unset it",
    ),
    (_malformed("keyring", "file"), "replace it: sign in again with `portal auth login`"),
    (errors.MalformedToken, None),  # typed or piped by the user: the message says it all
    (_signed_out_without_keyring, _ways_in_without_keyring),
    (errors.NotSignedIn, "sign in with `portal auth login`, or set PORTAL_TOKEN (CI)"),
    (errors.KeyringUnavailable, KEYRING),
    (_asks_for_input, None),
    (
        _rejected_env_token,
        "the token comes from PORTAL_TOKEN: set it to a valid token, or unset it to use "
        "the profile's sign-in",
    ),
    (errors.Unauthenticated, "sign in again with `portal auth login`"),
    (_code("account_name_unknown"), "portal account list --all-orgs"),
    (_code("org_name_unknown"), "portal org list"),
    (errors.RateLimited, _busy),
    (_server_side, SERVER),
    (errors.NetworkError, NETWORK),
)


def hint_for(exc: BaseException) -> str | None:
    """The hint of the first row of HINTS that matches `exc`, or None."""
    for matcher, advice in HINTS:
        matched = isinstance(exc, matcher) if isinstance(matcher, type) else matcher(exc)
        if matched:
            return advice(exc) if callable(advice) else advice
    return None
