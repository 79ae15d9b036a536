"""`portal me`'s shared views: the user as a record, the notification keys, help examples."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chathq_cli.api.me import User
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.output import Column


# The five e-mail notification keys of SPEC §5, in the portal's order, with their labels.
NOTIFICATIONS: dict[str, str] = {
    "assigned_conversations": "Assigned conversations",
    "assigned_tickets": "Assigned tickets",
    "notes": "Notes in assigned conversations",
    "reminders": "Assigned reminders",
    "inquiries": "Assigned inquiries",
}


def examples(*lines: str) -> str:
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


def user_view(user: dict[str, Any]) -> dict[str, Any]:
    view = dict(user)
    for key in NOTIFICATIONS:
        on = (user.get("notifications") or {}).get(key)
        view[f"notify_{key}"] = None if on is None else ("on" if on else "off")
    view["two_factor"] = "on" if user.get("totp_enabled") else "off"
    view["avatar"] = user.get("avatar_url") or "none"
    return view


def user_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("display_name", "Name"),
        Column("email", "E-mail"),
        Column("pending_email", "Pending e-mail"),
        Column("two_factor", "Two-factor"),
        Column("theme", "Theme"),
        Column("avatar", "Avatar"),
        Column("default_account_id", "Default account", "id"),
        Column("id", "User ID", "id"),
        Column("created_at", "Created", "time"),
        *(Column(f"notify_{key}", f"Notify: {key.replace('_', ' ')}") for key in NOTIFICATIONS),
    ]


def show_user(rt: Runtime, user: User) -> None:
    from chathq_cli.output import Column

    data = user.model_dump(mode="json")
    if rt.out.is_json:
        rt.out.object(data)
        return
    if rt.out.fmt == "csv":  # for machines: the API's field names, notifications flattened
        keys = [key for key in data if key not in ("object", "notifications")]
        keys += [f"notifications.{key}" for key in NOTIFICATIONS]
        rt.out.object(data, [Column(key, key) for key in keys])
        return
    rt.out.object(user_view(data), user_columns())


def print_user_if_json(rt: Runtime, user: User) -> None:
    """Setting commands print the updated user for scripts; people get the one-line summary."""
    if rt.out.is_json:
        rt.out.object(user.model_dump(mode="json"))
