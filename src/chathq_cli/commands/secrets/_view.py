"""How `portal secrets` shows keys: masked rows, columns by width, and the one print of a secret."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chathq_cli.api.keys import ApiKey
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column, Output


def masked(key: Mapping[str, Any]) -> str:
    return f"{key.get('prefix', '')}…{key.get('last4', '')}"


def row(out: Output, key: ApiKey) -> dict[str, Any]:
    """The API's fields, never the secret; tables and CSV also get `masked` (prefix…last4)."""
    data = key.model_dump(mode="json", exclude={"secret"})
    if not out.is_json:
        data["masked"] = masked(data)
    return data


def day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) else None


def list_columns(out: Output) -> list[Column]:
    """Every field for scripts; on a terminal, days instead of times, and the renderer leaves
    out what does not fit, the created day first (IDs stay: commands take them)."""
    from chathq_cli.output import Column

    if not out.is_terminal_table:
        return [
            Column("id", "ID", "id"),
            Column("name", "Name"),
            Column("masked", "Key"),
            Column("status", "Status"),
            Column("created_at", "Created", "time"),
            Column("expires_at", "Expires", "time"),
            Column("last_used_at", "Last used", "time"),
        ]
    # Dates only on a terminal: full times are in --json/--format csv. The key is shown as
    # `sk_test_ab12…9f3a`, 17 characters; an ID is 20.
    return [
        Column("id", "ID", "id"),
        Column("name", "Name"),
        Column("masked", "Key", "id"),
        Column("status", "Status"),
        Column("created_day", "Created", "id", priority=5),
        Column("expires_day", "Expires", "id"),
        Column("last_used_day", "Last used", "id"),
    ]


def show_secret(rt: Runtime, key: ApiKey) -> None:
    """The one print of a secret: the JSON/CSV object, or the secret alone on stdout."""
    from chathq_cli.output import Column

    data = key.model_dump(mode="json")
    if rt.out.fmt == "csv":
        data["masked"] = masked(data)
    if rt.out.fmt == "table":
        rt.out.value(key.secret or "")
        return
    rt.out.object(
        data,
        [
            Column("id", "ID", "id"),
            Column("name", "Name"),
            Column("secret", "Secret"),
            Column("masked", "Key"),
            Column("status", "Status"),
            Column("created_at", "Created", "time"),
            Column("expires_at", "Expires", "time"),
        ],
    )
