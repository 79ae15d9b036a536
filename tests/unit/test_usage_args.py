"""`portal usage`: the local checks as pure functions, and the prefetching
worker (no request is made; record paging is tested in test_client_resources.py)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from decimal import Decimal

import pytest

from chathq_cli.commands.usage._query import build_query, check_view
from chathq_cli.commands.usage._view import chart_bars, chart_lines
from chathq_cli.commands.usage.listing import _prefetched
from chathq_cli.errors import ExitCode, ServerError, UsageError


def _usage_error(excinfo: pytest.ExceptionInfo[UsageError], param: str) -> str:
    err = excinfo.value
    assert err.exit_code == ExitCode.USAGE
    assert err.param == param
    assert param in err.message  # the one line names the option
    assert "\n" not in err.message
    return err.message


# -- filters ----------------------------------------------------------------------------------


def test_build_query_defaults_to_no_filter() -> None:
    query = build_query()
    assert query.as_kwargs() == {"units": (), "status": None, "since": None, "until": None}


def test_build_query_units_status_and_dates() -> None:
    query = build_query(
        units=["sms", "calls", "sms"], unpaid=True, since="2026-10-01", until="2026-11-01"
    )
    assert query.units == ("sms", "calls")
    assert query.status == "unpaid"
    assert (query.since, query.until) == ("2026-10-01", "2026-11-01")
    assert build_query(paid=True).status == "paid"


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(UsageError) as excinfo:
        build_query(units=["sms", "fax"])
    assert "fax" in _usage_error(excinfo, "--unit")


def test_paid_and_unpaid_together_are_refused() -> None:
    with pytest.raises(UsageError) as excinfo:
        build_query(paid=True, unpaid=True)
    _usage_error(excinfo, "--unpaid")


@pytest.mark.parametrize(
    ("since", "until"),
    [
        ("2026-11-01", "2026-10-01"),
        ("2026-11-01", "2026-11-01"),  # until is exclusive: an empty range is a mistake
        ("2026-11-01T12:00:00Z", "2026-11-01T13:00:00+02:00"),  # 11:00 UTC
    ],
)
def test_until_not_after_since_names_until(since: str, until: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        build_query(since=since, until=until)
    _usage_error(excinfo, "--until")


def test_bad_until_date_is_named_even_with_a_good_since() -> None:
    with pytest.raises(UsageError) as excinfo:
        build_query(since="2026-11-01", until="2026-02-30")
    _usage_error(excinfo, "--until")


# -- which view -------------------------------------------------------------------------------

_PLAIN = {"limit": None, "all_": False, "fmt": "table"}


def test_view_selection() -> None:
    assert check_view(summary=False, by=None, chart=False, **_PLAIN) == "records"
    assert check_view(summary=True, by=None, chart=False, **_PLAIN) == "summary"
    assert check_view(summary=False, by="month", chart=False, **_PLAIN) == "summary"
    assert check_view(summary=False, by=None, chart=True, **_PLAIN) == "chart"
    assert check_view(summary=True, by="week", chart=True, **_PLAIN) == "chart"
    assert check_view(summary=True, by=None, chart=False, **(_PLAIN | {"fmt": "json"})) == (
        "summary"
    )


@pytest.mark.parametrize(
    "machine",
    [{"fmt": "json"}, {"fmt": "csv"}],  # --json and --jq arrive as "json"
)
def test_chart_refuses_machine_formats(machine: dict[str, object]) -> None:
    with pytest.raises(UsageError) as excinfo:
        check_view(summary=False, by=None, chart=True, **(_PLAIN | machine))
    _usage_error(excinfo, "--chart")


def test_chart_with_table_format_is_fine() -> None:
    assert check_view(summary=False, by=None, chart=True, **(_PLAIN | {"fmt": "table"})) == (
        "chart"
    )


@pytest.mark.parametrize(("flags", "param"), [({"limit": 5}, "--limit"), ({"all_": True}, "--all")])
def test_limit_or_all_with_summary_is_refused(flags: dict[str, object], param: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        check_view(summary=True, by=None, chart=False, **(_PLAIN | flags))
    _usage_error(excinfo, param)


# -- chart ------------------------------------------------------------------------------------


def _money(amount: Decimal) -> str:
    return f"${amount:,.2f}"


def test_chart_lines_scale_to_the_largest_period() -> None:
    lines = chart_lines(
        [("2026-09", Decimal("10.00")), ("2026-10", Decimal("5.00")), ("2026-11", Decimal("0"))],
        _money,
        width=8,
    )
    assert lines == [
        "2026-09  ████████  $10.00",
        "2026-10  ████      $5.00",
        "2026-11            $0.00",
    ]


def test_chart_lines_use_eighth_blocks_and_align_labels() -> None:
    lines = chart_lines(
        [("2026-11-02", Decimal("8")), ("2026-11-09", Decimal("1"))], _money, width=2
    )
    assert lines == ["2026-11-02  ██  $8.00", "2026-11-09  ▎   $1.00"]


def test_chart_lines_all_zero_or_empty() -> None:
    assert chart_lines([], _money) == []
    assert chart_lines([("2026-11", Decimal("0"))], _money, width=3) == ["2026-11       $0.00"]


def test_chart_bars_alone() -> None:
    assert chart_bars([Decimal("4"), Decimal("1"), Decimal("0")], width=1) == ["█", "▎", ""]
    assert chart_bars([]) == []


# -- the prefetching worker (record paging: test_client_resources.py) -------------------------


def test_prefetched_yields_every_page_in_order() -> None:
    source = ([n] * 3 for n in range(50))
    with _prefetched(iter(source)) as ready:  # type: ignore[arg-type]
        assert list(ready) == [[n] * 3 for n in range(50)]


def test_prefetched_reraises_the_workers_error_in_the_consumer() -> None:
    def pages() -> Iterator[list[dict]]:
        yield [{"n": 1}]
        raise ServerError("the server fell over", status=500)

    with _prefetched(pages()) as ready:
        assert next(ready) == [{"n": 1}]
        with pytest.raises(ServerError, match="fell over"):
            next(ready)


def test_prefetched_worker_ends_when_the_consumer_stops_early() -> None:
    produced: list[int] = []

    def pages() -> Iterator[list[dict]]:
        for n in range(10_000):
            produced.append(n)
            yield [{"n": n}]

    before = {t.ident for t in threading.enumerate()}
    with _prefetched(pages(), depth=2) as ready:
        next(ready)
    workers = [t for t in threading.enumerate() if t.ident not in before]
    for worker in workers:
        worker.join(timeout=5)
        assert not worker.is_alive()
    # Bounded read-ahead: the worker stopped a few pages past what was consumed.
    assert len(produced) <= 5


def test_the_unit_choices_are_the_apis_units() -> None:
    # Typer needs the choices as a type at import; the values themselves are api.rules'.
    from chathq_cli.api.rules import UNITS
    from chathq_cli.commands.usage._view import UnitChoice

    assert tuple(UnitChoice) == UNITS


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"status": "paid"}, "paid"),
        ({"unpaid": True}, "unpaid"),
        ({"status": "unpaid", "unpaid": True}, "unpaid"),  # saying it twice is fine
        ({}, None),
    ],
)
def test_status_and_its_shorthands(kwargs: dict, status: str | None) -> None:
    # --status means "only items in this state" here as in billing invoices; --paid and
    # --unpaid stay as shorthands (`portal usage --unit sms --unpaid` works as written).
    assert build_query(**kwargs).status == status


def test_a_status_and_a_contradicting_shorthand_are_refused() -> None:
    with pytest.raises(UsageError) as caught:
        build_query(status="paid", unpaid=True)
    assert caught.value.param == "--status"
