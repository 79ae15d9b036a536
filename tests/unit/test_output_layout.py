"""Terminal tables fit 80 and 120 columns: whole headers, no line too wide, the right columns."""

from __future__ import annotations

import re

import pytest
from _output_helpers import (
    ACCOUNT_ROW,
    ACCT,
    ORG,
    PLAN_COLUMNS,
    PLAN_ROWS,
    SGR,
    make_env,
    make_output,
    stderr_of,
    stdout_of,
)

from chathq_cli.output import Column
from chathq_cli.output._layout import GAP, plan_table

INVOICE = "in_" + "Pw4Xk7Bz1Mr9Ce3Ls6Dq"

# The column sets the commands use today (src/chathq_cli/commands), with realistic rows.
ACCOUNT_COLUMNS = [
    Column("id", "ID", "id"),
    Column("name", "Name"),
    Column("org_id", "Org", "id"),
    Column("plan", "Plan"),
    Column("role", "Role"),
    Column("status", "Status"),
    Column("created_at", "Created", "time"),
]
ACCOUNT_ROWS = [
    ACCOUNT_ROW,
    {
        "id": "acct_" + "A" * 20,
        "name": "Staging",
        "org_id": ORG,
        "plan": "connect",
        "role": "admin",
        "status": "active",
        "created_at": "2026-01-02T03:04:05Z",
    },
]
USAGE_COLUMNS = [
    Column("occurred_at", "Time", "time"),
    Column("unit", "Unit"),
    Column("description", "Description"),
    Column("quantity", "Quantity", "int"),
    Column("unit_price.amount", "Unit price", "money"),
    Column("amount.amount", "Amount", "money"),
    Column("status", "Status"),
    Column("invoice", "Invoice", "id"),
]
USAGE_ROWS = [
    {
        "occurred_at": "2026-11-15T12:34:56Z",
        "unit": unit,
        "description": "Outbound SMS to +44 7700 900123 from the appointment reminder bot",
        "quantity": 1234,
        "unit_price": {"amount": "0.01", "currency": "usd"},
        "amount": {"amount": "1234.56", "currency": "usd"},
        "status": "unpaid",
        "invoice": INVOICE,
    }
    for unit in ("sms", "calls", "chat", "numbers")
]
ORG_COLUMNS = [
    Column("id", "ID", "id"),
    Column("name", "Name"),
    Column("role", "Role"),
    Column("legal_name", "Legal name"),
    Column("billing_email", "Billing e-mail"),
    Column("address", "Address"),
    Column("tax_id", "Tax ID"),
    Column("created_at", "Created", "time"),
]
ORG_ROWS = [
    {
        "id": ORG,
        "name": "Acme",
        "role": "owner",
        "legal_name": "Acme Incorporated Holdings (Europe) Limited",
        "billing_email": "accounts-payable@acme-holdings.example.com",
        "address": "1 Long Street, Floor 12, Suite 1200, London EC1A 1BB, United Kingdom",
        "tax_id": "GB123456789",
        "created_at": "2026-01-02T03:04:05Z",
    }
]
TABLES = {
    "account list": (ACCOUNT_COLUMNS, ACCOUNT_ROWS),
    "usage": (USAGE_COLUMNS, USAGE_ROWS),
    "billing plans": (PLAN_COLUMNS, PLAN_ROWS),
    "org list": (ORG_COLUMNS, ORG_ROWS),
}


def render(columns: list[Column], rows: list[dict], width: int) -> list[str]:
    out, env = make_output(env=make_env(stdout_isatty=True, columns=width), no_color=True)
    out.list(rows, columns)
    assert stderr_of(env) == ""
    return SGR.sub("", stdout_of(env)).splitlines()


def is_record_view(lines: list[str], columns: list[Column]) -> bool:
    return lines[0].startswith(columns[0].header + " ") and "─" not in "".join(lines)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", list(TABLES))
def test_tables_fit_the_width_with_whole_headers(name: str, width: int) -> None:
    columns, rows = TABLES[name]
    lines = render(columns, rows, width)
    too_wide = [line for line in lines if len(line) > width]
    assert not too_wide, "\n".join(lines)
    if is_record_view(lines, columns):
        keys = {line.split("  ")[0].strip() for line in lines if line.strip()}
        assert {c.header for c in columns} <= keys
        return
    header, rule = lines[0], lines[1]
    assert set(rule) == {"─"}, "\n".join(lines)
    # Every header shown is whole on the header line (none split into letters or lines),
    # and the first column, the essential one, is always there.
    assert header.startswith(columns[0].header)
    shown = [c.header for c in columns if re.search(rf"(^|  ){re.escape(c.header)}(  |$)", header)]
    assert len(shown) >= 2, header
    rest = " ".join(header.split())
    for title in shown:
        rest = rest.replace(title, "", 1)
    assert not rest.strip(), f"header line has pieces of headers: {header!r}"


def test_account_list_at_80_leaves_out_the_org_id_and_time_but_keeps_names() -> None:
    lines = render(ACCOUNT_COLUMNS, ACCOUNT_ROWS, 80)
    header = lines[0].split()
    assert header == ["ID", "Name", "Plan", "Role", "Status"]
    text = "\n".join(lines)
    assert ACCT in text and ORG not in text
    # The long name folds onto more lines instead of being cut.
    assert "(EMEA customer support and sales)" in " ".join(" ".join(lines).split())


def test_account_list_at_120_keeps_more_columns_than_at_80() -> None:
    header = render(ACCOUNT_COLUMNS, ACCOUNT_ROWS, 120)[0]
    assert "Org" in header.split() and "Created" in header.split()


def test_usage_at_80_keeps_time_and_amount_drops_the_invoice_first() -> None:
    header = render(USAGE_COLUMNS, USAGE_ROWS, 80)[0].split("  ")
    titles = [t.strip() for t in header if t.strip()]
    assert titles[0] == "Time" and "Amount" in titles and "Description" in titles
    assert "Invoice" not in titles
    wide = [t.strip() for t in render(USAGE_COLUMNS, USAGE_ROWS, 200)[0].split("  ") if t.strip()]
    assert wide == [c.header for c in USAGE_COLUMNS]


def test_ids_times_and_amounts_are_never_split() -> None:
    text = "\n".join(render(USAGE_COLUMNS, USAGE_ROWS, 80))
    assert "in 34 minutes" in text and "$1,234.56" in text and "$0.01" in text


def test_priority_hints_choose_what_goes_first() -> None:
    columns = [
        Column("id", "ID", "id", priority=4),
        Column("name", "Name", priority=1),
        Column("org_id", "Org", "id", priority=2),
    ]
    header = render(columns, ACCOUNT_ROWS, 45)[0].split()
    assert header == ["Name", "Org"]


def test_ellipsis_columns_stay_on_one_line() -> None:
    columns = [Column("id", "ID", "id"), Column("name", "Name", overflow="ellipsis")]
    lines = render(columns, ACCOUNT_ROWS[:1], 50)
    assert len(lines) == 3 and lines[2].rstrip().endswith("…")


def test_min_width_hint_is_respected_before_leaving_columns_out() -> None:
    wide_name = [Column("id", "ID", "id"), Column("name", "Name", min_width=40)]
    layout = plan_table(wide_name, [[ACCT, ACCOUNT_ROWS[0]["name"]]], 70)
    assert layout is not None and layout.widths == (25, 43)
    # At 60 the name would have to go, and a table of the ID alone says less than one
    # block per row: records. The same with the name essential and 40 wide.
    assert plan_table(wide_name, [[ACCT, ACCOUNT_ROWS[0]["name"]]], 60) is None
    essential = [Column("id", "ID", "id"), Column("name", "Name", priority=1, min_width=40)]
    assert plan_table(essential, [[ACCT, ACCOUNT_ROWS[0]["name"]]], 60) is None


def test_layout_uses_natural_widths_when_they_fit() -> None:
    columns = [Column("a", "A"), Column("b", "Bee")]
    layout = plan_table(columns, [["x", "yy"], ["xxx", "y"]], 80)
    assert layout is not None
    assert layout.indexes == (0, 1) and layout.widths == (3, 3)
    assert layout.total_width == 3 + GAP + 3


def test_wide_characters_are_measured_in_cells() -> None:
    columns = [Column("id", "ID", "id"), Column("name", "Name")]
    lines = render(columns, [{"id": ACCT, "name": "株式会社アクメ" * 6}], 60)
    from rich.cells import cell_len

    assert all(cell_len(line) <= 60 for line in lines), lines


def test_record_view_when_even_the_essential_columns_do_not_fit() -> None:
    columns = [Column("id", "ID", "id"), Column("org_id", "Org", "id", priority=1)]
    lines = render(columns, ACCOUNT_ROWS, 40)
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].split() == ["ID", ACCT]
    assert lines[1].split() == ["Org", ORG]
    assert lines[2].strip() == ""  # a blank line between records
    assert lines[3].split() == ["ID", "acct_" + "A" * 20]


def test_object_view_at_80_folds_long_values_under_whole_keys() -> None:
    out, env = make_output(env=make_env(stdout_isatty=True, columns=80), no_color=True)
    fields = [
        Column("id", "ID", "id"),
        Column("address", "Address"),
        Column("cancel_at_period_end", "Cancels at period end", "bool"),
    ]
    row = {**ORG_ROWS[0], "address": "Suite 1200, " * 12, "cancel_at_period_end": False}
    out.object(row, fields)
    lines = SGR.sub("", stdout_of(env)).splitlines()
    assert all(len(line) <= 80 for line in lines), lines
    assert lines[0].startswith("ID ") and lines[-1].startswith("Cancels at period end  no")
    assert sum(1 for line in lines if "Suite 1200" in line) >= 2  # folded, nothing lost
    assert " ".join(" ".join(lines).split()).count("Suite 1200,") == 12


def test_progress_bar_fits_80_columns() -> None:
    out, env = make_output(env=make_env(stderr_isatty=True, columns=80), no_color=True)
    with out.progress("Fetching usage records", 1_000_000) as advance:
        advance(999_999)
    drawn = SGR.sub("", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stderr_of(env)))
    assert "999999/1000000" in drawn
    assert all(len(line) <= 80 for line in re.split(r"[\r\n]", drawn))


def test_messages_on_stderr_are_never_hard_wrapped() -> None:
    out, env = make_output(env=make_env(stderr_isatty=True, columns=80), no_color=True)
    long = "the export could not be written because " + "the disk is full " * 6
    out.warn(long)
    assert stderr_of(env).count("\n") == 1  # the terminal wraps it; we insert no breaks
