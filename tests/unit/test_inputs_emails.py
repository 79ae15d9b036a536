"""Addresses and team references as people type them: the --from-file format, the whole-batch
check (first bad or repeated address, where it came from), MEMBER and the prefixed IDs."""

from __future__ import annotations

import pytest

from chathq_cli.errors import ExitCode, UsageError
from chathq_cli.inputs.emails import (
    address_problem,
    check_addresses,
    member_ref,
    read_addresses,
)


def _usage_error(excinfo: pytest.ExceptionInfo[UsageError], param: str) -> str:
    err = excinfo.value
    assert err.exit_code == ExitCode.USAGE
    assert err.param == param
    assert "\n" not in err.message
    return err.message


def test_read_addresses_skips_blanks_spaces_and_comments() -> None:
    text = "# team\n\n  ana@example.com  \nben@example.com # lead\n   # only a comment\n"
    assert read_addresses(text, "--from-file t.txt") == [
        ("ana@example.com", "--from-file t.txt line 3"),
        ("ben@example.com", "--from-file t.txt line 4"),
    ]
    assert read_addresses("", "--from-file stdin") == []


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("ana@example.com", None),
        ("bob@", "not a valid e-mail address"),
        ("no-at-sign", "not a valid e-mail address"),
        ("a b@example.com", "not a valid e-mail address"),
        ("a\x1b[2J@example.com", "control characters"),
        ("a\u200b@example.com", "control characters"),  # zero-width space
        ("a" * 250 + "@example.com", "not a valid e-mail address"),
    ],
)
def test_address_problem(address: str, problem: str | None) -> None:
    found = address_problem(address)
    assert found is None if problem is None else problem in (found or "")


def test_check_addresses_lower_cases_and_keeps_the_order() -> None:
    entries = [("Ana@Example.com", "EMAIL 1"), ("ben@example.com", "--from-file t line 1")]
    assert check_addresses(entries) == ["ana@example.com", "ben@example.com"]


@pytest.mark.parametrize(
    ("entries", "param", "mentions"),
    [
        ([], "EMAIL", "no address to invite"),
        ([("ok@example.com", "EMAIL 1"), ("bob@", "EMAIL 2")], "EMAIL", "EMAIL 2: 'bob@'"),
        ([("bob@", "--from-file t line 7")], "--from-file", "line 7"),
        (
            [("ana@example.com", "EMAIL 1"), ("ANA@example.com", "--from-file t line 2")],
            "--from-file",
            "listed twice (EMAIL 1 and --from-file t line 2)",
        ),
        ([("x" * 5000 + "@", "EMAIL 1")], "EMAIL", "…"),  # cut short: one readable line
    ],
)
def test_check_addresses_names_the_first_problem(
    entries: list[tuple[str, str]], param: str, mentions: str
) -> None:
    with pytest.raises(UsageError) as excinfo:
        check_addresses(entries)
    message = _usage_error(excinfo, param)
    assert mentions in message
    assert len(message) < 300


@pytest.mark.parametrize(
    ("ref", "parsed"),
    [
        ("mem_0123abcd", ("id", "mem_0123abcd")),
        ("  mem_0123abcd ", ("id", "mem_0123abcd")),
        ("Sam@Example.com", ("email", "sam@example.com")),
    ],
)
def test_member_ref(ref: str, parsed: tuple[str, str]) -> None:
    assert member_ref(ref) == parsed


@pytest.mark.parametrize("ref", ["sam", "", "mem_", "mem_a-b", "sam@", "s\x07m@example.com"])
def test_member_ref_refuses(ref: str) -> None:
    with pytest.raises(UsageError) as excinfo:
        member_ref(ref)
    assert "MEMBER" in _usage_error(excinfo, "MEMBER")
