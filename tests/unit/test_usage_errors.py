"""Usage errors from the parser: one line, and `param` is what the user typed (the flag of an
option, the metavar of an argument), in the text and the JSON form alike."""

from __future__ import annotations

import json

import pytest
from _output_helpers import fresh_process  # noqa: F401 - fixture

from chathq_cli import __main__ as entry

pytestmark = pytest.mark.usefixtures("fresh_process")


def portal(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = entry.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["me", "theme"], "Missing argument 'THEME'."),
        (
            ["team", "set-role", "mem_1"],
            "Missing argument 'ROLE'. Choose from: owner, admin, member",
        ),
    ],
)
def test_a_missing_choice_argument_is_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = portal(capsys, *args)
    assert (code, out) == (2, "")
    assert err.splitlines()[0] == f"error: {message}"
    assert "\\n" not in err and "\\t" not in err


@pytest.mark.parametrize(
    ("args", "param"),
    [
        (["team", "set-role", "--json"], "MEMBER"),
        (["team", "set-role", "mem_1", "--json"], "ROLE"),
        (["me", "theme", "pink", "--json"], "THEME"),
        (["usage", "--unit", "bogus", "--json"], "--unit"),
        (["secrets", "add", "--json"], "NAME"),
        (["account", "list", "--bogus", "--json"], "--bogus"),
    ],
    ids=" ".join,
)
def test_param_is_the_flag_or_the_metavar(
    capsys: pytest.CaptureFixture[str], args: list[str], param: str
) -> None:
    code, out, err = portal(capsys, *args)
    assert (code, out) == (2, "")
    assert json.loads(err)["error"]["param"] == param


@pytest.mark.parametrize(
    "args",
    [["--json", "account", "list"], ["account", "--json", "list"]],
    ids=" ".join,
)
def test_a_command_flag_before_the_command_says_where_it_goes(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = portal(capsys, *args)
    assert (code, out) == (2, "")
    error = json.loads(err)["error"]  # --json still chose the error format
    assert error["message"] == "--json goes after the command: `portal account list --json`"
    assert error["param"] == "--json"
    assert "Possible options" not in err


def test_a_misplaced_flag_in_text_names_the_command_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = portal(capsys, "--jq", ".id", "account", "show")
    assert code == 2
    assert err.splitlines() == [
        "error: --jq goes after the command: `portal account show --jq`",
        "hint: portal account show --help",
    ]
