"""A plan from account files or from a saved plan, against the live state: what `plan` prints
and `apply` makes, with the fingerprints of the state it was computed from."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chathq_cli import errors
from chathq_cli.commands.ascode import _live
from chathq_cli.commands.ascode._diff import LiveAccount, Plan

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime


@dataclass
class Computed:
    plan_id: str
    plan: Plan
    live: dict[str, LiveAccount]
    sections: dict[str, list[str]]  # the managed sections, by account
    fingerprints: dict[str, str]


def environment() -> Mapping[str, str]:
    """The variables `${VAR}` settings may name; an empty one counts as unset."""
    from chathq_cli.cli import environment as env

    return {name: value for name, value in env.current().variables.items() if value}


def read_text(path: str, param: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise errors.UsageError(f"{param}: {path}: no such file", param=param) from None
    except UnicodeDecodeError:
        raise errors.UsageError(f"{param}: {path}: not UTF-8 text", param=param) from None
    except OSError as exc:
        raise errors.UsageError(f"{param}: {path}: {exc.strerror}", param=param) from None


def from_files(rt: Runtime, files: Sequence[str]) -> Computed:
    """Files read and checked whole (syntax, schema, catalogue, accounts) before the plan."""
    import uuid

    from chathq_cli.commands.ascode import _diff
    from chathq_cli.inputs import account_file

    document = account_file.load([(path, read_text(path, "--file")) for path in files])
    client = rt.client()
    account_file.check_against(
        document, _live.catalog(client), lambda account: _live.account_exists(client, account)
    )
    sections = {a: list(spec.managed()) for a, spec in document.accounts.items()}
    live = {a: _live.read(client, a, sections[a]) for a in document.accounts}
    plan = _diff.plan(document.accounts, live, environment())
    fingerprints = {a: live[a].fingerprint(sections[a]) for a in live}
    return Computed(uuid.uuid4().hex, plan, live, sections, fingerprints)


def from_saved(rt: Runtime, path: str) -> Computed:
    """A plan saved by `plan --out`; refused (exit 7) when the live state moved since."""
    from chathq_cli.commands.ascode import _view

    try:
        data = json.loads(read_text(path, "PLAN"))
    except json.JSONDecodeError as exc:
        raise errors.UsageError(
            f"{path}:{exc.lineno}:{exc.colno}: {exc.msg}", param="PLAN"
        ) from None
    plan_id, plan, accounts = _view.read_document(data, path)
    sections = {account: found[1] for account, found in accounts.items()}
    computed = Computed(plan_id, plan, {}, sections, {a: f[0] for a, f in accounts.items()})
    check_unchanged(rt, computed)
    return computed


def check_unchanged(rt: Runtime, computed: Computed) -> None:
    """Read the live state again: it must be the one the plan was computed from."""
    client = rt.client()
    for account, sections in computed.sections.items():
        try:
            live = _live.read(client, account, sections)
        except errors.NotFound:
            raise errors.PlanConflict(f"{account} no longer exists; make a new plan") from None
        if live.fingerprint(sections) != computed.fingerprints[account]:
            raise errors.PlanConflict(
                f"the live state of {account} changed since the plan was made; nothing was changed",
                hint="run portal plan again, review it, then apply",
            )
        computed.live[account] = live
