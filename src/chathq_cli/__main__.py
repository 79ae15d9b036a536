"""Entry point of `portal`: the --version fast path, then the app inside the error boundary
(`chathq_cli.cli.boundary`)."""

from __future__ import annotations

import sys

from chathq_cli import __version__

# Not `from typing import TYPE_CHECKING`: importing typing alone costs ~5 ms of the --version
# budget. Type checkers treat any name TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

    from chathq_cli.cli.environment import Environment


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run `portal` with `argv` (default: sys.argv[1:]) and return the exit code.

    `env` supplies the streams, TTY flags and HTTP transport (tests run commands in-process
    with one); None means this process's own.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]) and env is None:
        # Answered before Typer is imported: `portal --version` must be as fast as `gh --version`.
        sys.stdout.write(f"portal {__version__}\n")
        return 0
    from chathq_cli.cli import boundary

    return boundary.main(args, env)


if __name__ == "__main__":
    sys.exit(main())
