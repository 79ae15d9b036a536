"""What the `portal account` commands share: columns and usage lines."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chathq_cli.output import Column, Output

_BAR_WIDTH = 24


def account_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("id", "ID", "id"),
        Column("name", "Name", priority=1),
        Column("org_id", "Org", "id"),
        Column("plan", "Plan"),
        Column("role", "Role"),
        Column("status", "Status"),
        Column("created_at", "Created", "time"),
    ]


def usage_line(used: int, limit: int) -> str:
    """`1,234 / 10,000 (12%)`."""
    percent = f" ({used * 100 // limit}%)" if limit > 0 else ""
    return f"{used:,} / {limit:,}{percent}"


def usage_bar(used: int, limit: int) -> str:
    """A fixed-width text bar for terminals: `█████░░░ 1,234 / 10,000 (12%)`."""
    filled = _BAR_WIDTH if limit <= 0 else min(_BAR_WIDTH, used * _BAR_WIDTH // limit)
    return "█" * filled + "░" * (_BAR_WIDTH - filled) + " " + usage_line(used, limit)


def messages_line(out: Output, used: int, limit: int) -> str:
    line = usage_bar(used, limit) if out.env.stdout_isatty else usage_line(used, limit)
    if limit > 0 and used >= limit:
        line += ", limit reached: bots paused until the reset"
    return line
