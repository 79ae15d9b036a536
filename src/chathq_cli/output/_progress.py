"""Progress on stderr for long downloads and exports: a Rich bar, or one plain line."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from chathq_cli.output._format import escape_control

if TYPE_CHECKING:
    from rich.console import Console


@contextmanager
def rich_progress(
    console: Console, description: str, total: int | None
) -> Iterator[Callable[[int], None]]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    with bar:
        task = bar.add_task(escape_control(description), total=total)
        yield lambda advance: bar.advance(task, advance)


@contextmanager
def plain_progress(
    stream: IO[str], description: str, total: int | None, width: int
) -> Iterator[Callable[[int], None]]:
    """`Fetching usage records 40/100` redrawn with a carriage return: no escape sequence.

    For NO_COLOR, --no-color and TERM=dumb, where the bar's cursor movement is unwelcome.
    Redrawn every 1% of the total (of the count so far when the total is unknown), so a
    million-row export writes a hundred lines of progress, not a million; wiped at the end.
    """
    label = escape_control(description)
    done = 0
    shown = 0
    next_draw = 0

    def draw() -> None:
        nonlocal shown
        count = f"{done}/{total}" if total is not None else str(done)
        line = f"{label} {count}"[: max(1, width - 1)]
        stream.write("\r" + line + " " * max(0, shown - len(line)))
        stream.flush()
        shown = len(line)

    def advance(step: int) -> None:
        nonlocal done, next_draw
        done += step
        if done >= next_draw:
            draw()
            next_draw = done + max(1, (total or done) // 100)

    draw()
    try:
        yield advance
    finally:
        stream.write("\r" + " " * shown + "\r")
        stream.flush()
