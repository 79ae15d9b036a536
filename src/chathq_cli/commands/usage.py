"""`portal usage`: pay-as-you-go usage records, summaries, charts and the price list.

The group's callback IS the listing command (`invoke_without_command=True`), so
`portal usage --unit sms --unpaid` works as written, while `portal usage prices` is an ordinary
subcommand. The callback returns early when a subcommand was named.

Everything the user typed is checked by the pure functions below before any request (exit 2,
one line naming the option). Exports stream: records are paged lazily and written as they
arrive, into `FILE.part`, renamed to FILE only on success.
"""

from __future__ import annotations

import enum
import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from chathq_cli.cli.frame import ForceOpt, command
from chathq_cli.errors import UsageError

if TYPE_CHECKING:
    from chathq_cli.api.usage import GroupBy
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column, Output

DEFAULT_LIMIT = 100
MAX_LIMIT = 1_000_000
PAGE_SIZE = 1000  # the API's maximum page: fewest round trips for exports
CHART_WIDTH = 40


class UnitChoice(enum.StrEnum):
    # An Enum, not a Literal: Typer 0.29 takes no list of Literals for a repeatable option.
    sms = "sms"
    calls = "calls"
    chat = "chat"
    numbers = "numbers"


PeriodChoice = Literal["day", "week", "month"]


# --------------------------------------------------------------------------------------------
# Argument checks: pure functions, tested in tests/unit/test_usage_args.py.

# YYYY-MM-DD, or RFC 3339 date-time with a mandatory offset (Z or ±hh:mm).
_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DATETIME_RE = re.compile(
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$"
)
_DATE_HINT = "use YYYY-MM-DD or an RFC 3339 time such as 2026-11-01T00:00:00Z"


@dataclass(frozen=True)
class DateArg:
    """A --since/--until value: the instant it means and the string sent to the API."""

    instant: datetime  # timezone-aware, UTC
    wire: str


def parse_date(value: str, option: str) -> DateArg:
    """Parse YYYY-MM-DD (midnight UTC) or RFC 3339; UsageError naming `option` otherwise."""
    text = value.strip().upper()
    if _DATE_RE.match(text):
        try:
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise UsageError(
                f"{option}: {value!r} is not a valid date", param=option, hint=_DATE_HINT
            ) from None
        return DateArg(day, text)
    if not _DATETIME_RE.match(text):
        raise UsageError(
            f"{option}: {value!r} is not a date or an RFC 3339 time", param=option, hint=_DATE_HINT
        )
    try:
        # fromisoformat keeps at most microseconds; more digits are cut, not rounded.
        instant = datetime.fromisoformat(_trim_fraction(text)).astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: past year 9999 once in UTC
        raise UsageError(
            f"{option}: {value!r} is not a valid time", param=option, hint=_DATE_HINT
        ) from None
    return DateArg(instant, instant.isoformat().replace("+00:00", "Z"))


def _trim_fraction(text: str) -> str:
    return re.sub(r"\.([0-9]{6})[0-9]+", r".\1", text)


@dataclass(frozen=True)
class UsageQuery:
    """The filters of one usage request, validated."""

    units: tuple[str, ...] = ()
    status: str | None = None
    since: str | None = None
    until: str | None = None

    def as_kwargs(self) -> dict[str, Any]:
        return {
            "units": self.units,
            "status": self.status,
            "since": self.since,
            "until": self.until,
        }


def build_query(
    *,
    units: Sequence[str] = (),
    paid: bool = False,
    unpaid: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> UsageQuery:
    """Check the filters; the first problem raises UsageError naming its option."""
    from chathq_cli.api.rules import UNITS

    for unit in units:
        if unit not in UNITS:
            raise UsageError(f"--unit: {unit!r} is not one of {', '.join(UNITS)}", param="--unit")
    if paid and unpaid:
        raise UsageError("--paid and --unpaid cannot be used together", param="--unpaid")
    since_arg = parse_date(since, "--since") if since is not None else None
    until_arg = parse_date(until, "--until") if until is not None else None
    if since_arg and until_arg and until_arg.instant <= since_arg.instant:
        raise UsageError(
            f"--until ({until}) must be later than --since ({since}); --until is exclusive",
            param="--until",
        )
    return UsageQuery(
        units=tuple(dict.fromkeys(units)),  # de-duplicated, order kept
        status="paid" if paid else "unpaid" if unpaid else None,
        since=since_arg.wire if since_arg else None,
        until=until_arg.wire if until_arg else None,
    )


def check_limit(limit: int | None, all_: bool) -> int | None:
    """The number of records to list (None = all), from --limit/--all."""
    if all_ and limit is not None:
        raise UsageError("--limit and --all cannot be used together", param="--limit")
    if all_:
        return None
    if limit is None:
        return DEFAULT_LIMIT
    if not 1 <= limit <= MAX_LIMIT:
        raise UsageError(
            f"--limit must be between 1 and {MAX_LIMIT:,} (got {limit}); use --all for everything",
            param="--limit",
        )
    return limit


def check_view(
    *,
    summary: bool,
    by: str | None,
    chart: bool,
    limit: int | None,
    all_: bool,
    fmt: str,
) -> str:
    """Which view was asked for: "records", "summary" or "chart" (`fmt`: the format in force)."""
    # Bars are for reading, not parsing: no JSON/CSV form of them.
    if chart and fmt in ("json", "csv"):
        raise UsageError(
            "--chart draws bars for a terminal; it cannot be combined with "
            "--json, --jq or --format json/csv (use --summary --by for the figures)",
            param="--chart",
        )
    if (chart or summary or by is not None) and (limit is not None or all_):
        flag = "--limit" if limit is not None else "--all"
        raise UsageError(
            f"{flag} applies to the record listing, not to --summary/--by/--chart",
            param=flag,
        )
    if chart:
        return "chart"
    if summary or by is not None:
        return "summary"
    return "records"


def chart_bars(amounts: Sequence[Decimal], width: int = CHART_WIDTH) -> list[str]:
    """One bar per amount, scaled so the largest fills `width` cells (eighth-cell steps)."""
    top = max(amounts, default=Decimal(0))
    bars = []
    for amount in amounts:
        eighths = int(amount / top * width * 8) if top > 0 else 0
        bars.append("█" * (eighths // 8) + ("", "▏", "▎", "▍", "▌", "▋", "▊", "▉")[eighths % 8])
    return bars


def chart_lines(
    points: Sequence[tuple[str, Decimal]],
    money: Callable[[Decimal], str],
    width: int = CHART_WIDTH,
) -> list[str]:
    """Cost per period as plain text bars: `2026-11  ████▌  $12.34`."""
    if not points:
        return []
    label_width = max(len(label) for label, _ in points)
    bars = chart_bars([amount for _, amount in points], width)
    return [
        f"{label:<{label_width}}  {bar:<{width}}  {money(amount)}"
        for (label, amount), bar in zip(points, bars, strict=True)
    ]


# --------------------------------------------------------------------------------------------
# The commands.

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)


# Shared by the listing and the guard.
UnitOpt = Annotated[
    list[UnitChoice] | None,
    typer.Option(
        "--unit",
        metavar="UNIT",
        help="Only this unit: sms, calls, chat or numbers (repeatable).",
        show_default=False,
    ),
]


@command(app, invoke_without_command=True, data=True, account=True, callback=True)
def usage(
    rt: Runtime,
    ctx: typer.Context,
    unit: UnitOpt = None,
    paid: Annotated[bool, typer.Option("--paid", help="Only paid records.")] = False,
    unpaid: Annotated[bool, typer.Option("--unpaid", help="Only unpaid records.")] = False,
    since: Annotated[
        str | None, typer.Option("--since", metavar="DATE", help="From DATE (inclusive).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", metavar="DATE", help="Up to DATE (exclusive).")
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
) -> None:
    """Pay-as-you-go usage: records, summaries, charts and prices.

    Lists usage records newest first: the latest 100 unless --limit N or --all is given.
    --since is inclusive and --until exclusive; both take YYYY-MM-DD (UTC) or RFC 3339.
    --summary, --by and --chart are aggregated by the server over every matching record.

    \b
    Examples:
      portal usage --unit sms --unpaid
      portal usage --since 2026-11-01 --summary
      portal usage --summary --by month --json --jq '.total.amount'
      portal usage --by week --chart
      portal usage --all --format csv --output usage.csv
      portal usage --all --format csv --output usage.csv --force
      portal usage prices
    """
    # Everything the user typed is checked before the first request.
    query = build_query(
        units=[u.value for u in unit or ()],
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
    from chathq_cli.output import check_destination

    check_destination(output, force=force)

    with rt.out.to_destination(output, force=force) as out:
        if view == "records":
            _list_records(rt, out, query, count, exporting=output is not None)
        elif view == "summary":
            _show_summary(rt, out, query, by or "unit")
        else:
            _show_chart(rt, out, query, by or "month")


@command(app, "prices", data=True)
def prices(rt: Runtime) -> None:
    """List the pay-as-you-go rates per unit.

    \b
    Examples:
      portal usage prices
      portal usage prices --json --jq '.[] | select(.unit == "sms") | .unit_price.amount'
    """
    from chathq_cli.output import Column

    rows = [p.model_dump(mode="json") for p in rt.client().list_usage_prices()]
    rt.out.list(
        rows,
        [
            Column("unit", "Unit"),
            Column("unit_price.amount", "Price", "money"),
            Column("per", "Per"),
            Column("description", "Description"),
        ],
    )


# --------------------------------------------------------------------------------------------
# Views.


def _record_columns(out: Output) -> list[Column]:
    from chathq_cli.output import Column

    columns = [
        Column("occurred_at", "Time", "time"),
        Column("unit", "Unit"),
        # At 80 columns the amount stays, the quantity and unit price go first.
        Column("description", "Description", min_width=16),
        Column("quantity", "Quantity", "int", priority=2),
        Column("unit_price.amount", "Unit price", "money", priority=3),
        Column("amount.amount", "Amount", "money", priority=1),
        Column("status", "Status"),
        Column("invoice", "Invoice", "id"),
    ]
    # The record ID is for machines (TSV/CSV/JSON); a terminal needs the room for descriptions.
    if not out.env.stdout_isatty:
        columns.append(Column("id", "ID", "id"))
    return columns


def _list_records(
    rt: Runtime, out: Output, query: UsageQuery, count: int | None, *, exporting: bool
) -> None:
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
    # Long work: more than a page, or an export. Its progress bar appears only when stderr is
    # a terminal, so the total it counts towards is fetched only then.
    if not (exporting or count is None or count > PAGE_SIZE):
        out.list(_rows(more.cap(pages)), _record_columns(out))
    else:
        total = None
        if rt.out.env.stderr_isatty:
            matching = client.get_usage_summary(account_id, **query.as_kwargs()).total.count
            total = matching if count is None else min(count, matching)
        with (
            rt.out.progress("Fetching usage records", total) as advance,
            _prefetched(more.cap(pages)) as ready,
        ):
            out.list(_rows(ready, advance), _record_columns(out))
    if more.cut:
        rt.out.info(
            f"Showing the newest {count:,} matching records; more match. "
            "Use --all for every record, or --limit N."
        )


class _Truncation:
    """Passes on at most `count` records of pages that may hold one more, noting if it did."""

    def __init__(self, count: int | None) -> None:
        self.count = count
        self.cut = False

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


def _show_summary(rt: Runtime, out: Output, query: UsageQuery, group_by: GroupBy) -> None:
    from chathq_cli.output import Column

    client = rt.client()
    result = client.get_usage_summary(rt.account_id(), **query.as_kwargs(), group_by=group_by)
    if out.is_json:
        out.write_json(result.model_dump(mode="json"))
        return
    rows: list[dict[str, Any]] = [row.model_dump(mode="json") for row in result.data]
    total = result.total.model_dump(mode="json")
    if group_by == "unit":
        prices = {p.unit: p.unit_price.model_dump(mode="json") for p in client.list_usage_prices()}
        for row in rows:
            row["unit_price"] = prices.get(row["unit"])
        first = [Column("unit", "Unit"), Column("count", "Count", "int")]
        first += [
            Column("quantity", "Quantity", "int"),
            Column("unit_price.amount", "Unit price", "money"),
        ]
        total_row = {"unit": "total", **total}
    else:
        first = [Column("period", "Period"), Column("count", "Count", "int")]
        total_row = {"period": "total", **total}
    columns = [
        *first,
        Column("amount", "Amount", "money"),
        Column("paid_amount", "Paid", "money"),
        Column("unpaid_amount", "Unpaid", "money"),
    ]
    out.list([*rows, total_row], columns)


def _show_chart(rt: Runtime, out: Output, query: UsageQuery, group_by: GroupBy) -> None:
    from chathq_cli.output import Column, format_money

    result = rt.client().get_usage_summary(rt.account_id(), **query.as_kwargs(), group_by=group_by)
    # Oldest first, like a time axis, whatever order the API returns.
    points = sorted((row.period or "", Decimal(row.amount)) for row in result.data)
    if not points:
        rt.out.info("No usage in this period.")
        return
    if out.env.stdout_isatty:
        # On a terminal: a Rich table, so periods, amounts and bars line up.
        bars = chart_bars([amount for _, amount in points])
        rows = [
            {
                "period": label,
                "amount": {"amount": str(amount), "currency": result.currency},
                "bar": bar,
            }
            for (label, amount), bar in zip(points, bars, strict=True)
        ]
        out.list(
            rows, [Column("period", "Period"), Column("amount", "Cost", "money"), Column("bar", "")]
        )
        return
    for line in chart_lines(points, lambda amount: format_money(amount, result.currency)):
        out.value(line)


# --------------------------------------------------------------------------------------------
# `portal usage guard`: a spend limit for pipelines (exit 1 when usage is over it).

# Dollars and cents: `100`, `99.5`, `1,250.00`, `$100`. No signs, exponents or other digits
# (Decimal would take `1E3`, `NaN` or Arabic-Indic digits, none of which belongs in a budget).
_AMOUNT_RE = re.compile(r"^\$?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,15})(?:\.[0-9]{1,2})?$")


def parse_amount(value: str, option: str) -> Decimal:
    """A non-negative amount in dollars and cents, exactly; UsageError naming `option`."""
    text = value.strip()
    shown = repr(value) if len(value) <= 40 else repr(value[:40]) + "..."
    if text.startswith("-"):
        raise UsageError(f"{option}: {shown} is negative; give a limit of 0 or more", param=option)
    if not _AMOUNT_RE.match(text):
        raise UsageError(
            f"{option}: {shown} is not an amount; use dollars and cents such as 100 or 250.50",
            param=option,
        )
    # Whole cents, so the limit prints as `$100.00` and compares exactly with the server's sums.
    return Decimal(text.lstrip("$").replace(",", "")).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class GuardCheck:
    """One limit and the usage it is compared with; over when usage is strictly above it."""

    name: str  # "unpaid" or "amount"
    label: str  # how the error message names the figure
    usage: Decimal
    limit: Decimal

    @property
    def over(self) -> bool:
        return self.usage > self.limit


def guard_checks(
    total_amount: Decimal,
    unpaid_amount: Decimal,
    *,
    max_unpaid: Decimal | None,
    max_amount: Decimal | None,
) -> list[GuardCheck]:
    checks = []
    if max_unpaid is not None:
        checks.append(GuardCheck("unpaid", "unpaid usage", unpaid_amount, max_unpaid))
    if max_amount is not None:
        checks.append(GuardCheck("amount", "usage (paid + unpaid)", total_amount, max_amount))
    return checks


@command(app, "guard", data=True, account=True)
def guard(
    rt: Runtime,
    max_unpaid: Annotated[
        str | None,
        typer.Option(
            "--max-unpaid",
            metavar="AMOUNT",
            help="Fail (exit 1) when unpaid usage is over AMOUNT, e.g. 100 or 250.50.",
            show_default=False,
        ),
    ] = None,
    max_amount: Annotated[
        str | None,
        typer.Option(
            "--max-amount",
            metavar="AMOUNT",
            help="Fail (exit 1) when paid + unpaid usage is over AMOUNT.",
            show_default=False,
        ),
    ] = None,
    unit: UnitOpt = None,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Count usage from DATE (inclusive)."),
    ] = None,
) -> None:
    """Fail when pay-as-you-go usage is over a limit: a spend guard for CI.

    Asks the server for the usage summary (one request), prints the figures, and exits 0
    when usage is within every limit given, 1 when it is over one (equal is within).
    Without --since every recorded usage counts. Amounts are in the account's currency.

    \b
    Examples:
      portal usage guard --max-unpaid 100
      portal usage guard --max-amount 500 --since 2026-11-01
      portal usage guard --max-unpaid 25 --unit sms --unit calls --json
    """
    from chathq_cli import errors
    from chathq_cli.output import Column, format_money

    if max_unpaid is None and max_amount is None:
        raise UsageError(
            "give a limit: --max-unpaid AMOUNT and/or --max-amount AMOUNT", param="--max-unpaid"
        )
    unpaid_limit = parse_amount(max_unpaid, "--max-unpaid") if max_unpaid is not None else None
    amount_limit = parse_amount(max_amount, "--max-amount") if max_amount is not None else None
    query = build_query(units=[u.value for u in unit or ()], since=since)

    summary = rt.client().get_usage_summary(rt.account_id(), **query.as_kwargs())
    currency = summary.currency
    checks = guard_checks(
        Decimal(summary.total.amount),
        Decimal(summary.total.unpaid_amount),
        max_unpaid=unpaid_limit,
        max_amount=amount_limit,
    )

    def money(value: Decimal) -> dict[str, str]:
        return {"amount": format(value, "f"), "currency": currency}

    rows = [
        {
            "check": check.name,
            "usage": money(check.usage),
            "limit": money(check.limit),
            "headroom": money(check.limit - check.usage),
            "result": "over" if check.over else "within",
        }
        for check in checks
    ]
    if rt.out.is_json:
        rt.out.write_json(
            {
                "object": "usage_guard",
                "within_limits": not any(check.over for check in checks),
                "since": query.since,
                "units": list(query.units),
                "total": summary.total.model_dump(mode="json"),
                "currency": currency,
                "checks": rows,
            }
        )
    else:
        rt.out.list(
            rows,
            [
                Column("check", "Check"),
                Column("usage.amount", "Usage", "money"),
                Column("limit.amount", "Limit", "money"),
                Column("headroom.amount", "Headroom", "money"),
                Column("result", "Result"),
            ],
        )
    over = [check for check in checks if check.over]
    if over:
        raise errors.PortalError(
            "; ".join(
                f"{check.label} {format_money(check.usage, currency)} is over the limit "
                f"{format_money(check.limit, currency)}"
                for check in over
            ),
            code="usage_limit_exceeded",
            hint="portal usage --summary (with the same --unit/--since) shows where it comes from",
        )
