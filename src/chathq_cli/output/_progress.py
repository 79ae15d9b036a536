"""A progress bar on stderr for long downloads and exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

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
