"""The one place that writes to the terminal: tables, TSV, JSON, CSV, `--jq`, errors, prompts.

Importing this package is cheap (no Rich, no jq): they load when first needed, so `--help` and
argument errors stay fast.
"""

from __future__ import annotations

from chathq_cli.output._choice import choose_format, error_fields
from chathq_cli.output._env import Env
from chathq_cli.output._format import Column, format_money, format_time
from chathq_cli.output._output import Output

TYPE_CHECKING = False  # not typing's: importing typing costs start-up time
if TYPE_CHECKING:
    from chathq_cli.output._files import (
        Destination,
        Terminated,
        check_destination,
        open_destination,
    )
    from chathq_cli.output._resume import open_resumable

__all__ = [
    "Column",
    "Destination",
    "Env",
    "Output",
    "Terminated",
    "check_destination",
    "choose_format",
    "current",
    "error_fields",
    "format_money",
    "format_time",
    "has_current",
    "open_destination",
    "open_resumable",
    "set_current",
]

_current: Output | None = None
_FILES = ("Destination", "Terminated", "check_destination", "open_destination")


def __getattr__(name: str) -> object:
    # `--output FILE` support loads when a command asks for it, not on every start-up.
    if name in _FILES:
        from chathq_cli.output import _files

        return getattr(_files, name)
    if name == "open_resumable":
        from chathq_cli.output import _resume

        return _resume.open_resumable
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
