"""At a terminal, a creation ends with the command to run next, on stderr; never for scripts
(piped, or with --json)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from support.demo import DEMO_PASSWORD, OWNER
from support.inprocess import Portal


def _next_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("Next: ")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_org_create_names_the_first_account_to_create(portal: Portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("org", "create", "Acme Europe", tty=True)
    org = portal.run("org", "list", "--jq", '.[] | select(.name == "Acme Europe") | .id')
    assert _next_line(result.stderr) == (
        f"Next: portal account create NAME --org {org.stdout.strip()} --use to give it an account"
    )


def test_auth_login_names_account_list(portal: Portal) -> None:
    result = portal.run(
        "auth", "login", "--email", OWNER, "--password-stdin", stdin=DEMO_PASSWORD + "\n", tty=True
    )
    assert "portal account list" in _next_line(result.stderr)


@pytest.mark.parametrize(
    ("make", "command"),
    [
        (lambda n: ("team", "invite", f"new{n}@example.test"), "portal team invitations"),
        (lambda n: ("team", "link", "create"), "portal team link list"),
        (lambda n: ("secrets", "add", f"ci-deploy-{n}"), "portal account show"),
    ],
)
def test_creations_name_the_next_command_at_a_terminal_only(
    portal: Portal, make: Callable[[int], tuple[str, ...]], command: str
) -> None:
    portal.sign_in(OWNER)
    assert command in _next_line(portal.run(*make(1), tty=True).stderr)
    assert "Next:" not in portal.run(*make(2)).stderr
    assert "Next:" not in portal.run(*make(3), "--json", tty=True).stderr
