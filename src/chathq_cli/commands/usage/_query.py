"""The filters and the view of one `portal usage` request, checked before any request: pure
functions, tested in tests/unit/test_usage_args.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chathq_cli.errors import UsageError
from chathq_cli.inputs.dates import parse_date


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
    status: str | None = None,
    paid: bool = False,
    unpaid: bool = False,
    since: str | None = None,
    until: str | None = None,
    now: datetime | None = None,
) -> UsageQuery:
    """Check the filters; the first problem raises UsageError naming its option.

    `now` is what relative dates (`--since 7d`) count from: this invocation's clock when None.
    """
    from chathq_cli.api.rules import UNITS
    from chathq_cli.cli import environment

    for unit in units:
        if unit not in UNITS:
            raise UsageError(f"--unit: {unit!r} is not one of {', '.join(UNITS)}", param="--unit")
    if paid and unpaid:
        raise UsageError("--paid and --unpaid cannot be used together", param="--unpaid")
    shorthand = "paid" if paid else "unpaid" if unpaid else None
    if status is not None and shorthand is not None and status != shorthand:
        raise UsageError(
            f"--status {status} and --{shorthand} contradict each other", param="--status"
        )
    status = status or shorthand
    now = now if now is not None else environment.now()
    since_arg = parse_date(since, "--since", now=now) if since is not None else None
    until_arg = parse_date(until, "--until", now=now) if until is not None else None
    if since_arg and until_arg and until_arg.instant <= since_arg.instant:
        raise UsageError(
            f"--until ({until}) must be later than --since ({since}); --until is exclusive",
            param="--until",
        )
    return UsageQuery(
        units=tuple(dict.fromkeys(units)),  # de-duplicated, order kept
        status=status,
        since=since_arg.wire if since_arg else None,
        until=until_arg.wire if until_arg else None,
    )


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


def check_resume(*, resume: bool, exporting: bool, to_file: bool, jq: str | None) -> None:
    """--resume continues an export of records to --output FILE (a regular file, written
    through FILE.part), and nothing else."""
    if not resume:
        return
    if not (exporting and to_file):
        raise UsageError(
            "--resume continues an export of records to --output FILE, a regular file "
            "(not stdout or a device, and without --summary, --by or --chart)",
            param="--resume",
        )
    if jq is not None:
        raise UsageError(
            "--resume cannot be combined with --jq: --jq needs every record at once",
            param="--resume",
        )


def export_key(
    host: str, account_id: str, query: UsageQuery, fmt: str, limit: int | None
) -> dict[str, Any]:
    """What an export is, as its checkpoint records it: --resume continues only the same."""
    return {
        "host": host,
        "account": account_id,
        "units": list(query.units),
        "status": query.status,
        "since": query.since,
        "until": query.until,
        "format": fmt,
        "limit": limit,
    }
