"""Reading standard input at a terminal says what is read and how to end it (item 19): a
silent wait looked like a hang. Piped input stays quiet."""

from __future__ import annotations

import pytest

from support.demo import OWNER

NOTICE = "from standard input (end with Ctrl-D)"


@pytest.mark.parametrize(
    ("args", "stdin", "what"),
    [
        (["team", "invite", "--from-file", "-", "--json"], "new1@example.com\n", "the addresses"),
        (["api", "POST", "orgs", "--input", "-"], '{"name": "Stdin Org"}', "the request body"),
        (["api", "POST", "orgs", "-F", "name=@-"], "Field Org", "a field value"),
        (
            ["integrations", "configure", "webhook", "--from-file", "-", "--json"],
            'url = "https://example.com/hook"\n',
            "the settings",
        ),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_reading_stdin_at_a_terminal_says_so(portal, args, stdin, what) -> None:
    portal.sign_in(OWNER)
    at_terminal = portal.run(*args, stdin=stdin, tty=True)
    assert f"Reading {what}" in at_terminal.stderr and NOTICE in at_terminal.stderr


def test_piped_stdin_is_read_quietly(portal) -> None:
    portal.sign_in(OWNER)
    piped = portal.run("api", "POST", "orgs", "--input", "-", stdin='{"name": "Piped Org"}')
    assert NOTICE not in piped.stderr


def test_password_stdin_at_a_terminal_says_so(portal) -> None:
    result = portal.run(
        "auth", "login", "--email", OWNER, "--password-stdin", stdin="chathq-demo\n", tty=True
    )
    assert f"Reading password {NOTICE}" in result.stderr
