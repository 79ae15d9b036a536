"""The one place that writes to the terminal: tables, TSV, JSON, CSV, `--jq`, errors, prompts.

Importing this package is cheap (no Rich, no jq): they load when first needed, so `--help` and
argument errors stay fast.
"""

from __future__ import annotations

from chathq_cli.output._env import Env
from chathq_cli.output._format import Column, format_money, format_time
from chathq_cli.output._output import Output, choose_format, error_fields

__all__ = [
    "Column",
    "Env",
    "Output",
    "choose_format",
    "current",
    "error_fields",
    "format_money",
    "format_time",
    "has_current",
    "set_current",
]

_current: Output | None = None


def current() -> Output:
    """The Output of this process (set by the command runtime), or a default one."""
    global _current
    if _current is None:
        _current = Output()
    return _current


def has_current() -> bool:
    """True once a command (or the error boundary) has set this process's Output."""
    return _current is not None


def set_current(out: Output | None) -> None:
    global _current
    _current = out
