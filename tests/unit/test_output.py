"""Output modes and formatters as pure functions, with injected streams (no terminal)."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from _output_helpers import make_env, make_output, stderr_of, stdout_of

from chathq_cli import errors, output
from chathq_cli.cli import environment
from chathq_cli.output import Column, Output, format_money, format_time
from chathq_cli.output._format import escape_control, get_path, plain_cell, table_cell

COLUMNS = [
    Column("id", "ID", "id"),
    Column("name", "Name"),
    Column("price", "Price", "money"),
    Column("quantity", "Qty", "int"),
    Column("created_at", "Created", "time"),
    Column("active", "Active", "bool"),
    Column("meta", "Meta"),
]
ROWS = [
    {
        "id": "acct_1",
        "name": "Acme\tProd",
        "price": {"amount": "1234.5", "currency": "usd"},
        "quantity": 12000,
        "created_at": "2026-11-15T12:00:00Z",
        "active": True,
        "meta": {"a": 1},
    },
    {
        "id": "acct_2",
        "name": "Globex",
        "price": {"amount": "-3", "currency": "eur"},
        "quantity": 1,
        "created_at": "2026-01-02T03:04:05+02:00",
        "active": False,
        "meta": None,
    },
]


# -- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        ("1234.56", "usd", "$1,234.56"),
        ("1234.5", "usd", "$1,234.50"),
        ("-3", "usd", "-$3.00"),
        ("0", "usd", "$0.00"),
        ("0.01", "usd", "$0.01"),
        ("0.0125", "usd", "$0.0125"),  # unit prices keep their precision
        ("0.0100", "usd", "$0.01"),
        ("1E+3", "usd", "$1,000.00"),
        ("1234567.891", "usd", "$1,234,567.891"),
        ("1234.56", "eur", "1,234.56 EUR"),
        ("-2", "gbp", "-2.00 GBP"),
        (Decimal("19.99"), "USD", "$19.99"),
    ],
)
def test_format_money(amount: str | Decimal, currency: str, expected: str) -> None:
    assert format_money(amount, currency) == expected


def test_format_money_refuses_floats() -> None:
    with pytest.raises(TypeError):
        format_money(0.1)  # type: ignore[arg-type]


# -- times, paths, escaping ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-15T12:00:00Z", "2026-11-15 12:00 UTC"),
        ("2026-11-15T12:00:59.999Z", "2026-11-15 12:00 UTC"),
        ("2026-01-02T03:04:05+02:00", "2026-01-02 01:04 UTC"),
        ("2026-11-15T12:00:00", "2026-11-15 12:00 UTC"),  # naive: the API speaks UTC
        ("2026-11-15", "2026-11-15"),
        ("not a time", "not a time"),
    ],
)
def test_format_time(value: str, expected: str) -> None:
    assert format_time(value) == expected


def test_get_path_follows_dots_and_tolerates_gaps() -> None:
    row = {"price": {"amount": "1.00"}, "plan": "connect"}
    assert get_path(row, "price.amount") == "1.00"
    assert get_path(row, "plan") == "connect"
    assert get_path(row, "price.currency") is None
    assert get_path(row, "plan.name") is None
    assert get_path(row, "missing.deeper") is None


def test_escape_control_makes_terminal_escapes_visible() -> None:
    hostile = "bad\x1b[2Jname\r\n\x07\x9b\u202etxt"
    escaped = escape_control(hostile)
    assert escaped == "bad\\x1b[2Jname\\r\\n\\x07\\x9b\\u202etxt"
    assert escape_control("a\nb", keep_newlines=True) == "a\nb"
    assert escape_control("plain • text…") == "plain • text…"


def test_cells_for_people_and_for_machines() -> None:
    row = ROWS[0]
    by_key = {c.key: c for c in COLUMNS}
    assert table_cell(row, by_key["price"]) == "$1,234.50"
    assert plain_cell(row, by_key["price"]) == "1234.5"
    assert table_cell(row, by_key["quantity"]) == "12,000"
    assert plain_cell(row, by_key["quantity"]) == "12000"
    assert table_cell(row, by_key["created_at"]) == "2026-11-15 12:00 UTC"
    assert plain_cell(row, by_key["created_at"]) == "2026-11-15T12:00:00Z"
    assert table_cell(row, by_key["active"]) == "yes"
    assert plain_cell(row, by_key["active"]) == "true"
    assert table_cell(row, by_key["meta"]) == '{"a":1}'
    assert table_cell(ROWS[1], by_key["meta"]) == "-"
    assert plain_cell(ROWS[1], by_key["meta"]) == ""


def test_money_column_on_a_bare_amount_uses_the_sibling_currency() -> None:
    row = {"total": {"amount": "10.5", "currency": "eur"}, "fee": "2"}
    assert table_cell(row, Column("total.amount", "Total", "money")) == "10.50 EUR"
    assert plain_cell(row, Column("total.amount", "Total", "money")) == "10.5"
    assert table_cell(row, Column("fee", "Fee", "money")) == "$2.00"
    assert table_cell({"fee": None}, Column("fee", "Fee", "money")) == "-"


# -- list ----------------------------------------------------------------------------------


def test_list_piped_table_is_tsv_with_a_header_and_no_decoration() -> None:
    out, env = make_output()
    out.list(ROWS, COLUMNS)
    lines = stdout_of(env).splitlines()
    assert lines[0] == "ID\tName\tPrice\tPrice currency\tQty\tCreated\tActive\tMeta"
    # The tab inside a name is escaped so the row keeps its shape; money is a plain decimal
    # and its currency.
    assert lines[1] == (
        'acct_1\tAcme\\tProd\t1234.5\tusd\t12000\t2026-11-15T12:00:00Z\ttrue\t{"a":1}'
    )
    assert lines[2].split("\t") == [
        "acct_2",
        "Globex",
        "-3",
        "eur",
        "1",
        "2026-01-02T03:04:05+02:00",
        "false",
        "",
    ]
    assert "\x1b" not in stdout_of(env)
    assert stderr_of(env) == ""


def test_list_piped_table_with_no_rows_prints_just_the_header() -> None:
    out, env = make_output()
    out.list([], COLUMNS)
    assert stdout_of(env) == "ID\tName\tPrice\tPrice currency\tQty\tCreated\tActive\tMeta\n"


def test_list_on_a_terminal_is_a_rich_table_for_people() -> None:
    out, env = make_output(env=make_env(stdout_isatty=True, columns=200), no_color=True)
    out.list(ROWS, COLUMNS)
    text = stdout_of(env)
    assert "ID" in text and "Created" in text
    assert "$1,234.50" in text and "-3.00 EUR" in text
    # Times relative to the clock (the sandbox's, 2026-11-15T12:00:00Z), as gh shows them.
    assert "less than a minute ago" in text and "10 months ago" in text
    assert "2026-11-15" not in text
    assert "yes" in text and "no" in text
    assert "Acme\\tProd" in text


def test_list_on_a_terminal_with_no_rows_says_so_on_stderr() -> None:
    out, env = make_output(env=make_env(stdout_isatty=True))
    out.list([], COLUMNS)
    assert stdout_of(env) == ""
    assert stderr_of(env) == "No results.\n"


def test_list_json_is_an_array_of_the_api_objects() -> None:
    out, env = make_output(fmt="json")
    out.list(ROWS, COLUMNS)
    assert json.loads(stdout_of(env)) == ROWS
    assert stdout_of(env).startswith("[\n  {\n    ")


def test_list_json_of_nothing_is_an_empty_array() -> None:
    out, env = make_output(fmt="json")
    out.list(iter([]), COLUMNS)
    assert stdout_of(env) == "[]\n"


def test_list_json_streams_rows_as_they_come() -> None:
    out, env = make_output(fmt="json")
    seen_before_next_row: list[str] = []

    def rows():
        for i in range(3):
            seen_before_next_row.append(stdout_of(env))
            yield {"id": f"ur_{i}"}

    out.list(rows(), [Column("id", "ID")])
    # Before the 3rd row is produced, the first two are already written.
    assert '"ur_1"' in seen_before_next_row[2]
    assert json.loads(stdout_of(env)) == [{"id": "ur_0"}, {"id": "ur_1"}, {"id": "ur_2"}]


def test_list_csv_uses_keys_as_header_and_plain_values() -> None:
    out, env = make_output(fmt="csv")
    out.list(ROWS, COLUMNS)
    parsed = list(csv.reader(io.StringIO(stdout_of(env))))
    assert parsed[0] == [
        "id",
        "name",
        "price.amount",
        "price.currency",
        "quantity",
        "created_at",
        "active",
        "meta",
    ]
    assert parsed[1] == [
        "acct_1",
        "Acme\tProd",
        "1234.5",
        "usd",
        "12000",
        "2026-11-15T12:00:00Z",
        "true",
        '{"a":1}',
    ]
    assert parsed[2][2] == "-3"


def test_list_with_jq_filters_the_json_document() -> None:
    out, env = make_output(jq=".[] | .name")
    out.list(ROWS, COLUMNS)
    # Strings raw (like jq -r / gh --jq) when piped.
    assert stdout_of(env) == "Acme\tProd\nGlobex\n"


def test_jq_prints_non_strings_as_compact_json() -> None:
    out, env = make_output(jq="[.[] | {id, active}]")
    out.list(ROWS, COLUMNS)
    assert stdout_of(env) == '[{"id":"acct_1","active":true},{"id":"acct_2","active":false}]\n'


def test_jq_implies_json_whatever_the_preferred_format() -> None:
    out, _ = make_output(preferred="csv", jq=".")
    assert out.fmt == "json"


def test_jq_strings_are_escaped_on_a_terminal() -> None:
    out, env = make_output(env=make_env(stdout_isatty=True), jq=".")
    out.write_json("evil\x1b]0;title\x07")
    assert stdout_of(env) == "evil\\x1b]0;title\\x07\n"


def test_jq_syntax_error_is_a_usage_error_naming_jq() -> None:
    out, _ = make_output(jq=".[")
    with pytest.raises(errors.UsageError) as caught:
        out.compile_jq()
    assert caught.value.param == "--jq"
    assert caught.value.message.startswith("invalid --jq expression: jq: error")
    assert "\n" not in caught.value.message


def test_jq_runtime_error_is_a_usage_error_and_prints_nothing() -> None:
    out, env = make_output(jq=".name")
    with pytest.raises(errors.UsageError) as caught:
        out.write_json([1, 2])
    assert caught.value.param == "--jq"
    assert "Cannot index array" in caught.value.message
    assert stdout_of(env) == ""


# -- object, value, write_json -----------------------------------------------------------------


def test_object_json_keeps_the_api_field_names() -> None:
    out, env = make_output(fmt="json")
    out.object(ROWS[0], COLUMNS[:2])
    assert json.loads(stdout_of(env)) == ROWS[0]


def test_object_piped_is_key_tab_value_lines() -> None:
    out, env = make_output()
    out.object(ROWS[0], [Column("id", "ID"), Column("price", "Price", "money")])
    assert stdout_of(env) == "ID\tacct_1\nPrice\t1234.5\nPrice currency\tusd\n"


def test_object_on_a_terminal_is_a_key_value_view() -> None:
    out, env = make_output(env=make_env(stdout_isatty=True), no_color=True)
    out.object({"id": "acct_1", "balance": {"amount": "5", "currency": "usd"}, "paid_at": None})
    # NO_COLOR removes colours; bold (the keys) may stay.
    plain = re.sub(r"\x1b\[[0-9;]*m", "", stdout_of(env))
    lines = [line.rstrip() for line in plain.splitlines()]
    assert lines == ["Id       acct_1", "Balance  $5.00", "Paid at  -"]


def test_object_csv_is_one_header_and_one_row() -> None:
    out, env = make_output(fmt="csv")
    out.object({"id": "acct_1", "name": "Acme"})
    assert stdout_of(env) == "id,name\nacct_1,Acme\n"


def test_value_is_one_bare_line() -> None:
    out, env = make_output(fmt="json")
    out.value("acct_1")
    assert stdout_of(env) == "acct_1\n"


def test_write_json_is_indented_and_terminal_safe() -> None:
    out, env = make_output()
    out.write_json({"name": "a\x9bb", "n": Decimal("1.50")})
    text = stdout_of(env)
    assert "\x9b" not in text
    assert json.loads(text) == {"name": "a\x9bb", "n": "1.50"}
    assert text.startswith("{\n  ")


# -- messages and errors ---------------------------------------------------------------------


def test_messages_go_to_stderr_only() -> None:
    out, env = make_output()
    out.success("done")
    out.info("note")
    out.warn("careful")
    out.hint("portal auth login")
    out.debug("> GET /v1/me")  # dropped: debug is off
    assert stdout_of(env) == ""
    assert stderr_of(env) == "done\nnote\nwarning: careful\nhint: portal auth login\n"


def test_debug_lines_only_with_debug() -> None:
    out, env = make_output(debug=True)
    out.debug("< 200 OK (3 ms)")
    assert stderr_of(env) == "< 200 OK (3 ms)\n"


def test_colour_on_a_terminal_and_never_with_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    out, env = make_output(env=make_env(stderr_isatty=True))
    out.error(errors.UsageError("bad"))
    assert "\x1b[" in stderr_of(env)
    out, env = make_output(env=make_env(stderr_isatty=True), no_color=True)
    out.error(errors.UsageError("bad"))
    assert "\x1b[" not in stderr_of(env)


@pytest.mark.parametrize("variable", ["NO_COLOR", "PORTAL_NO_COLOR"])
def test_no_color_environment_is_honoured(monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv(variable, "1")
    from chathq_cli.cli import runtime as frame_runtime

    environment.set_current(environment.Environment(term=make_env(stderr_isatty=True)))
    out = frame_runtime.runtime().out  # the frame reads the environment and tells the Output
    env = out.env
    assert out.no_color
    out.warn("x")
    assert stderr_of(env) == "warning: x\n"


def test_error_is_one_line_plus_hint() -> None:
    out, env = make_output()
    out.error(
        errors.AuthRequired("not signed in to http://127.0.0.1:8787", hint="portal auth login")
    )
    assert (
        stderr_of(env) == "error: not signed in to http://127.0.0.1:8787\nhint: portal auth login\n"
    )
    assert stdout_of(env) == ""


def test_error_escapes_control_characters_from_the_server() -> None:
    out, env = make_output()
    out.error(errors.NotFound("no account \x1b[31mred\nsecond line", status=404))
    assert stderr_of(env) == "error: no account \\x1b[31mred\\nsecond line\n"


def test_error_in_json_mode_is_exactly_one_json_object() -> None:
    out, env = make_output(fmt="json")
    err = errors.InvalidRequest(
        "until must be after since",
        status=400,
        type="invalid_request_error",
        code="invalid_range",
        param="until",
        request_id="req_123",
        hint="not shown in JSON",
    )
    out.error(err)
    text = stderr_of(env)
    assert text.count("\n") == 1
    assert json.loads(text) == {
        "error": {
            "type": "invalid_request_error",
            "code": "invalid_range",
            "message": "until must be after since",
            "param": "until",
            "request_id": "req_123",
        }
    }
    assert stdout_of(env) == ""


def test_error_fields_of_a_foreign_exception() -> None:
    assert output.error_fields(ValueError("boom")) == {
        "type": "cli_error",
        "code": None,
        "message": "boom",
        "param": None,
        "request_id": None,
    }


def test_error_with_debug_shows_the_traceback_and_request_id() -> None:
    out, env = make_output(debug=True)
    try:
        raise errors.ServerError("boom", status=500, request_id="req_9")
    except errors.ServerError as err:
        out.error(err)
    text = stderr_of(env)
    assert text.startswith("Traceback (most recent call last):")
    assert "error: boom\n" in text
    assert text.endswith("request-id: req_9\n")


def test_error_without_debug_has_no_traceback() -> None:
    out, env = make_output()
    try:
        raise errors.ServerError("boom", status=500, request_id="req_9")
    except errors.ServerError as err:
        out.error(err)
    assert stderr_of(env) == "error: boom\n"


# -- progress and the process-wide Output -------------------------------------------------------


def test_progress_is_a_no_op_when_stderr_is_not_a_terminal() -> None:
    out, env = make_output()
    with out.progress("Downloading", total=3) as advance:
        advance(1)
        advance(2)
    assert stderr_of(env) == ""


def test_progress_draws_on_a_terminal() -> None:
    out, env = make_output(env=make_env(stderr_isatty=True))
    with out.progress("Downloading", total=2) as advance:
        advance(2)
    assert stdout_of(env) == ""
    assert "Downloading" in stderr_of(env)


def test_current_defaults_then_follows_set_current(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(output, "_current", None)
    assert not output.has_current()
    default = output.current()
    assert isinstance(default, Output)
    assert output.current() is default
    mine = Output(env=make_env())
    output.set_current(mine)
    assert output.current() is mine
    assert output.has_current()


def test_output_imports_neither_rich_nor_jq_until_needed() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import chathq_cli.output as o; o.Output(); "
        "print(sorted(m for m in ('rich', 'jq', 'httpx', 'pydantic') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_jq_alone_keeps_errors_as_text() -> None:
    out, env = make_output(jq=".id")
    out.error(errors.NotFound("no such account", status=404))
    assert stderr_of(env) == "error: no such account\n"
    out, env = make_output(fmt="json", jq=".id")
    out.error(errors.NotFound("no such account", status=404))
    assert json.loads(stderr_of(env))["error"]["message"] == "no such account"


# -- terminal safety in every format ---------------------------------------------------------

HOSTILE = "Acme\x1b]0;pwned\x07\x1b[2J\rEvil\x9b31m\u202eevil\x00"
SAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]")


@pytest.mark.parametrize("method", ["list", "object"])
def test_csv_escapes_control_characters_and_stays_valid(method: str) -> None:
    out, env = make_output(fmt="csv")
    row = {"id": "org_1", "name": HOSTILE, "note": 'line one\nline two\tend, "quoted"'}
    columns = [Column("id", "ID"), Column("name", "Name"), Column("note", "Note")]
    getattr(out, method)([row] if method == "list" else row, columns)
    text = stdout_of(env)
    assert not SAFE_TEXT.search(text), repr(text)
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == ["id", "name", "note"]
    assert parsed[1][1] == "Acme\\x1b]0;pwned\\x07\\x1b[2J\\rEvil\\x9b31m\\u202eevil\\x00"
    # Newline and tab are data CSV carries safely (quoted); they stay.
    assert parsed[1][2] == 'line one\nline two\tend, "quoted"'


def test_csv_header_keys_from_the_server_are_escaped_too() -> None:
    out, env = make_output(fmt="csv")
    out.object({"na\x1bme": "x"})
    assert stdout_of(env) == "na\\x1bme\nx\n"


@pytest.mark.parametrize("tty", [False, True])
def test_json_escapes_every_control_character(tty: bool) -> None:
    out, env = make_output(env=make_env(stdout_isatty=tty), fmt="json")
    out.list([{"name": HOSTILE}], [Column("name", "Name")])
    out.object({"name": HOSTILE})
    text = stdout_of(env)
    assert not SAFE_TEXT.search(text.replace("\n", "")), repr(text)
    first, second = text.split("]\n", 1)
    assert json.loads(first + "]") == [{"name": HOSTILE}]
    assert json.loads(second) == {"name": HOSTILE}


def test_jq_strings_piped_are_raw_but_terminal_safe() -> None:
    out, env = make_output(jq=".[]")
    out.write_json([HOSTILE, "two\nlines", "a\tb"])
    lines = stdout_of(env).split("\n")
    # Newlines and tabs stay (multi-line text, @tsv); every other control is escaped.
    assert lines[0] == "Acme\\x1b]0;pwned\\x07\\x1b[2J\\rEvil\\x9b31m\\u202eevil\\x00"
    assert lines[1:] == ["two", "lines", "a\tb", ""]


def test_jq_tsv_output_keeps_its_tabs() -> None:
    out, env = make_output(jq=".[] | [.id, .name] | @tsv")
    out.list(ROWS, COLUMNS)
    assert stdout_of(env).splitlines()[1] == "acct_2\tGlobex"


def test_rich_table_and_tsv_escape_control_characters() -> None:
    for tty in (False, True):
        out, env = make_output(env=make_env(stdout_isatty=tty), no_color=True)
        out.list([{"name": HOSTILE}], [Column("name", "Name")])
        assert "\x1b]" not in stdout_of(env) and "\r" not in stdout_of(env)
        assert "\x07" not in stdout_of(env) and "\x9b" not in stdout_of(env)


# -- nothing on stdout before the first request succeeded --------------------------------------


def _failing_rows():
    raise errors.NetworkError("could not reach the server")
    yield {}  # a generator: the request is made on the first next()


@pytest.mark.parametrize(
    ("fmt", "tty"), [("csv", False), (None, False), ("json", False), (None, True)]
)
def test_a_failing_first_request_leaves_stdout_empty(fmt: str | None, tty: bool) -> None:
    out, env = make_output(env=make_env(stdout_isatty=tty), fmt=fmt)
    with pytest.raises(errors.NetworkError):
        out.list(_failing_rows(), COLUMNS)
    assert stdout_of(env) == ""


def test_the_header_waits_for_the_first_row_then_streams() -> None:
    out, env = make_output(fmt="csv")
    seen: list[str] = []

    def rows():
        seen.append(stdout_of(env))  # before the first row: nothing yet
        yield {"id": "ur_0"}
        seen.append(stdout_of(env))  # the header and the first row are out
        yield {"id": "ur_1"}

    out.list(rows(), [Column("id", "ID")])
    assert seen == ["", "id\nur_0\n"]
    assert stdout_of(env) == "id\nur_0\nur_1\n"


@pytest.mark.parametrize(("fmt", "expected"), [("csv", "id,name\n"), (None, "ID\tName\n")])
def test_an_empty_result_still_prints_the_header(fmt: str | None, expected: str) -> None:
    out, env = make_output(fmt=fmt)
    out.list(iter([]), [Column("id", "ID"), Column("name", "Name")])
    assert stdout_of(env) == expected
