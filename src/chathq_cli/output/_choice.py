"""Which format the data is printed in, and the fields of an error: pure decisions, no I/O."""

from __future__ import annotations

from typing import Any, Literal

from chathq_cli.errors import PortalError, UsageError

Format = Literal["table", "json", "csv"]


def choose_format(
    fmt: Format | None,
    *,
    json: bool = False,
    jq: str | None = None,
    preferred: Format | None = None,
) -> Format:
    """The one place that decides the output format from the flags and the preference.

    Contradicting flags are bad input, not a silent choice: `--json --format csv` and
    `--jq EXPR --format table` are usage errors. A preference (PORTAL_FORMAT, the config file)
    yields to any flag.
    """
    if json and fmt not in (None, "json"):
        raise UsageError(f"--json contradicts --format {fmt}; give only one", param="--json")
    if jq is not None and fmt not in (None, "json"):
        raise UsageError(
            f"--jq filters JSON and cannot be combined with --format {fmt}", param="--jq"
        )
    if json or jq is not None:
        return "json"
    return fmt or preferred or "table"


def error_fields(err: BaseException) -> dict[str, Any]:
    """The JSON error object's fields (SPEC §3) for any exception."""
    if isinstance(err, PortalError):
        return {
            "type": err.type,
            "code": err.code,
            "message": err.message,
            "param": err.param,
            "request_id": err.request_id,
        }
    return {
        "type": "cli_error",
        "code": None,
        "message": str(err) or type(err).__name__,
        "param": None,
        "request_id": None,
    }
