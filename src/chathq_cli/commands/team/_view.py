"""What the `portal team` commands share: the role choice, columns and row shaping."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from chathq_cli.api import rules

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column

RoleChoice = rules.Role


def _day(value: Any) -> str:
    """`2026-11-22` from an RFC 3339 time: enough for a terminal table of team changes."""
    return value[:10] if isinstance(value, str) else ""


def link_uses(uses: int, max_uses: int) -> str:
    """`3 of 25`, or `3 (no limit)` for a link without a limit (max_uses 0)."""
    return f"{uses} of {max_uses}" if max_uses else f"{uses} (no limit)"


# --------------------------------------------------------------------------------------------
# Columns: e-mail and role first, few columns, so a table fits 80 columns. A terminal table
# shows days (`_day`); TSV, CSV and JSON keep the full RFC 3339 times.


def member_columns(terminal: bool) -> list[Column]:
    from chathq_cli.output import Column

    # Days on a terminal; full times in TSV/CSV/JSON.
    joined = Column("joined_day", "Joined") if terminal else Column("joined_at", "Joined", "time")
    return [
        Column("email", "E-mail"),
        Column("role", "Role"),
        Column("display_name", "Name"),
        joined,
        Column("id", "ID", "id"),
    ]


def invitation_columns(terminal: bool) -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("email", "E-mail"),
        Column("role", "Role"),
        Column("status", "Status"),
        Column("expires_day", "Expires") if terminal else Column("expires_at", "Expires", "time"),
        Column("id", "ID", "id"),
    ]


def link_columns(terminal: bool) -> list[Column]:
    from chathq_cli.output import Column

    if terminal:  # the URL does not fit 80 columns: it is in --json / CSV / TSV
        return [
            Column("role", "Role"),
            Column("status", "Status"),
            Column("uses_shown", "Uses"),
            Column("expires_day", "Expires"),
            Column("id", "ID", "id"),
        ]
    return [
        Column("role", "Role"),
        Column("status", "Status"),
        Column("uses", "Uses", "int"),
        Column("max_uses", "Max uses", "int"),
        Column("expires_at", "Expires", "time"),
        Column("id", "ID", "id"),
        Column("url", "URL"),
    ]


def terminal_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        **row,
        "joined_day": _day(row.get("joined_at")),
        "expires_day": _day(row.get("expires_at")),
        "uses_shown": link_uses(row.get("uses", 0), row.get("max_uses") or 0)
        if "max_uses" in row
        else "",
    }


def rows(rt: Runtime, items: Any) -> Iterator[dict[str, Any]]:
    for item in items:
        row = item.model_dump(mode="json")
        yield terminal_view(row) if rt.out.is_terminal_table else row
