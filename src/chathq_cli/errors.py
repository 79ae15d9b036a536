"""The exception hierarchy and the exit codes of `portal` (SPEC §3).

Every failure the CLI reports is a `PortalError`. Each class carries the exit code it ends
with, so `__main__.main()` (the one error boundary) needs no knowledge of the individual
commands. Keep this module free of third-party imports: it is on the start-up path.
"""

from __future__ import annotations

from enum import IntEnum


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


class NetworkError(PortalError):
    """The server could not be reached, even after retries."""

    exit_code = ExitCode.FAILURE
    type = "network_error"


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
    ) -> None:
        super().__init__(message, hint=hint, code=code, param=param)
        self.status = status
        if type:
            self.type = type
        self._request_id = request_id
        self.retry_after = retry_after

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
