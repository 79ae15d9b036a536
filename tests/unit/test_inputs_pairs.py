"""inputs/pairs.py: KEY=VALUE and KEY=on|off arguments, every refusal naming the parameter."""

from __future__ import annotations

import pytest

from chathq_cli import errors
from chathq_cli.inputs.pairs import parse_pairs, parse_switch, parse_switches, snake_key

KEYS = ("assigned_tickets", "notes", "reminders")


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], {}),
        (["a=1", "b=2"], {"a": "1", "b": "2"}),
        (["url=https://x.test/?a=b"], {"url": "https://x.test/?a=b"}),  # split at the first '='
        (["empty="], {"empty": ""}),
        ([" key =value "], {"key": "value "}),  # the key is trimmed, the value kept as typed
        (["a=1", "a=1"], {"a": "1"}),  # the same pair twice is no conflict
    ],
)
def test_parse_pairs(items: list[str], expected: dict[str, str]) -> None:
    assert parse_pairs(items, "--set") == expected


@pytest.mark.parametrize(
    ("items", "says", "echoes"),
    [
        (["token"], "--set takes KEY=VALUE, with an '=' (got 'token')", True),
        (["sk_live_abc def ghi"], "--set takes KEY=VALUE, with an '='", False),
        (["=value"], "--set needs a KEY before the '='", False),
        (["a=1", "a=2"], "--set: a is given twice with different values", False),
        (["nope=1"], "--set: unknown key 'nope'; valid keys: assigned_tickets, notes", True),
    ],
)
def test_parse_pairs_refusals(items: list[str], says: str, echoes: bool) -> None:
    keys = KEYS if items == ["nope=1"] else None
    with pytest.raises(errors.UsageError) as caught:
        parse_pairs(items, "--set", keys=keys)
    assert caught.value.param == "--set"
    assert caught.value.message.startswith(says)
    assert ("sk_live" in caught.value.message) is False  # a value is never echoed
    assert (items[0] in caught.value.message or "nope" in caught.value.message) is echoes


@pytest.mark.parametrize(
    ("value", "expected"),
    [("on", True), ("OFF", False), (" yes ", True), ("no", False), ("true", True),
     ("False", False), ("maybe", None), ("", None), ("1", None)],
)  # fmt: skip
def test_parse_switch(value: str, expected: bool | None) -> None:
    assert parse_switch(value) is expected


def test_snake_key() -> None:
    assert snake_key(" Assigned-Tickets ") == "assigned_tickets"


def test_parse_switches_accepts_dashes_case_and_repeats() -> None:
    items = ["Assigned-Tickets=OFF", "notes=on", "notes=ON"]
    assert parse_switches(items, "KEY=VALUE", KEYS) == {"assigned_tickets": False, "notes": True}


@pytest.mark.parametrize(
    ("items", "says"),
    [
        ([], "KEY=VALUE: give at least one KEY=on|off (keys: assigned_tickets, notes, reminders)"),
        (["notes"], "KEY=VALUE takes KEY=on|off, with an '=' (got 'notes')"),
        (["sms=off"], "KEY=VALUE: unknown key 'sms'; valid keys: assigned_tickets"),
        (["notes=maybe"], "KEY=VALUE: notes takes on or off, not 'maybe'"),
        (["notes=on", "notes=off"], "KEY=VALUE: notes is given both on and off"),
    ],
)
def test_parse_switches_refusals_name_the_parameter(items: list[str], says: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        parse_switches(items, "KEY=VALUE", KEYS)
    assert caught.value.param == "KEY=VALUE"
    assert caught.value.message.startswith(says)
