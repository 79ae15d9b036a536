"""`--since`/`--until` also take dates relative to now (7d, today, last-month...), counted in
UTC from the invocation's clock: here the sandbox's, 2026-11-15T12:00:00Z."""

from __future__ import annotations

from typing import Any

import pytest

from support.demo import OWNER
from support.inprocess import Portal


@pytest.mark.parametrize(
    ("relative", "absolute"),
    [
        (("--since", "7d"), ("--since", "2026-11-08T12:00:00Z")),
        (("--since", "36h"), ("--since", "2026-11-14T00:00:00Z")),
        (
            ("--since", "yesterday", "--until", "today"),
            ("--since", "2026-11-14", "--until", "2026-11-15"),
        ),
        (("--since", "this-month"), ("--since", "2026-11-01")),
        (
            ("--since", "last-month", "--until", "this-month"),
            ("--since", "2026-10-01", "--until", "2026-11-01"),
        ),
    ],
)
def test_usage_relative_dates_mean_the_same_as_their_absolute_form(
    portal: Portal, relative: tuple[str, ...], absolute: tuple[str, ...]
) -> None:
    portal.sign_in(OWNER)
    expected = portal.json("usage", "--all", *absolute)
    assert expected  # the demo data has usage in every window above
    assert portal.json("usage", "--all", *relative) == expected


def test_usage_summary_since_last_month_leaves_out_older_usage(portal: Portal) -> None:
    portal.sign_in(OWNER)
    everything = portal.json("usage", "--summary")["total"]["count"]
    recent = portal.json("usage", "--summary", "--since", "last-month")["total"]["count"]
    assert 0 < recent < everything


def test_invoices_since_a_relative_date(portal: Portal) -> None:
    portal.sign_in(OWNER)
    every: list[dict[str, Any]] = portal.json("billing", "invoices", "--all")
    recent = portal.json("billing", "invoices", "--since", "90d")
    assert recent == [inv for inv in every if inv["created_at"] >= "2026-08-17T12:00:00Z"]
    assert 0 < len(recent) < len(every)


def test_a_relative_until_not_after_since_is_refused_naming_until(portal: Portal) -> None:
    result = portal.run("usage", "--since", "today", "--until", "yesterday", exit_code=2)
    assert "--until" in result.stderr


def test_the_help_of_date_options_names_the_relative_forms(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in (("usage",), ("usage", "guard"), ("billing", "invoices")):
        portal.run(*command, "--help")
        text = capsys.readouterr().out  # Typer writes help to the process's stdout
        assert "7d" in text or "30d" in text, command
        assert "month" in text, command
