"""What `portal apply` checks before the first change, and the changes themselves, made
through the client, each request with an idempotency key derived from the plan."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chathq_cli import errors
from chathq_cli.commands.ascode._diff import Change, idempotency_key, last_owner_problem
from chathq_cli.inputs.account_file import secret_reference

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.commands.ascode._compute import Computed


def check_arguments(
    plan_file: str | None, files: list[str], max_removals: int | None, secrets_out: str | None
) -> None:
    if bool(plan_file) == bool(files):
        raise errors.UsageError("give either -f FILE... or a saved PLAN", param="--file")
    if max_removals is not None and max_removals < 0:
        raise errors.UsageError("--max-removals: must be 0 or more", param="--max-removals")
    if secrets_out is not None:
        target = Path(secrets_out)
        if target.exists() or target.is_symlink():
            raise errors.UsageError(
                f"--secrets-out: {secrets_out} already exists; secrets are never written over "
                "a file",
                param="--secrets-out",
            )
        if not target.parent.is_dir():
            raise errors.UsageError(
                f"--secrets-out: directory {target.parent} does not exist", param="--secrets-out"
            )


def check_plan(
    computed: Computed, env: Mapping[str, str], *, allow_removals: bool, max_removals: int | None
) -> None:
    """Everything that refuses the plan as a whole, before the question and any change."""
    removals = computed.plan.removals
    if removals and not allow_removals:
        raise errors.UsageError(
            f"the plan removes or revokes {len(removals)} item(s); pass --allow-removals to "
            "allow it (and --max-removals N to cap it)",
            param="--allow-removals",
        )
    if max_removals is not None and len(removals) > max_removals:
        raise errors.UsageError(
            f"the plan removes or revokes {len(removals)} item(s), more than --max-removals "
            f"{max_removals}",
            param="--max-removals",
        )
    problem = last_owner_problem(computed.live, computed.plan.changes)
    if problem:
        raise errors.PlanConflict(problem + "; nothing was changed")
    for change in computed.plan.changes:
        settings = (
            (change.after or {}).get("settings") if change.section == "integrations" else None
        )
        for name, value in (settings or {}).items():
            variable = secret_reference(value)
            if variable and variable not in env:
                raise errors.UsageError(
                    f"{change.account}: integrations.{change.item}.settings.{name}: "
                    f"{variable} is not set; export it and apply again (nothing was changed)",
                    param="--file",
                )


class Secrets:
    """New API keys' secrets: on stdout once, or in a 0600 file (--secrets-out), rewritten
    after each key so that a failure half-way loses none."""

    def __init__(self, rt: Runtime, path: str | None) -> None:
        self.rt, self.path = rt, path
        self.found: dict[str, dict[str, str]] = {}

    def add(self, account: str, name: str, secret: str) -> None:
        self.found.setdefault(account, {})[name] = secret
        if self.path is None:
            self.rt.out.value(f"{account}\t{name}\t{secret}")
            return
        from chathq_cli.state.files import write_private

        write_private(Path(self.path), json.dumps(self.found, indent=2) + "\n")


def run(rt: Runtime, computed: Computed, secrets: Secrets, env: Mapping[str, str]) -> int:
    """Make every change in order; the number made."""
    client = rt.client()
    for change in computed.plan.changes:
        _one(client, computed.plan_id, change, secrets, env)
        rt.out.info(f"{change.symbol} {change.account} {change.section} {change.item}")
    return len(computed.plan.changes)


def _one(
    client: PortalClient, plan_id: str, change: Change, secrets: Secrets, env: Mapping[str, str]
) -> None:
    def key(step: int = 0) -> str:
        return idempotency_key(plan_id, change, step)

    account, item, after = change.account, change.item, change.after
    target = change.targets[0] if change.targets else ""
    if change.section == "name":
        client.rename_account(account, after, idempotency_key=key())
    elif change.section == "members":
        if change.pending and change.action != "create":
            client.revoke_invitation(account, target, idempotency_key=key())
        elif change.action == "remove":
            client.remove_member(account, target, idempotency_key=key())
        elif change.action == "update":
            client.set_member_role(account, target, after, idempotency_key=key())
        if change.action == "create" or (change.pending and change.action == "update"):
            client.create_invitations(account, [item], after, idempotency_key=key(1))
    elif change.section == "integrations":
        _integration(client, change, env, key)
    elif change.action == "create":
        expires = after.get("expires_at")
        created = client.create_api_key(
            account,
            item,
            expires_at=datetime.fromisoformat(expires) if expires else None,
            idempotency_key=key(),
        )
        secrets.add(account, item, created.secret or "")
    else:
        for step, key_id in enumerate(change.targets):
            client.revoke_api_key(account, key_id, idempotency_key=key(step))


def _integration(client: PortalClient, change: Change, env: Mapping[str, str], key: Any) -> None:
    account, after = change.account, change.after or {}
    settings = {
        name: _resolved(value, env) for name, value in (after.get("settings") or {}).items()
    }
    # --debug logs request bodies: the secrets taken from the environment are masked there.
    client.redact_in_debug(
        env[name] for name in map(secret_reference, (after.get("settings") or {}).values()) if name
    )
    if change.action == "remove":
        client.delete_integration(account, change.targets[0], idempotency_key=key())
        return
    if change.action == "create":
        target = client.create_integration(account, change.item, settings, idempotency_key=key()).id
    else:
        target = change.targets[0]
        if settings:
            client.update_integration(account, target, settings, idempotency_key=key())
    if after.get("enabled") is True and change.action == "update":
        client.enable_integration(account, target, idempotency_key=key(1))
    elif after.get("enabled") is False:
        client.disable_integration(account, target, idempotency_key=key(1))


def _resolved(value: Any, env: Mapping[str, str]) -> Any:
    variable = secret_reference(value)
    return env[variable] if variable else value
