"""api/rules.py: the one source of what the CLI and the sandbox must agree on."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import get_args

import pytest

from chathq_cli.api import rules

VALID = "owner@demo.chathq.test"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (VALID, None),
        ("a@b.co", None),
        ("first.last+tag@sub.example.org", None),
        ("ünïcode@exämple.test", None),
        ("owner@demo.chathq.test\n", "must not contain control characters"),
        ("owner@demo.chathq.test\r", "must not contain control characters"),
        ("own\ter@demo.chathq.test", "must not contain control characters"),
        ("owner\x00@demo.chathq.test", "must not contain control characters"),
        ("\x1b[31mowner@demo.chathq.test", "must not contain control characters"),
        ("owner@demo\x7f.chathq.test", "must not contain control characters"),
        ("owner@demo.chathq.test\x85", "must not contain control characters"),  # C1 NEL
        ("\u202eowner@demo.chathq.test", "must not contain control characters"),  # RLO
        ("owner@demo.chathq.test\u2066", "must not contain control characters"),  # LRI
        ("own\u200ber@demo.chathq.test", "must not contain control characters"),  # zero width
        ("owner@demo.chathq.test\u2028", "must not contain control characters"),  # line sep.
        ("owner\ud800@demo.chathq.test", "must not contain control characters"),  # surrogate
        ("a" * 64 + "@" + "b" * 184 + ".test", None),  # 254 characters
        ("a" * 64 + "@" + "b" * 185 + ".test", "is not a valid e-mail address"),  # 255
        ("", "is not a valid e-mail address"),
        ("owner", "is not a valid e-mail address"),
        ("owner.demo.chathq.test", "is not a valid e-mail address"),
        ("owner@localhost", "is not a valid e-mail address"),
        ("@demo.chathq.test", "is not a valid e-mail address"),
        ("owner@", "is not a valid e-mail address"),
        ("owner@@demo.chathq.test", "is not a valid e-mail address"),
        ("ow ner@demo.chathq.test", "is not a valid e-mail address"),
        (" owner@demo.chathq.test", "is not a valid e-mail address"),
    ],
)
def test_email_problem(value: str, problem: str | None) -> None:
    assert rules.email_problem(value) == problem


@pytest.mark.parametrize(
    ("literal", "values"),
    [
        (rules.Role, rules.ROLES),
        (rules.Theme, rules.THEMES),
        (rules.Unit, rules.UNITS),
        (rules.PlanId, rules.PLANS),
        (rules.InvitationStatus, rules.INVITATION_STATUSES),
        (rules.InviteLinkStatus, rules.INVITE_LINK_STATUSES),
        (rules.ApiKeyStatus, rules.API_KEY_STATUSES),
        (rules.AccountStatus, rules.ACCOUNT_STATUSES),
        (rules.SubscriptionStatus, rules.SUBSCRIPTION_STATUSES),
        (rules.InvoiceStatus, rules.INVOICE_STATUSES),
        (rules.UsageStatus, rules.USAGE_STATUSES),
        (rules.GroupBy, rules.GROUP_BY),
        (rules.IntegrationStatus, rules.INTEGRATION_STATUSES),
        (rules.SettingType, rules.SETTING_TYPES),
    ],
)
def test_each_enumeration_is_a_literal_and_its_values(
    literal: object, values: tuple[str, ...]
) -> None:
    assert get_args(literal) == values
    assert values and all(isinstance(value, str) for value in values)


def test_the_wire_models_use_the_rules() -> None:
    from chathq_cli.api.billing import Invoice
    from chathq_cli.api.me import Notifications, User
    from chathq_cli.api.team import Invitation, InviteLink
    from chathq_cli.api.usage import UsageRecord

    assert tuple(Notifications.model_fields) == rules.NOTIFICATION_KEYS
    assert get_args(Invitation.model_fields["status"].annotation) == rules.INVITATION_STATUSES
    assert get_args(InviteLink.model_fields["status"].annotation) == rules.INVITE_LINK_STATUSES
    assert get_args(Invoice.model_fields["status"].annotation) == rules.INVOICE_STATUSES
    assert get_args(UsageRecord.model_fields["status"].annotation) == rules.USAGE_STATUSES
    assert get_args(User.model_fields["theme"].annotation) == rules.THEMES
    schema = User.model_json_schema()
    assert schema["properties"]["id"]["pattern"] == "^usr_[A-Za-z0-9]+$"


def test_the_sandbox_catalogue_and_roles_follow_the_rules() -> None:
    from chathq_cli.sandbox.catalog import PLANS, UNIT_PRICES

    assert tuple(PLANS) == rules.PLANS
    assert tuple(UNIT_PRICES) == rules.UNITS
    prices = [PLANS[plan].price_cents for plan in rules.PLANS]
    assert prices == sorted(prices), "PLANS is documented as cheapest first"


def test_role_rank_and_order_follow_rules_roles() -> None:
    pytest.importorskip("fastapi", reason="the sandbox needs the 'sandbox' extra")
    from chathq_cli.sandbox.deps import ROLE_RANK
    from chathq_cli.sandbox.views import ROLE_ORDER

    assert ROLE_RANK == {"owner": 3, "admin": 2, "member": 1}
    assert ROLE_ORDER == (
        "CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 WHEN 'member' THEN 2 END"
    )


def test_ids_use_the_prefixes() -> None:
    from chathq_cli.sandbox.ids import new_id

    for kind, prefix in rules.ID_PREFIXES.items():
        made = new_id(kind)
        assert made.startswith(prefix) and len(made) == len(prefix) + 16
    assert rules.id_pattern("account") == "^acct_[A-Za-z0-9]+$"


def test_rules_is_standard_library_only() -> None:
    tree = ast.parse(Path(rules.__file__).read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - {"__future__"} <= set(sys.stdlib_module_names), imported
