"""`portal usage` itself: the group's callback IS the listing command
(`invoke_without_command=True`), so `portal usage --unit sms --unpaid` works as written while
`portal usage prices` is an ordinary subcommand; the callback returns early when a subcommand
was named. This module's Typer is therefore the group's own.

Everything the user typed is checked before any request (exit 2, one line naming the option).
Exports stream: records are paged lazily and written as they arrive, into `FILE.part`,
renamed to FILE only on success. --summary/--by/--chart are drawn by summary.py.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.api import rules
from chathq_cli.cli.frame import ForceOpt, command
from chathq_cli.commands.usage._query import (
    UsageQuery,
    build_query,
    check_resume,
    check_view,
    export_key,
)
from chathq_cli.commands.usage._view import PeriodChoice, UnitOpt, record_columns
from chathq_cli.commands.usage.summary import show_chart, show_summary
from chathq_cli.inputs.amounts import check_limit

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Output
    from chathq_cli.output._progress import Progress
    from chathq_cli.output._resume import ResumableFile

PAGE_SIZE = 1000  # the API's maximum page: fewest round trips for exports

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)


@command(app, invoke_without_command=True, data=True, account=True, callback=True)
def usage(
    rt: Runtime,
    ctx: typer.Context,
    unit: UnitOpt = None,
    status: Annotated[
        rules.UsageStatus | None,
        typer.Option(
            "--status", help="Only records in this status (as billing invoices --status)."
        ),
    ] = None,
    paid: Annotated[bool, typer.Option("--paid", help="Shorthand for --status paid.")] = False,
    unpaid: Annotated[
        bool, typer.Option("--unpaid", help="Shorthand for --status unpaid.")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="From DATE (inclusive); e.g. 7d, today."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--until", metavar="DATE", help="Up to DATE (exclusive); e.g. this-month."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", metavar="N", help="List at most N records (default 100)."),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="List every matching record.")] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Totals per unit, with paid and unpaid.")
    ] = False,
    by: Annotated[
        PeriodChoice | None,
        typer.Option("--by", help="Totals per day, week or month (implies --summary)."),
    ] = None,
    chart: Annotated[
        bool, typer.Option("--chart", help="Cost per period as bars (--by, default month).")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the data to FILE instead of stdout."
        ),
    ] = None,
    force: ForceOpt = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an export to --output FILE that stopped, from FILE.part.",
        ),
    ] = False,
) -> None:
    """Pay-as-you-go usage: records, summaries, charts and prices.

    Lists usage records newest first: the latest 100 unless --limit N or --all is given.
    --since is inclusive and --until exclusive; both take YYYY-MM-DD (UTC), RFC 3339, 7d/24h/2w
    (that long ago), or today, yesterday, this-month, last-month (from their start, UTC).
    --summary, --by and --chart are aggregated by the server over every matching record.

    \b
    Examples:
      portal usage --unit sms --unpaid
      portal usage --since 2026-11-01 --summary
      portal usage --summary --by month --json --jq '.total.amount'
      portal usage --by week --chart
      portal usage --all --format csv --output usage.csv
      portal usage --all --format csv --output usage.csv --force
      portal usage --all --format csv --output usage.csv --resume
      portal usage prices

    An export that stops (an error, Ctrl-C) keeps FILE.part and FILE.checkpoint;
    --resume continues it, and FILE appears only once complete.
    """
    # Everything the user typed is checked before the first request.
    query = build_query(
        units=[u.value for u in unit or ()],
        status=status,
        paid=paid,
        unpaid=unpaid,
        since=since,
        until=until,
    )
    view = check_view(
        summary=summary,
        by=by,
        chart=chart,
        limit=limit,
        all_=all_,
        fmt=rt.out.fmt,
    )
    count = check_limit(limit, all_) if view == "records" else None
    exporting = view == "records" and output is not None and str(output) != "-"
    from chathq_cli.output import check_destination

    where = check_destination(output, force=force, resume=resume if exporting else None)
    check_resume(resume=resume, exporting=exporting, to_file=where.kind == "replace", jq=rt.out.jq)
    if exporting and output is not None:
        _export_records(rt, query, count, output, force=force, resume=resume)
        return
    with rt.out.to_destination(output, force=force) as out:
        if view == "records":
            _list_records(rt, out, query, count)
        elif view == "summary":
            show_summary(rt, out, query, by or "unit")
        else:
            show_chart(rt, out, query, by or "month")


def _list_records(rt: Runtime, out: Output, query: UsageQuery, count: int | None) -> None:
    client = rt.client()
    account_id = rt.account_id()
    # One record past the limit tells whether more match, without another request.
    pages = client.iter_usage_record_pages(
        account_id,
        **query.as_kwargs(),
        limit=None if count is None else count + 1,
        page_size=PAGE_SIZE,
    )
    more = _Truncation(count)
    # Long work: more than a page. Its progress bar appears only when stderr is a terminal,
    # so the total it counts towards is fetched only then.
    if not (count is None or count > PAGE_SIZE):
        out.list(_rows(more.cap(pages)), record_columns(out))
    else:
        total = _total(rt, query, count)
        with (
            rt.out.progress("Fetching usage records", total) as advance,
            _prefetched(more.cap(pages)) as ready,
        ):
            out.list(_rows(ready, advance), record_columns(out))
    more.tell(rt.out, count)


def _export_records(
    rt: Runtime,
    query: UsageQuery,
    count: int | None,
    output: Path,
    *,
    force: bool,
    resume: bool,
) -> None:
    """Records to --output FILE through FILE.part, saving a checkpoint after every page."""
    from chathq_cli.output import open_resumable

    client = rt.client()
    account_id = rt.account_id()
    key = export_key(client.host, account_id, query, rt.out.fmt, count)
    with open_resumable(
        output, force=force, resume=resume, key=key, env=rt.out.env, on_kept=rt.out.info
    ) as part:
        start = part.resumed
        done = start.rows if start else 0
        more = _Truncation(None if count is None else count - done)
        total = _total(rt, query, count)
        with rt.out.progress("Fetching usage records", total, done) as bar:
            first_page = done // PAGE_SIZE

            def retrying(page: int, delay: float, reason: str) -> None:
                bar.note(f"retrying page {first_page + page:,} in {delay:.2g} s")

            pages = client.iter_usage_record_pages(
                account_id,
                **query.as_kwargs(),
                limit=None if more.count is None else more.count + 1,
                page_size=PAGE_SIZE,
                starting_after=start.cursor if start else None,
                on_retry=retrying,
                whole_records=rt.out.fmt != "csv",  # CSV has its columns; JSON keeps all
            )
            with _prefetched(more.cap(pages)) as ready:
                exported = rt.out.redirected(part.stream)
                # --jq writes nothing before the last page: no page is ever saved to resume.
                saved = _saved(ready, part, bar, done, checkpoints=rt.out.jq is None)
                columns = record_columns(exported)
                if exported.fmt == "csv":  # the bulk export's format: its own fast path
                    exported.csv_pages(saved, columns, continued=start is not None)
                else:
                    rows = (row for page in saved for row in page)
                    exported.list(rows, columns, continued=start is not None)
        written = part.rows
    rt.out.wrote(output, f"{written:,} records")
    more.tell(rt.out, count)


def _total(rt: Runtime, query: UsageQuery, count: int | None) -> int | None:
    """What a progress bar counts towards; asked of the server only when one is shown."""
    if not rt.out.env.stderr_isatty:
        return None
    matching = rt.client().get_usage_summary(rt.account_id(), **query.as_kwargs()).total.count
    return matching if count is None else min(count, matching)


def _saved(
    pages: Iterable[list[dict[str, Any]]],
    part: ResumableFile,
    advance: Progress,
    done: int,
    *,
    checkpoints: bool,
) -> Iterator[list[dict[str, Any]]]:
    """`pages`; once a page is written (the writer asks for the next one), a checkpoint says
    how to continue after it (a page cut short by --limit has no cursor: the export ends)."""
    for page in pages:
        yield page
        done += len(page)
        part.save(getattr(page, "next_cursor", None) if checkpoints else None, done)
        advance(len(page))


class _Truncation:
    """Passes on at most `count` records of pages that may hold one more, noting if it did."""

    def __init__(self, count: int | None) -> None:
        self.count = count
        self.cut = False

    def tell(self, out: Output, count: int | None) -> None:
        if self.cut:
            out.info(
                f"Showing the newest {count:,} matching records; more match. "
                "Use --all for every record, or --limit N."
            )

    def cap(self, pages: Iterable[list[dict[str, Any]]]) -> Iterator[list[dict[str, Any]]]:
        left = self.count
        for page in pages:
            if left is not None and len(page) > left:
                self.cut = True
                page = page[:left]
            if page:
                yield page
            if left is not None:
                left -= len(page)
                if left <= 0:
                    # The pages stop at count + 1 records: one still to come means more match.
                    self.cut = self.cut or any(len(extra) > 0 for extra in pages)
                    return


def _rows(
    pages: Iterable[list[dict[str, Any]]], advance: Callable[[int], None] | None = None
) -> Iterator[dict[str, Any]]:
    for page in pages:
        yield from page
        if advance is not None:
            advance(len(page))


_END = object()


@contextmanager
def _prefetched(pages: Iterator[list[dict[str, Any]]], depth: int = 2) -> Iterator[Iterator[Any]]:
    """`pages`, fetched by a worker thread while the consumer writes the previous ones.

    Without it the server's time and ours add up on every 1,000-record round trip; with it
    they overlap. At most `depth` pages wait in the queue, so memory stays flat whatever the
    number of records.
    """
    ready: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: Any) -> bool:
        # Gives up when the consumer has gone (Ctrl-C, a write error), so the thread ends.
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for page in pages:
                if not put(page):
                    return
            put(_END)
        except BaseException as exc:  # noqa: BLE001 - not handled here: re-raised by consume()
            put(exc)

    def consume() -> Iterator[Any]:
        while (item := ready.get()) is not _END:
            if isinstance(item, BaseException):
                raise item
            yield item

    threading.Thread(target=work, name="usage-prefetch", daemon=True).start()
    try:
        yield consume()
    finally:
        stop.set()
