"""`portal usage` and `portal usage guard`: a bad value is exit 2 before any request (these run
signed out, so a request would be exit 4), and the JSON error names what the user typed."""

from __future__ import annotations

import json

import pytest

from support.inprocess import Portal


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (("usage", "--since", "2026-13-01"), "--since"),
        (("usage", "--until", "the-day-before"), "--until"),
        (("usage", "--since", "2026-02-01", "--until", "2026-01-01"), "--until"),
        (("usage", "--limit", "0"), "--limit"),
        (("usage", "--limit", "5", "--all"), "--limit"),
        (("usage", "--unit", "fax"), "--unit"),
        (("usage", "--paid", "--unpaid"), "--unpaid"),
        (("usage", "--summary", "--all"), "--all"),
        (("usage", "guard", "--max-unpaid", "ten"), "--max-unpaid"),
        (("usage", "guard", "--max-amount", "-5"), "--max-amount"),
        (("usage", "guard", "--max-unpaid", "1", "--unit", "fax"), "--unit"),
        (("usage", "guard", "--max-unpaid", "1", "--since", "2026-02-30"), "--since"),
    ],
)
def test_bad_input_names_the_flag_in_json(
    portal: Portal, args: tuple[str, ...], param: str
) -> None:
    result = portal.run(*args, "--json", exit_code=2)
    error = json.loads(result.stderr)["error"]
    assert error["type"] == "usage_error"
    assert error["param"] == param
    assert param in error["message"]
    assert result.stdout == ""
