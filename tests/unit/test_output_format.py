"""`choose_format`: the one place that turns the format flags and preference into a format."""

from __future__ import annotations

import pytest

from chathq_cli import errors
from chathq_cli.output import Output, choose_format


@pytest.mark.parametrize(
    ("fmt", "json", "jq", "preferred", "expected"),
    [
        (None, False, None, None, "table"),
        (None, False, None, "csv", "csv"),
        ("table", False, None, "json", "table"),  # a flag beats PORTAL_FORMAT / the config file
        (None, True, None, "csv", "json"),
        ("json", True, None, None, "json"),
        (None, False, ".name", "table", "json"),
        ("json", False, ".name", None, "json"),
    ],
)
def test_the_format_in_force(
    fmt: str | None, json: bool, jq: str | None, preferred: str | None, expected: str
) -> None:
    assert choose_format(fmt, json=json, jq=jq, preferred=preferred) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fmt", "json", "jq", "param"),
    [("csv", True, None, "--json"), ("table", True, None, "--json"), ("csv", False, ".", "--jq")],
)
def test_contradicting_flags_are_a_usage_error(
    fmt: str, json: bool, jq: str | None, param: str
) -> None:
    with pytest.raises(errors.UsageError) as caught:
        choose_format(fmt, json=json, jq=jq)  # type: ignore[arg-type]
    assert caught.value.param == param
    assert caught.value.exit_code == errors.ExitCode.USAGE


@pytest.mark.parametrize(
    ("kwargs", "json_errors"),
    [
        ({"json": True}, True),
        ({"fmt": "json"}, True),
        ({"preferred": "json"}, True),
        ({"jq": "."}, False),  # --jq shapes the data, not the errors (like gh)
        ({"fmt": "table", "preferred": "json"}, False),
    ],
)
def test_errors_are_json_only_when_json_was_asked_for(kwargs: dict, json_errors: bool) -> None:
    assert Output(**kwargs).json_errors is json_errors
