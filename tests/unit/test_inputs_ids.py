"""inputs.ids.check_id: the one check for prefixed IDs typed on the command line."""

from __future__ import annotations

import pytest

from chathq_cli.api.rules import ID_PREFIXES
from chathq_cli.errors import UsageError
from chathq_cli.inputs.ids import ID_MAX, check_id


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        ("in_123abc", "invoice", "in_123abc"),
        ("pm_456DEF", "payment_method", "pm_456DEF"),
        ("  pm_abc123\n", "payment_method", "pm_abc123"),  # pasted with spaces or a newline
        ("ilink_x", "invite_link", "ilink_x"),
        (" inv_abc ", "invitation", "inv_abc"),
        ("mem_x", "member", "mem_x"),
        ("key_" + "a" * (ID_MAX - 4), "api_key", "key_" + "a" * (ID_MAX - 4)),
    ],
)
def test_accepted(value: str, kind: str, expected: str) -> None:
    assert check_id(value, kind, "ID") == expected


@pytest.mark.parametrize(
    ("value", "kind", "says"),
    [
        ("", "invoice", "ID must not be empty"),
        ("   ", "invoice", "ID must not be empty"),
        ("in_", "invoice", "is not an invoice ID (invoice IDs look like in_...)"),
        ("pm_123abc", "invoice", "is not an invoice ID"),  # another kind's ID
        ("ilink_abc", "invitation", "is not an invitation ID (invitation IDs look like inv_...)"),
        ("card_4242", "payment_method", "is not a payment method ID (payment method IDs look"),
        ("IN_123abc", "invoice", "is not an invoice ID"),  # prefixes are lower case
        ("in_a-b", "invoice", "is not an invoice ID"),
        ("in_../../x", "invoice", "is not an invoice ID"),
        ("in_a b", "invoice", "is not an invoice ID"),
        ("in_é", "invoice", "is not an invoice ID"),
        ("in_a\x00b", "invoice", "'in_a\\x00b' is not"),  # shown escaped, never raw
        ("in_a\x1b[2Jb", "invoice", "'in_a\\x1b[2Jb' is not"),
        ("in_abc\nin_def", "invoice", "is not an invoice ID"),
        ("key_" + "a" * (ID_MAX - 3), "api_key", "is not an API key ID"),
        ("org_" + "a" * 5000, "org", "…' is not an organization ID"),  # one line, cut short
    ],
)
def test_refused_naming_the_parameter(value: str, kind: str, says: str) -> None:
    with pytest.raises(UsageError) as caught:
        check_id(value, kind, "ID")
    assert caught.value.param == "ID"
    assert caught.value.message.startswith("ID")
    assert says in caught.value.message
    assert len(caught.value.message) < 150


def test_every_kind_of_the_rules_table_is_checked_by_its_prefix() -> None:
    for kind, prefix in ID_PREFIXES.items():
        assert check_id(f"{prefix}abc123", kind, "REF") == f"{prefix}abc123"
        other = next(p for k, p in ID_PREFIXES.items() if not p.startswith(prefix))
        with pytest.raises(UsageError) as caught:
            check_id(f"{other}abc123", kind, "--ref")
        assert caught.value.param == "--ref"
