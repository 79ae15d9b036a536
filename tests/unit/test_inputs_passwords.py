"""inputs/passwords.py: the new-password rule and the strength rating, as plain functions."""

from __future__ import annotations

import pytest

from chathq_cli.inputs.passwords import PASSWORD_MAX, password_problem, password_strength


@pytest.mark.parametrize(
    ("new", "current", "says"),
    [
        ("long-enough-password", None, None),
        ("long-enough-password", "another-password", None),
        ("x" * 10, None, None),
        ("x" * PASSWORD_MAX, None, None),
        ("correct horse battery staple", None, None),  # spaces are fine
        ("pässwörd-ünïcode", None, None),
        ("x" * 9, None, "at least 10 characters"),
        ("", None, "at least 10 characters"),
        ("x" * (PASSWORD_MAX + 1), None, "at most 1024 characters"),
        ("same-old-password", "same-old-password", "same as the current one"),
    ],
)
def test_password_problem(new: str, current: str | None, says: str | None) -> None:
    problem = password_problem(new, current)
    if says is None:
        assert problem is None
    else:
        assert problem is not None and says in problem


@pytest.mark.parametrize(
    ("password", "label"),
    [
        ("aaaaaaaaaa", "weak"),
        ("Summer2026!x", "good"),
        ("correct horse battery staple", "strong"),
        ("aaaaaaaaaaaaaaaaaaaa", "weak"),  # long but one character over and over
    ],
)
def test_password_strength(password: str, label: str) -> None:
    assert password_strength(password)[0] == label
