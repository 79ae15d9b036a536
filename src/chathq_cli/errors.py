"""The exception hierarchy and the exit codes of `portal` (SPEC §3).

Every failure the CLI reports is a `PortalError`. Each class carries the exit code it ends
with, so `__main__.main()` (the one error boundary) needs no knowledge of the individual
commands. Keep this module free of third-party imports: it is on the start-up path.
"""

from __future__ import annotations

from enum import IntEnum

# Not `from typing import TYPE_CHECKING`: this module stays free of imports (see __main__).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Literal

    # Where a request's token came from: PORTAL_TOKEN, the OS keyring, or the opt-in file.
    TokenSource = Literal["env", "keyring", "file"]


class ExitCode(IntEnum):
    """Process exit codes, documented in the README's exit-code table."""

    OK = 0
    FAILURE = 1  # server error, network failure after retries
    USAGE = 2  # bad flag or value, API 400/422, a prompt with no TTY
    CANCELLED = 3  # a confirmation was declined
    AUTH = 4  # not signed in, 401, two-factor code required, no usable keyring
    PERMISSION = 5  # 403
    NOT_FOUND = 6  # 404
    CONFLICT = 7  # 409
    RATE_LIMITED = 8  # 429/503 after retries
    CHANGES_PENDING = 9  # `portal plan` found a difference: not an error, a signal for CI
    INTERRUPTED = 130  # Ctrl-C


class PortalError(Exception):
    """Base of every error `portal` reports: a one-line message, an optional hint."""

    exit_code: ExitCode = ExitCode.FAILURE
    type: str = "cli_error"

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        code: str | None = None,
        param: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.code = code
        self.param = param

    @property
    def request_id(self) -> str | None:
        return None


class UsageError(PortalError):
    """Invalid input caught before any request, or a prompt that cannot be shown."""

    exit_code = ExitCode.USAGE
    type = "usage_error"


class Cancelled(PortalError):
    """The user declined a confirmation."""

    exit_code = ExitCode.CANCELLED
    type = "cancelled"


class AuthRequired(PortalError):
    """Not signed in, or no usable credential store."""

    exit_code = ExitCode.AUTH
    type = "authentication_error"


class KeyringUnavailable(AuthRequired):
    """The OS keyring is missing, locked or too slow; never silently fall back to a file."""


class NotSignedIn(AuthRequired):
    """No token for this profile and host: neither PORTAL_TOKEN nor a stored one.

    `keyring_problem` says why the keyring could not even be asked (none on this machine, locked,
    too slow): signed out is still the state to report, and the hint names the ways in that work
    without one.
    """

    def __init__(
        self, host: str, *, profile: str | None = None, keyring_problem: str | None = None
    ) -> None:
        who = f" (profile {profile})" if profile and profile != "default" else ""
        super().__init__(f"not signed in to {host}{who}")
        self.host = host
        self.profile = profile
        self.keyring_problem = keyring_problem


class MalformedToken(AuthRequired):
    """A token that cannot go into an `Authorization` header (line breaks, non-ASCII...).

    The message says where the token came from and what is wrong with it, never the token.
    """

    def __init__(
        self, source: TokenSource | None, problem: str, *, where: str | None = None
    ) -> None:
        place = where or _TOKEN_PLACES.get(source or "", "")
        subject = f"the token in {place}" if place else "the token"
        super().__init__(f"{subject} is malformed: it contains {problem}")
        self.token_source = source
        self.problem = problem

    @staticmethod
    def problem_of(token: str) -> str | None:
        """What makes `token` unusable in a header, or None: only visible ASCII is allowed."""
        for char in token:
            if "!" <= char <= "~":
                continue
            if char in "\r\n":
                return "a line break"
            if char == " ":
                return "a space"
            if ord(char) < 0x20 or ord(char) == 0x7F:
                return "a control character"
            if 0xD800 <= ord(char) <= 0xDFFF:
                return "bytes that are not valid UTF-8"
            return "a non-ASCII character"
        return None

    @classmethod
    def check(cls, token: str, source: TokenSource | None, *, where: str | None = None) -> str:
        """`token` unchanged, or this error naming `source` (or `where`) and the problem."""
        problem = cls.problem_of(token)
        if problem is not None:
            raise cls(source, problem, where=where)
        return token


_TOKEN_PLACES = {"env": "PORTAL_TOKEN", "keyring": "the system keyring"}


class PlanConflict(PortalError):
    """`portal apply` refused before any change: the live state moved since the plan, or the
    plan would leave an account without an owner. Exit 7, like the API's own conflicts."""

    exit_code = ExitCode.CONFLICT
    type = "conflict"


class OutputError(PortalError):
    """The data could not be written: a full disk (`> /dev/full`), an I/O error."""

    exit_code = ExitCode.FAILURE


class NetworkError(PortalError):
    """The server could not be reached, or did not answer in time, even after retries."""

    exit_code = ExitCode.FAILURE
    type = "network_error"

    def __init__(self, message: str, *, host: str | None = None, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.host = host


class ApiError(PortalError):
    """An error envelope from the API. Subclasses pick the exit code by status."""

    exit_code = ExitCode.FAILURE
    type = "api_error"

    def __init__(
        self,
        message: str,
        *,
        status: int,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        request_id: str | None = None,
        hint: str | None = None,
        retry_after: float | None = None,
        token_source: TokenSource | None = None,
    ) -> None:
        super().__init__(message, hint=hint, code=code, param=param)
        self.status = status
        if type:
            self.type = type
        self._request_id = request_id
        self.retry_after = retry_after
        # Where the rejected token came from (for a 401): the fix differs for PORTAL_TOKEN.
        self.token_source = token_source

    @property
    def request_id(self) -> str | None:
        return self._request_id


class InvalidRequest(ApiError):
    exit_code = ExitCode.USAGE


class Unauthenticated(ApiError):
    exit_code = ExitCode.AUTH


class PermissionDenied(ApiError):
    exit_code = ExitCode.PERMISSION


class NotFound(ApiError):
    exit_code = ExitCode.NOT_FOUND


class Conflict(ApiError):
    exit_code = ExitCode.CONFLICT


class RateLimited(ApiError):
    exit_code = ExitCode.RATE_LIMITED


class ServerError(ApiError):
    exit_code = ExitCode.FAILURE


# Status -> class. 503 counts as "unavailable" (exit 8), like 429, per SPEC §3.
_BY_STATUS: dict[int, type[ApiError]] = {
    400: InvalidRequest,
    401: Unauthenticated,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    413: InvalidRequest,
    415: InvalidRequest,
    422: InvalidRequest,
    429: RateLimited,
    503: RateLimited,
}


def api_error_class(status: int) -> type[ApiError]:
    """The exception class for an HTTP error status."""
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    if status >= 500:
        return ServerError
    return InvalidRequest
