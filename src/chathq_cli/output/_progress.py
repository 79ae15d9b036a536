"""Progress on stderr for long downloads and exports: a Rich bar, or one plain line.

Both are driven through a `Progress`: called with a number of items done, and told of a wait
with `note("retrying page 412 in 1 s")`, shown beside the count until the next step. A paged
export fetches in a worker thread, so a note may come from another thread than the steps.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from chathq_cli.output._format import escape_control

if TYPE_CHECKING:
    from rich.console import Console


class Progress:
    """What a command holds while long work runs; does nothing unless stderr is a terminal."""

    def __init__(
        self,
        advance: Callable[[int], None] | None = None,
        note: Callable[[str | None], None] | None = None,
    ) -> None:
        self._advance = advance
        self._note = note

    def __call__(self, step: int) -> None:
        if self._advance is not None:
            self._advance(step)

    def note(self, text: str | None) -> None:
        """Say what the work is waiting for (None: nothing any more)."""
        if self._note is not None:
            self._note(None if text is None else escape_control(text))


@contextmanager
def rich_progress(
    console: Console, description: str, total: int | None, completed: int = 0
) -> Iterator[Progress]:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bar

    bar = Bar(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )
    label = escape_control(description)
    noted = False
    with bar:
        task = bar.add_task(label, total=total, completed=completed)

        def advance(step: int) -> None:
            nonlocal noted
            if noted:
                noted = False
                bar.update(task, advance=step, description=label)
            else:
                bar.advance(task, step)

        def note(text: str | None) -> None:
            nonlocal noted
            noted = text is not None
            bar.update(task, description=label if text is None else f"{label} · {text}")

        yield Progress(advance, note)


@contextmanager
def plain_progress(
    stream: IO[str], description: str, total: int | None, width: int, completed: int = 0
) -> Iterator[Progress]:
    """`Fetching usage records 40/100` redrawn with a carriage return: no escape sequence.

    For NO_COLOR, --no-color and TERM=dumb, where the bar's cursor movement is unwelcome.
    Redrawn every 1% of the total (of the count so far when the total is unknown), so a
    million-row export writes a hundred lines of progress, not a million; wiped at the end.
    """
    label = escape_control(description)
    done = completed
    shown = 0
    next_draw = 0
    waiting: str | None = None
    lock = threading.Lock()

    def draw() -> None:
        nonlocal shown
        count = f"{done}/{total}" if total is not None else str(done)
        line = f"{label} {count}" + (f" ({waiting})" if waiting else "")
        line = line[: max(1, width - 1)]
        stream.write("\r" + line + " " * max(0, shown - len(line)))
        stream.flush()
        shown = len(line)

    def advance(step: int) -> None:
        nonlocal done, next_draw, waiting
        with lock:
            done += step
            if waiting is not None or done >= next_draw:
                waiting = None
                draw()
                next_draw = done + max(1, (total or done) // 100)

    def note(text: str | None) -> None:
        nonlocal waiting
        with lock:
            waiting = text
            draw()

    draw()
    try:
        yield Progress(advance, note)
    finally:
        with lock:
            stream.write("\r" + " " * shown + "\r")
            stream.flush()
