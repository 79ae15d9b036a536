"""inputs/passwords.py: the new-password rule and the strength rating, as plain functions."""

from __future__ import annotations

import pytest

from chathq_cli import errors
from chathq_cli.inputs.passwords import (
    PASSWORD_MAX,
    check_new_password,
    password_problem,
    password_strength,
)


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
        # Control characters: a pasted escape sequence or a NUL cannot be typed at sign-in.
        ("long-enough\x00password", None, "control characters"),
        ("long-enough\x1b[31mpassword", None, "control characters"),
        ("long-enough\tpassword", None, "control characters"),
        ("long-enough\x7fpassword", None, "control characters"),
        ("long-enough\u2028password", None, "control characters"),
        ("long-enough\u200bpassword", None, "control characters"),
        ("x" * 12 + "\n", None, "control characters"),
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


@pytest.mark.parametrize(
    ("param", "message"),
    [
        ("--password-stdin", "--password-stdin: the new password must not contain control"),
        (None, "the new password must not contain control"),
    ],
)
def test_check_new_password_names_the_flag_it_came_through(param: str | None, message: str) -> None:
    assert check_new_password("long-enough-password", param) == "long-enough-password"
    with pytest.raises(errors.UsageError) as caught:
        check_new_password("long-enough\x1bpassword", param)
    assert caught.value.param == param
    assert caught.value.message.startswith(message)
