"""A plan for people (`+`, `~`, `-` by account and section), for CSV, and as the JSON document
`plan --out` saves and `apply PLAN` reads. Never a secret value: a secret setting is shown as
its `${VAR}` or as the API's mask."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from chathq_cli import errors
from chathq_cli.commands.ascode._diff import Change, Note, Plan
from chathq_cli.inputs.account_file import SECTIONS

PLAN_KIND = "portal-plan"


def text(plan: Plan) -> str:
    """The plan grouped by account, then section, each change on one line, notes under it."""
    if not plan.changes and not plan.notes:
        return "No changes: the live state matches the files."
    lines: list[str] = []
    accounts = list(
        dict.fromkeys([c.account for c in plan.changes] + [n.account for n in plan.notes])
    )
    for account in accounts:
        name = plan.names.get(account)
        lines.append(f"{account} ({name})" if name else account)
        for section in SECTIONS:
            mine = [c for c in plan.changes if c.account == account and c.section == section]
            notes = [n for n in plan.notes if n.account == account and n.section == section]
            if not mine and not notes:
                continue
            lines.append(f"  {section}")
            lines += [f"    {c.symbol} {describe(c)}" for c in mine]
            lines += [f"    ! {n.item}: {n.text}" for n in notes]
    lines.append(summary(plan.changes))
    return "\n".join(lines)


def count(changes: int) -> str:
    return f"{changes} change" + ("" if changes == 1 else "s")


def question(plan: Plan) -> str:
    removals = len(plan.removals)
    removing = f", {removals} of them removals" if removals else ""
    return f"Apply {count(len(plan.changes))}{removing}?"


def summary(changes: Sequence[Change]) -> str:
    counts = {action: sum(c.action == action for c in changes) for action in ("create", "update")}
    removals = sum(c.action == "remove" for c in changes)
    return f"Plan: {counts['create']} to add, {counts['update']} to change, {removals} to remove."


def describe(change: Change) -> str:
    """One change, without its symbol."""
    item, before, after = change.item, change.before, change.after
    if change.section == "name":
        return f"name: {before!r} -> {after!r}"
    if change.section == "members":
        invited = " (invitation)" if change.pending else ""
        if change.action == "create":
            return f"{item}: invite as {after}"
        if change.action == "update":
            return f"{item}{invited}: {before} -> {after}"
        return f"{item}{invited}: remove ({before})" if not change.pending else f"{item}: revoke"
    if change.section == "integrations":
        if change.action == "remove":
            return f"{item}: remove"
        parts = []
        if "enabled" in after:
            state = "enabled" if after["enabled"] else "disabled"
            parts.append(
                state
                if change.action == "create"
                else f"enabled: {before['enabled']} -> {after['enabled']}"
            )
        for name, value in (after.get("settings") or {}).items():
            if change.action == "create":
                parts.append(f"{name}={_value(value)}")
            else:
                old = (before.get("settings") or {}).get(name)
                parts.append(f"{name}: {_value(old)} -> {_value(value)}")
        return f"{item}: " + ", ".join(parts)
    if change.action == "create":
        expires = (after or {}).get("expires_at")
        return f"{item}: create (expires {expires or 'never'})"
    return f"{item}: revoke" + (f" ({len(change.targets)} keys)" if len(change.targets) > 1 else "")


def _value(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def rows(plan: Plan) -> list[dict[str, Any]]:
    """One row per change, for --format csv."""
    return [
        {
            "account": c.account,
            "section": c.section,
            "action": c.action,
            "item": c.item,
            "change": describe(c),
        }
        for c in plan.changes
    ]


def columns() -> list[Any]:
    from chathq_cli.output import Column

    return [Column(key, key.upper()) for key in ("account", "section", "action", "item", "change")]


# --- the saved plan ---------------------------------------------------------------------


def document(
    plan_id: str, plan: Plan, fingerprints: Mapping[str, str], sections: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """The plan as JSON: what `--json` prints and `--out` saves (no secret value in it)."""
    return {
        "object": PLAN_KIND,
        "version": 1,
        "plan_id": plan_id,
        "accounts": {
            account: {"fingerprint": fingerprints[account], "sections": list(sections[account])}
            for account in fingerprints
        },
        "changes": [c.to_json() for c in plan.changes],
        "notes": [
            {"account": n.account, "section": n.section, "item": n.item, "text": n.text}
            for n in plan.notes
        ],
        "summary": summary(plan.changes),
    }


def read_document(data: Any, source: str) -> tuple[str, Plan, dict[str, tuple[str, list[str]]]]:
    """(plan ID, plan, {account: (fingerprint, sections)}) of a saved plan; UsageError when it
    is not one."""
    try:
        if data.get("object") != PLAN_KIND or data.get("version") != 1:
            raise ValueError("not a plan saved by `portal plan --out`")
        changes = [Change.from_json(c) for c in data["changes"]]
        notes = [Note(**n) for n in data["notes"]]
        accounts = {
            str(a): (str(v["fingerprint"]), [str(s) for s in v["sections"]])
            for a, v in data["accounts"].items()
        }
        return str(data["plan_id"]), Plan(changes, notes), accounts
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        problem = (
            str(exc) if isinstance(exc, ValueError) else "not a plan saved by `portal plan --out`"
        )
        raise errors.UsageError(f"{source}: {problem}", param="PLAN") from None


def yaml_text(data: Any) -> str:
    """An exported document as YAML, in the order it was built (accounts, then sections)."""
    import io

    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.default_flow_style = False
    yaml.width = 4096  # one setting on one line, however long
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()
