"""How `portal integrations` shows types and integrations: catalog entries, key/value views."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chathq_cli.api.integrations import Integration, IntegrationType, SettingField
    from chathq_cli.output import Column, Output

NOT_CONFIGURED = "not_configured"


def entry(kind: IntegrationType, found: Integration | None) -> dict[str, Any]:
    """A catalog entry (the API's integration_type) with this account's status and integration."""
    data = kind.model_dump(mode="json")
    data["status"] = found.status if found is not None else NOT_CONFIGURED
    data["integration"] = found.model_dump(mode="json") if found is not None else None
    return data


def field_hint(field: SettingField) -> str:
    kind = f"one of {'|'.join(field.choices or [])}" if field.type == "enum" else field.type
    return f"({'required' if field.required else 'optional'}, {kind})"


def show(out: Output, kind: IntegrationType, found: Integration | None) -> None:
    """One type and its configuration: key/value lines for people, the entry for scripts."""
    from chathq_cli.output import Column

    if out.is_json:
        out.object(entry(kind, found))
        return
    settings = found.settings if found is not None else {}
    dumped = found.model_dump(mode="json") if found is not None else {}
    view: dict[str, Any] = {
        "type": kind.id,
        "name": kind.name,
        "description": kind.description,
        "status": found.status if found is not None else NOT_CONFIGURED,
        "id": found.id if found is not None else None,
        "created_at": dumped.get("created_at"),
        "updated_at": dumped.get("updated_at"),
        "settings": {
            field.name: settings.get(field.name, None if found else field_hint(field))
            for field in kind.settings_schema
        },
    }
    if out.fmt == "table":
        view["status"] = view["status"].replace("_", " ")
    columns = [
        Column("type", "Type"),
        Column("name", "Name"),
        Column("description", "Description"),
        Column("status", "Status"),
        Column("id", "ID", "id"),
        *(Column(f"settings.{f.name}", f.label) for f in kind.settings_schema),
        Column("created_at", "Created", "time"),
        Column("updated_at", "Updated", "time"),
    ]
    out.object(view, columns)


def show_integration(out: Output, kind: IntegrationType, found: Integration) -> None:
    """After a change: the API's integration object for scripts, the key/value view for people."""
    if out.is_json:
        out.object(found.model_dump(mode="json"))
    else:
        show(out, kind, found)


def list_columns(out: Output) -> list[Column]:
    import shutil

    from chathq_cli.output import Column

    columns = [
        Column("id", "Type"),
        Column("name", "Name"),
        Column("status", "Status"),
        Column("integration.id", "ID", "id"),
    ]
    width = out.env.columns or shutil.get_terminal_size().columns
    if not out.is_terminal_table or width >= 120:
        columns.append(Column("description", "Description"))
    return columns
