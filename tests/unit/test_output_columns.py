"""One column renderer: priorities from the column's key and kind, at 40, 80 and 120 columns.

IDs and e-mail addresses are never broken across lines and the row's ID is never left out;
long free text is cut with "…" on one line; names fold at word boundaries, and only when
there is no room; below the width the essential columns need, one block per row.
"""

from __future__ import annotations

import pytest
from _output_helpers import (
    ACCOUNT_ROW,
    ACCT,
    PLAN_COLUMNS,
    PLAN_ROWS,
    SGR,
    make_env,
    make_output,
    stderr_of,
    stdout_of,
)

from chathq_cli.output import Column
from chathq_cli.output._layout import plan_table, priority, role

KEY = "key_" + "Vb7Nq2Lx9Ws4Kd1Zp6Ty"  # IDs are a prefix and 20 characters
MEMBER = "mem_" + "Hc3Vn8Qd2Jf6Uy0TgA5e"

# `portal secrets list` on a terminal, with every column the command has.
SECRET_COLUMNS = [
    Column("id", "ID", "id"),
    Column("name", "Name"),
    Column("masked", "Key", "id"),
    Column("status", "Status"),
    Column("created_day", "Created", "id"),
    Column("expires_day", "Expires", "id"),
    Column("last_used_day", "Last used", "id"),
]
SECRET_ROWS = [
    {
        "id": KEY,
        "name": "Production webhook signer for the EMEA region",
        "masked": "sk_live_ab12…9f3a",
        "status": "active",
        "created_day": "2026-01-02",
        "expires_day": "2027-01-02",
        "last_used_day": "2026-11-14",
    },
    {
        "id": "key_" + "A" * 20,
        "name": "ci",
        "masked": "sk_test_cd34…0b1c",
        "status": "revoked",
        "created_day": "2026-02-03",
        "expires_day": None,
        "last_used_day": None,
    },
]
# `portal team list` with the ID: e-mail addresses of realistic and of unusual length.
TEAM_COLUMNS = [
    Column("id", "ID", "id"),
    Column("email", "E-mail"),
    Column("display_name", "Name"),
    Column("role", "Role"),
    Column("joined_at", "Joined", "time"),
]
LONG_EMAIL = "maria.gonzalez-fernandez@example.com"  # 36: wider than a record's value at 40
TEAM_ROWS = [
    {
        "id": MEMBER,
        "email": LONG_EMAIL,
        "display_name": "María González Fernández",
        "role": "admin",
        "joined_at": "2026-03-04T05:06:07Z",
    },
    {
        "id": "mem_" + "B" * 20,
        "email": "li.wei@example.org",
        "display_name": "Li Wei",
        "role": "member",
        "joined_at": "2026-03-05T05:06:07Z",
    },
]
ACCOUNT_COLUMNS = [
    Column("id", "ID", "id"),
    Column("name", "Name", priority=1),
    Column("org_id", "Org", "id"),
    Column("plan", "Plan"),
    Column("role", "Role"),
    Column("status", "Status"),
    Column("created_at", "Created", "time"),
]
ACCOUNT_ROWS = [ACCOUNT_ROW]


def render(columns: list[Column], rows: list[dict], width: int) -> list[str]:
    out, env = make_output(env=make_env(stdout_isatty=True, columns=width), no_color=True)
    out.list(rows, columns)
    assert stderr_of(env) == ""
    lines = SGR.sub("", stdout_of(env)).splitlines()
    assert all(len(line) <= width for line in lines), "\n".join(lines)
    return lines


def titles(header: str) -> list[str]:
    return [t.strip() for t in header.split("  ") if t.strip()]


def is_table(lines: list[str]) -> bool:
    return len(lines) > 1 and set(lines[1].strip()) == {"─"}


# -- what a column is, from its key and kind -----------------------------------------------


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (Column("id", "ID"), "id"),
        (Column("org_id", "Org"), "id"),
        (Column("invoice", "Invoice", "id"), "id"),
        (Column("owner.email", "Owner"), "email"),
        (Column("billing_email", "Billing e-mail"), "email"),
        (Column("display_name", "Name"), "name"),
        (Column("description", "Description"), "text"),
        (Column("created_day", "Created", "id"), "time"),  # a date shown whole, not an ID
        (Column("expires_day", "Expires"), "time"),
        (Column("price.amount", "Price", "money"), "money"),
    ],
)
def test_the_role_of_a_column_comes_from_its_key_and_kind(column: Column, expected: str) -> None:
    assert role(column) == expected


def test_the_rows_id_is_essential_wherever_it_stands() -> None:
    assert priority(Column("id", "ID"), 4) == 1
    assert priority(Column("email", "E-mail"), 0) == 1  # the first column, as before
    assert priority(Column("id", "ID", priority=3), 0) == 3  # an explicit priority wins
    # Other IDs go before names and labels, never before times.
    assert priority(Column("org_id", "Org", "id"), 2) < priority(Column("created_at", "C"), 3)


# -- secrets list ----------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 120])
def test_secrets_list_keeps_the_key_ids(width: int) -> None:
    lines = render(SECRET_COLUMNS, SECRET_ROWS, width)
    assert is_table(lines)
    assert titles(lines[0])[:3] == ["ID", "Name", "Key"]
    text = "\n".join(lines)
    assert KEY in text and "key_" + "A" * 20 in text


def test_secrets_list_at_120_shows_every_column() -> None:
    assert titles(render(SECRET_COLUMNS, SECRET_ROWS, 120)[0]) == [c.header for c in SECRET_COLUMNS]


def test_secrets_list_at_40_keeps_the_whole_ids_and_names() -> None:
    lines = render(SECRET_COLUMNS, SECRET_ROWS, 40)
    assert is_table(lines) and titles(lines[0]) == ["ID", "Name"]
    assert lines[2].startswith(KEY + "  Production")
    assert lines[-1].split() == ["key_" + "A" * 20, "ci"]


# -- team list: e-mail addresses are never split -------------------------------------------


@pytest.mark.parametrize("width", [40, 80, 120])
def test_team_list_never_splits_an_email_address(width: int) -> None:
    lines = render(TEAM_COLUMNS, TEAM_ROWS, width)
    for email in (LONG_EMAIL, "li.wei@example.org"):
        assert any(email in line for line in lines), "\n".join(lines)
    assert any(MEMBER in line for line in lines)


def test_team_list_at_40_is_the_record_view() -> None:
    lines = render(TEAM_COLUMNS, TEAM_ROWS, 40)
    assert not is_table(lines)
    assert lines[0].split() == ["ID", MEMBER]
    # Too long to sit beside its key, the address goes whole on the line under it.
    at = next(i for i, line in enumerate(lines) if LONG_EMAIL in line)
    assert lines[at].strip() == LONG_EMAIL and lines[at - 1].split() == ["E-mail"]
    assert any(line.split() == ["E-mail", "li.wei@example.org"] for line in lines)


def test_team_list_at_80_is_a_table_with_ids_and_addresses() -> None:
    lines = render(TEAM_COLUMNS, TEAM_ROWS, 80)
    assert is_table(lines)
    assert titles(lines[0])[:2] == ["ID", "E-mail"]


# -- names fold at words, free text is cut ---------------------------------------------------


def test_account_list_at_80_folds_the_name_at_word_boundaries_only() -> None:
    lines = render(ACCOUNT_COLUMNS, ACCOUNT_ROWS, 80)
    assert is_table(lines)
    assert titles(lines[0]) == ["ID", "Name", "Plan", "Role", "Status"]
    words = set(ACCOUNT_ROWS[0]["name"].split())
    name_start = lines[0].index("Name")
    pieces = [line[name_start:].split("  ")[0].strip() for line in lines[2:]]
    assert {w for piece in pieces for w in piece.split()} == words, pieces


def test_billing_plans_cut_the_features_with_an_ellipsis_on_one_line() -> None:
    lines = render(PLAN_COLUMNS, PLAN_ROWS, 80)
    assert is_table(lines) and len(lines) == 3  # header, rule, one line for the plan
    assert lines[2].rstrip().endswith("…")
    assert "Transact" in lines[2] and "$1,499.00" in lines[2]


def test_names_get_the_room_before_free_text_does() -> None:
    columns = [Column("id", "ID", "id"), Column("name", "Name"), Column("notes", "Notes")]
    row = {"id": ACCT, "name": "Acme Production Messaging", "notes": "x " * 40}
    lines = render(columns, [row], 70)
    assert "Acme Production Messaging" in lines[2]
    assert lines[2].rstrip().endswith("…") and len(lines) == 3


def test_a_table_of_the_id_alone_is_the_record_view_instead() -> None:
    layout = plan_table(TEAM_COLUMNS, [[MEMBER, LONG_EMAIL, "María", "admin", "x"]], 40)
    assert layout is None
