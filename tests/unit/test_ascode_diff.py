"""The account-as-code planner (commands/ascode/_diff.py), pure, by table: changes, order,
removal counting, the last-owner guard, secrets by their last 4 characters, idempotency keys."""

from __future__ import annotations

from typing import Any

import pytest

from chathq_cli.api.account_file import AccountSpec
from chathq_cli.commands.ascode import _diff
from chathq_cli.commands.ascode._diff import LiveAccount, LiveIntegration, LiveKey, LiveMember

A = "acct_1"


def _live(**sections: Any) -> LiveAccount:
    live = LiveAccount(A, "Acme")
    live.members = {
        "owner@x.example": LiveMember("mem_o", "owner"),
        "admin@x.example": LiveMember("mem_a", "admin"),
        "invited@x.example": LiveMember("inv_i", "member", pending=True),
    }
    live.integrations = {
        "slack": LiveIntegration("intg_s", True, {"workspace": "acme", "bot_token": "••••9f3a"})
    }
    live.api_keys = {"CI": [LiveKey("key_c", None)]}
    for name, value in sections.items():
        setattr(live, name, value)
    return live


def _plan(spec: dict[str, Any], env: dict[str, str] | None = None, **live: Any) -> _diff.Plan:
    return _diff.plan({A: AccountSpec.model_validate(spec)}, {A: _live(**live)}, env or {})


def _lines(plan: _diff.Plan) -> list[str]:
    return [f"{c.symbol} {c.section} {c.item}" for c in plan.changes]


MEMBERS = {"owner@x.example": "owner", "admin@x.example": "admin", "invited@x.example": "member"}
SLACK = {"settings": {"workspace": "acme", "bot_token": "${SLACK_BOT_TOKEN}"}}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, []),  # nothing managed: nothing to do
        ({"name": "Acme"}, []),
        ({"name": "Acme Care"}, ["~ name name"]),
        ({"members": MEMBERS}, []),
        ({"members": {**MEMBERS, "new@x.example": "member"}}, ["+ members new@x.example"]),
        ({"members": {**MEMBERS, "admin@x.example": "member"}}, ["~ members admin@x.example"]),
        (
            {"members": {"owner@x.example": "owner"}},
            ["- members admin@x.example", "- members invited@x.example"],
        ),
        ({"integrations": {"slack": SLACK}}, []),
        ({"integrations": {"slack": {**SLACK, "enabled": False}}}, ["~ integrations slack"]),
        ({"integrations": {}}, ["- integrations slack"]),
        ({"api_keys": {"CI": {}}}, []),
        ({"api_keys": {"CI": None, "New": {}}}, ["+ api_keys New"]),
        ({"api_keys": {}}, ["- api_keys CI"]),
    ],
)
def test_changes_by_section(spec: dict[str, Any], expected: list[str]) -> None:
    assert _lines(_plan(spec)) == expected


def test_every_addition_and_change_comes_before_any_removal() -> None:
    plan = _plan(
        {
            "name": "Acme Care",
            "members": {"owner@x.example": "owner", "new@x.example": "admin"},
            "integrations": {},
            "api_keys": {"New": {}},
        }
    )
    assert _lines(plan) == [
        "~ name name",
        "+ members new@x.example",
        "+ api_keys New",
        "- members admin@x.example",
        "- members invited@x.example",
        "- integrations slack",
        "- api_keys CI",
    ]
    assert len(plan.removals) == 4


def test_an_owner_hand_over_promotes_first() -> None:
    plan = _plan({"members": {**MEMBERS, "owner@x.example": "admin", "admin@x.example": "owner"}})
    assert [(c.item, c.after) for c in plan.changes] == [
        ("admin@x.example", "owner"),
        ("owner@x.example", "admin"),
    ]
    assert _diff.last_owner_problem({A: _live()}, plan.changes) is None


@pytest.mark.parametrize(
    ("members", "problem"),
    [
        ({**MEMBERS, "owner@x.example": "admin"}, True),  # demoted
        ({"admin@x.example": "admin"}, True),  # removed
        # A pending invitation to owner is nobody yet.
        ({**MEMBERS, "owner@x.example": "admin", "invited@x.example": "owner"}, True),
        ({**MEMBERS, "owner@x.example": "admin", "new@x.example": "owner"}, True),
        ({**MEMBERS, "admin@x.example": "owner"}, False),
        (MEMBERS, False),
    ],
)
def test_the_last_owner_guard(members: dict[str, str], problem: bool) -> None:
    plan = _plan({"members": members})
    found = _diff.last_owner_problem({A: _live()}, plan.changes)
    assert (found is not None) == problem, found


def test_a_pending_member_changes_role_by_re_invitation() -> None:
    [change] = _plan({"members": {**MEMBERS, "invited@x.example": "admin"}}).changes
    assert (change.action, change.pending, change.targets) == ("update", True, ("inv_i",))


@pytest.mark.parametrize(
    ("env", "lines", "note"),
    [
        ({}, [], "SLACK_BOT_TOKEN is not set: bot_token left alone"),
        ({"SLACK_BOT_TOKEN": "xoxb-demo-4471-9f3a"}, [], None),  # same last 4
        ({"SLACK_BOT_TOKEN": "xoxb-new-0001"}, ["~ integrations slack"], None),
    ],
)
def test_a_secret_setting_is_compared_by_its_last_4(
    env: dict[str, str], lines: list[str], note: str | None
) -> None:
    plan = _plan({"integrations": {"slack": SLACK}}, env)
    assert _lines(plan) == lines
    assert [n.text for n in plan.notes] == ([note] if note else [])
    for change in plan.changes:
        assert change.after["settings"] == {"bot_token": "${SLACK_BOT_TOKEN}"}  # never the value
        assert change.before["settings"] == {"bot_token": "••••9f3a"}


def test_a_setting_absent_from_the_file_is_cleared() -> None:
    [change] = _plan({"integrations": {"slack": {"settings": {"bot_token": "${T}"}}}}).changes
    assert change.after == {"settings": {"workspace": None}}


def test_a_different_expiry_on_an_existing_key_is_a_note_not_a_change() -> None:
    plan = _plan({"api_keys": {"CI": {"expires_at": "2027-01-01T00:00:00Z"}}})
    assert plan.changes == []
    assert "roll or recreate the key" in plan.notes[0].text


def test_keys_of_one_name_are_revoked_together() -> None:
    keys = {"CI": [LiveKey("key_1", None), LiveKey("key_2", None)]}
    [change] = _plan({"api_keys": {}}, api_keys=keys).changes
    assert change.targets == ("key_1", "key_2")


def test_idempotency_keys_are_stable_within_a_plan_and_differ_across_plans() -> None:
    change = _plan({"name": "Acme Care"}).changes[0]
    first = _diff.idempotency_key("plan1", change)
    assert first == _diff.idempotency_key("plan1", change)
    assert first != _diff.idempotency_key("plan2", change)
    assert first != _diff.idempotency_key("plan1", change, step=1)
    assert first.startswith("portal-apply-") and len(first) <= 255


def test_the_fingerprint_follows_the_managed_sections_only() -> None:
    live = _live()
    before = live.fingerprint(["members"])
    live.api_keys = {}
    assert live.fingerprint(["members"]) == before
    live.members = {}
    assert live.fingerprint(["members"]) != before


def test_a_change_survives_the_saved_plan() -> None:
    for change in _plan({"members": {"owner@x.example": "owner"}, "api_keys": {}}).changes:
        assert _diff.Change.from_json(change.to_json()) == change
