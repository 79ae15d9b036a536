"""The plan: what `portal apply` changes to make the live state what the files say (SPEC §9).

Pure (no Runtime, no HTTP; an import-linter contract holds it): the live state comes in as
`LiveAccount`s (`_live.py` reads them through the client), the desired state as the merged
`Document`, the environment as a mapping. Everything here is tested by table in
tests/unit/test_ascode_diff.py.

Order: every invitation, creation and change of every account before any removal, so that a
failure half-way never leaves an account with fewer people or integrations than it had and
than the file wants; promotions to owner before demotions, so an owner hand-over never passes
through "no owner".
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from chathq_cli.inputs.account_file import SECTIONS, secret_reference

if TYPE_CHECKING:
    from chathq_cli.api.account_file import AccountSpec

Action = Literal["create", "update", "remove"]
SYMBOLS: dict[str, str] = {"create": "+", "update": "~", "remove": "-"}
# How the API shows a secret setting: this mask, then the last 4 characters.
SECRET_MASK = "••••"  # noqa: S105


@dataclass(frozen=True)
class LiveMember:
    id: str  # mem_... or, when pending, inv_...
    role: str
    pending: bool = False


@dataclass(frozen=True)
class LiveIntegration:
    id: str
    enabled: bool
    settings: dict[str, Any]  # secret settings as the API shows them: ••••last4


@dataclass(frozen=True)
class LiveKey:
    id: str
    expires_at: str | None  # RFC 3339, as the API sends it


@dataclass
class LiveAccount:
    id: str
    name: str
    members: dict[str, LiveMember] = field(default_factory=dict)  # by lower-cased e-mail
    integrations: dict[str, LiveIntegration] = field(default_factory=dict)  # by type
    api_keys: dict[str, list[LiveKey]] = field(default_factory=dict)  # active keys by name

    def fingerprint(self, sections: Iterable[str]) -> str:
        """A digest of the managed sections' live state: a saved plan applies only to it."""
        state = {s: _jsonable(getattr(self, s)) for s in SECTIONS if s in set(sections)}
        return _digest(state)


@dataclass(frozen=True)
class Change:
    """One line of the plan. `before`/`after` are what people see (no secret value: a secret
    setting is its `${VAR}`); `targets` are the live IDs acted on."""

    account: str
    section: str
    item: str
    action: Action
    before: Any = None
    after: Any = None
    targets: tuple[str, ...] = ()
    pending: bool = False  # a member who is an invitation: its role changes by re-inviting

    @property
    def symbol(self) -> str:
        return SYMBOLS[self.action]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["targets"] = list(self.targets)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Change:
        return cls(**{**data, "targets": tuple(data.get("targets") or ())})


@dataclass(frozen=True)
class Note:
    account: str
    section: str
    item: str
    text: str


@dataclass
class Plan:
    changes: list[Change]
    notes: list[Note]
    # The accounts' live names, for people reading the plan (a saved plan has none).
    names: dict[str, str] = field(default_factory=dict)

    @property
    def removals(self) -> list[Change]:
        return [c for c in self.changes if c.action == "remove"]


def plan(
    desired: Mapping[str, AccountSpec],
    live: Mapping[str, LiveAccount],
    env: Mapping[str, str],
) -> Plan:
    """The changes that make `live` what `desired` says, in the order apply makes them."""
    changes: list[Change] = []
    notes: list[Note] = []
    for account_id, spec in desired.items():
        current = live[account_id]
        if spec.name is not None and spec.name != current.name:
            changes.append(Change(account_id, "name", "name", "update", current.name, spec.name))
        if spec.members is not None:
            changes += _members(account_id, spec.members, current.members)
        if spec.integrations is not None:
            for kind, want in spec.integrations.items():
                found = _integration(account_id, kind, want, current.integrations.get(kind), env)
                changes += found[0]
                notes += found[1]
            for kind, have in current.integrations.items():
                if kind not in spec.integrations:
                    changes.append(
                        Change(account_id, "integrations", kind, "remove", targets=(have.id,))
                    )
        if spec.api_keys is not None:
            found_keys = _api_keys(account_id, spec.api_keys, current.api_keys)
            changes += found_keys[0]
            notes += found_keys[1]
    order = {account: n for n, account in enumerate(desired)}
    changes.sort(key=lambda c: _rank(c, order))
    return Plan(changes, notes, {account: live[account].name for account in desired})


def _rank(change: Change, order: Mapping[str, int]) -> tuple[Any, ...]:
    promotion = change.section == "members" and change.after == "owner"
    return (
        change.action == "remove",
        order.get(change.account, len(order)),
        SECTIONS.index(change.section),
        not promotion,
        change.item,
    )


def _members(
    account_id: str, want: Mapping[str, str], have: Mapping[str, LiveMember]
) -> list[Change]:
    changes = []
    for email, role in want.items():
        member = have.get(email)
        if member is None:
            changes.append(Change(account_id, "members", email, "create", None, role))
        elif member.role != role:
            changes.append(
                Change(
                    account_id,
                    "members",
                    email,
                    "update",
                    member.role,
                    role,
                    (member.id,),
                    member.pending,
                )
            )
    for email, member in have.items():
        if email not in want:
            changes.append(
                Change(
                    account_id,
                    "members",
                    email,
                    "remove",
                    member.role,
                    None,
                    (member.id,),
                    member.pending,
                )
            )
    return changes


def masked(value: str) -> str:
    """A secret as the API shows it (the sandbox's rule: the last 4 characters, if longer)."""
    value = value.strip()
    return SECRET_MASK + (value[-4:] if len(value) > 4 else "")


def _integration(
    account_id: str,
    kind: str,
    want: Any,
    have: LiveIntegration | None,
    env: Mapping[str, str],
) -> tuple[list[Change], list[Note]]:
    notes: list[Note] = []
    settings: dict[str, Any] = {}
    for name, value in want.settings.items():
        variable = secret_reference(value)
        if variable is None:
            value = value.strip() if isinstance(value, str) else value
            if have is None or have.settings.get(name) != value:
                settings[name] = value
        elif variable not in env:
            notes.append(
                Note(account_id, "integrations", kind, f"{variable} is not set: {name} left alone")
            )
            if have is None:
                settings[name] = value  # apply refuses to create without it
        elif have is None or have.settings.get(name) != masked(env[variable]):
            settings[name] = value
    if have is None:
        created = {"enabled": want.enabled, "settings": settings}
        return [Change(account_id, "integrations", kind, "create", None, created)], notes
    for name in have.settings:
        if name not in want.settings:
            settings[name] = None  # the file is the whole truth: cleared
    after: dict[str, Any] = {}
    before: dict[str, Any] = {}
    if settings:
        after["settings"] = settings
        before["settings"] = {name: have.settings.get(name) for name in settings}
    if want.enabled != have.enabled:
        after["enabled"], before["enabled"] = want.enabled, have.enabled
    if not after:
        return [], notes
    change = Change(account_id, "integrations", kind, "update", before, after, (have.id,))
    return [change], notes


def _api_keys(
    account_id: str, want: Mapping[str, Any], have: Mapping[str, list[LiveKey]]
) -> tuple[list[Change], list[Note]]:
    changes, notes = [], []
    for name, spec in want.items():
        expires_at = spec.expires_at if spec is not None else None
        wanted = _rfc3339(expires_at) if expires_at is not None else None
        keys = have.get(name)
        if not keys:
            after = {"expires_at": wanted}
            changes.append(Change(account_id, "api_keys", name, "create", None, after))
        elif any(key.expires_at != wanted for key in keys):
            shown = ", ".join(sorted({key.expires_at or "never" for key in keys}))
            notes.append(
                Note(
                    account_id,
                    "api_keys",
                    name,
                    f"expires_at is {shown}, the file says {wanted or 'never'}: expiry is set "
                    "at creation; roll or recreate the key to change it",
                )
            )
    for name, keys in have.items():
        if name not in want:
            ids = tuple(key.id for key in keys)
            changes.append(Change(account_id, "api_keys", name, "remove", targets=ids))
    return changes, notes


def _rfc3339(moment: Any) -> str:
    from datetime import UTC

    return str(moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"))


# --- guards and keys ----------------------------------------------------------------------


def owners_left(live: LiveAccount, changes: Iterable[Change]) -> set[str]:
    """The accepted owners of `live` once `changes` are made (pending invitations to owner do
    not count: nobody may have accepted them)."""
    owners = {e for e, m in live.members.items() if m.role == "owner" and not m.pending}
    for change in changes:
        if change.account != live.id or change.section != "members":
            continue
        member = live.members.get(change.item)
        if change.action == "remove" or change.after != "owner":
            owners.discard(change.item)
        elif member is not None and not member.pending:
            owners.add(change.item)
    return owners


def last_owner_problem(live: Mapping[str, LiveAccount], changes: list[Change]) -> str | None:
    """Why `changes` would leave an account without an owner, or None."""
    for account in live.values():
        had = {e for e, m in account.members.items() if m.role == "owner" and not m.pending}
        if had and not owners_left(account, changes):
            return (
                f"{account.id}: the plan removes or demotes the last owner "
                f"({', '.join(sorted(had))}); keep an owner in the file"
            )
    return None


def idempotency_key(plan_id: str, change: Change, step: int = 0) -> str:
    """The `Idempotency-Key` of one request of `change`: the same for every attempt of the
    same plan (a retry or a re-run of a saved plan is answered from the server's record),
    another for another plan, so a later plan that wants the same change again is not
    mistaken for this one."""
    payload = [plan_id, change.account, change.section, change.item, change.action]
    return "portal-apply-" + _digest([*payload, _jsonable(change.after), step])[:48]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items())}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return _jsonable(asdict(value))
    return value


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()
