"""`--jq` on the JSON document, with the `jq` package (imported only when asked for)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from chathq_cli.errors import UsageError


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class JqProgram:
    """A compiled `--jq` expression. Compiling early lets a typo fail before any request."""

    def __init__(self, expression: str) -> None:
        import jq

        try:
            self._program = jq.compile(expression)
        except ValueError as error:
            raise UsageError(
                f"invalid --jq expression: {_first_line(error)}",
                param="--jq",
                hint="see https://jqlang.org/manual/ for the syntax",
            ) from error

    def results(self, data: Any) -> Iterator[Any]:
        try:
            # .all() runs the program to the end, so a runtime error surfaces before output.
            values = self._program.input_value(data).all()
        except ValueError as error:
            raise UsageError(f"--jq failed: {_first_line(error)}", param="--jq") from error
        yield from values
