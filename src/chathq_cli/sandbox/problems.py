"""API errors as exceptions, rendered as the error envelope of SPEC §5 by `app.py`."""

from __future__ import annotations

from typing import Any

TYPE_BY_STATUS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    405: "invalid_request_error",
    409: "conflict_error",
    413: "invalid_request_error",
    415: "invalid_request_error",
    422: "invalid_request_error",
    429: "rate_limit_error",
}


class Problem(Exception):
    """An API error: status, envelope fields and extra headers (e.g. Retry-After)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        param: str | None = None,
        type: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.type = type or TYPE_BY_STATUS.get(status, "api_error")
        self.headers = headers or {}

    def envelope(self, request_id: str | None) -> dict[str, Any]:
        return error_envelope(self.type, self.code, self.message, self.param, request_id)


def error_envelope(
    type: str, code: str, message: str, param: str | None, request_id: str | None
) -> dict[str, Any]:
    return {
        "error": {
            "type": type,
            "code": code,
            "message": message,
            "param": param,
            "request_id": request_id,
        }
    }


def not_found(what: str, ident: str, param: str | None = None) -> Problem:
    return Problem(404, "resource_missing", f"no such {what}: '{ident}'", param=param)


def forbidden(message: str, code: str = "forbidden") -> Problem:
    return Problem(403, code, message)


def invalid(param: str, message: str, code: str = "parameter_invalid") -> Problem:
    """A 422 naming the offending parameter."""
    return Problem(422, code, message, param=param)


def conflict(code: str, message: str, param: str | None = None) -> Problem:
    return Problem(409, code, message, param=param)
