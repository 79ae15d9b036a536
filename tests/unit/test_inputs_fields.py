"""`portal api`'s -f/-F fields and -H headers, parsed as plain functions (inputs/fields.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chathq_cli import errors
from chathq_cli.inputs.fields import (
    as_params,
    build_fields,
    field_flags,
    parse_headers,
    shown_path,
    split_field,
)


def no_stdin() -> str:
    raise AssertionError("stdin must not be read")


@pytest.mark.parametrize(
    ("raw", "parts", "value"),
    [
        ("name=Acme", ["name"], "Acme"),
        ("name=", ["name"], ""),
        ("a=b=c", ["a"], "b=c"),
        ("a[b]=1", ["a", "b"], "1"),
        ("emails[]=x@y.test", ["emails", ""], "x@y.test"),
        ("a[b][]=v", ["a", "b", ""], "v"),
    ],
)
def test_split_field(raw: str, parts: list[str], value: str) -> None:
    assert split_field(raw, "-f") == (parts, value)


@pytest.mark.parametrize("raw", ["name", "=v", "x[=1", "a][=1", "a[][b]=1"])
def test_split_field_refuses_malformed_keys_naming_the_flag(raw: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        split_field(raw, "-F")
    assert caught.value.param == "-F"
    assert "-F" in caught.value.message


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (["on=true"], {"on": True}),
        (["off=false"], {"off": False}),
        (["none=null"], {"none": None}),
        (["n=-12"], {"n": -12}),
        (["x=1.5"], {"x": 1.5}),
        (["s=1e3"], {"s": "1e3"}),
        (["a[]=1", "a[]=2"], {"a": [1, 2]}),
        (["a[b]=1", "a[c]=x"], {"a": {"b": 1, "c": "x"}}),
    ],
)
def test_typed_fields_become_json_values(typed: list[str], expected: dict[str, Any]) -> None:
    assert build_fields([], typed, no_stdin) == expected


def test_raw_fields_stay_strings() -> None:
    assert build_fields(["n=1", "on=true"], [], no_stdin) == {"n": "1", "on": "true"}


def test_typed_at_file_reads_the_file(tmp_path: Path) -> None:
    body = tmp_path / "body.txt"
    body.write_text("hello\n", encoding="utf-8")
    assert build_fields([], [f"text=@{body}"], no_stdin) == {"text": "hello\n"}


def test_typed_at_dash_reads_stdin() -> None:
    assert build_fields([], ["text=@-"], lambda: "from stdin") == {"text": "from stdin"}


@pytest.mark.parametrize(
    ("raw", "typed", "flag"),
    [
        (["a=1", "a[b]=2"], [], "-f"),
        ([], ["a=1", "a[]=2"], "-F"),
    ],
)
def test_conflicting_shapes_name_the_flag(raw: list[str], typed: list[str], flag: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        build_fields(raw, typed, no_stdin)
    assert caught.value.param == flag


def test_as_params_repeats_list_keys() -> None:
    fields = {"unit": ["sms", "calls"], "paid": False, "cursor": None, "limit": 5}
    assert as_params(fields) == [
        ("unit", "sms"),
        ("unit", "calls"),
        ("paid", "false"),
        ("cursor", ""),
        ("limit", "5"),
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (["Accept: application/json"], {"Accept": "application/json"}),
        (["X-A:b", "X-C:  d  "], {"X-A": "b", "X-C": "d"}),
        (["X-Empty:"], {"X-Empty": ""}),
    ],
)
def test_parse_headers(raw: list[str], expected: dict[str, str]) -> None:
    assert parse_headers(raw) == expected


@pytest.mark.parametrize(
    "raw", ["no colon", ": value", "Bad Name: v", "X: a\r\nY: b", "X: caf\u00e9", "X: \x1b[2J"]
)
def test_parse_headers_refuses_bad_headers_naming_the_flag(raw: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        parse_headers([raw])
    assert caught.value.param == "-H"
    assert "-H" in caught.value.message


def test_a_nested_query_field_names_the_flag_that_gave_it() -> None:
    flags = field_flags(["unit=sms"], ["filter[unit]=sms"])
    assert flags == {"unit": "-f", "filter": "-F"}
    with pytest.raises(errors.UsageError) as caught:
        as_params({"unit": "sms", "filter": {"unit": "sms"}}, flags)
    assert caught.value.param == "-F"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("body.json", "'body.json'"),
        ("caf\udce9.txt", "'caf\\xe9.txt'"),
        ("a\x1bb\nc", "'a\\x1bb\\nc'"),
        ("café.txt", "'café.txt'"),
    ],
)
def test_shown_path_escapes(path: str, shown: str) -> None:
    assert shown_path(path) == shown


def test_shown_path_keeps_the_end_of_a_long_path() -> None:
    text = shown_path("/" + "d/" * 50 + "name.txt")
    assert text.startswith("'/d/d/") and text.endswith("/name.txt'") and "…" in text
    assert len(text) == 80 + 3


def test_a_typed_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(errors.UsageError) as caught:
        build_fields([], [f"text=@{latin1}"], no_stdin)
    assert caught.value.param == "-F"
    assert "latin1.txt" in caught.value.message and "UTF-8" in caught.value.message
