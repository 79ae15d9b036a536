"""`portal me` flows in-process against the sandbox, with the server's state checked after each
command: settings, e-mail and password changes, two-factor codes on stdin, deleting the user.
Binary stdin and a process that waits for its code while a script reads the secret file need a
real process: tests/e2e/test_e2e_me.py."""

from __future__ import annotations

from datetime import datetime, timedelta

from support.harness import (
    ADMIN,
    DEMO_PASSWORD,
    OWNER,
    SANDBOX_NOW,
    Sandbox,
    assert_one_line_error,
)
from support.inprocess import Portal

NOW = datetime.fromisoformat(SANDBOX_NOW.replace("Z", "+00:00"))


def _at(sandbox: Sandbox, minutes: int) -> datetime:
    later = NOW + timedelta(minutes=minutes)
    sandbox.clock(later.isoformat().replace("+00:00", "Z"))
    return later


def test_settings_round_trip(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    portal.run("me", "set-name", "Olivia O.")
    portal.run("me", "theme", "light")
    portal.run("me", "notifications", "set", "assigned_tickets=off")
    me = sandbox.get("me", token)
    assert me["display_name"] == "Olivia O." and me["theme"] == "light"
    assert me["notifications"]["assigned_tickets"] is False
    assert portal.json("me", "show") == me


def test_email_change_and_confirm(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    new = "olivia@elsewhere.example"
    changed = portal.run(
        "me", "email", "change", new, "--password-stdin", stdin=DEMO_PASSWORD + "\n"
    )
    assert new in changed.stderr
    assert sandbox.get("me", token)["pending_email"] == new
    code = [mail for mail in sandbox.outbox() if mail["to"] == new][-1]["code"]
    wrong = portal.run(
        "me", "email", "confirm", "000000" if code != "000000" else "111111", exit_code=2
    )
    assert_one_line_error(wrong, mentions="code")
    portal.run("me", "email", "confirm", code)
    assert sandbox.get("me", token)["email"] == new


def test_password_change_ends_other_sessions(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    other = sandbox.sign_in(OWNER)
    new = "a-fresh-long-password"
    portal.run("me", "password", "change", "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{new}\n")
    assert sandbox.api("GET", "me", token).status_code == 200
    assert sandbox.api("GET", "me", other).status_code == 401
    assert sandbox.sign_in(OWNER, new)


def test_2fa_recovery_codes_sign_in_and_disable_with_codes_on_stdin(
    portal: Portal, sandbox: Sandbox
) -> None:
    """After enrolment (scripted: tests/e2e/test_e2e_me.py; at a terminal: tests/pty)."""
    token = portal.sign_in(OWNER)
    two_factor = sandbox.enable_totp(OWNER)
    codes, totp = two_factor.recovery_codes, two_factor.totp
    assert portal.json("me", "2fa", "status")["totp_enabled"] is True

    regenerated = portal.run(
        *("me", "2fa", "recovery-codes", "--password-stdin"),
        stdin=f"{DEMO_PASSWORD}\n{totp.at(_at(sandbox, 2))}\n",
    ).stdout.split()
    assert len(regenerated) == 10 and not set(regenerated) & set(codes)

    # Signing in now needs a code; a recovery code works once.
    login = ("auth", "login", "--email", OWNER, "--password-stdin")
    assert_one_line_error(portal.run(*login, stdin=DEMO_PASSWORD + "\n", exit_code=4))
    portal.run(*login, stdin=f"{DEMO_PASSWORD}\n{regenerated[0]}\n")
    portal.run(*login, stdin=f"{DEMO_PASSWORD}\n{regenerated[0]}\n", exit_code=4)
    portal.run(*login, stdin=f"{DEMO_PASSWORD}\n{codes[1]}\n", exit_code=4)  # an old set's code

    portal.run(
        *("me", "2fa", "disable", "--password-stdin"),
        stdin=f"{DEMO_PASSWORD}\n{totp.at(_at(sandbox, 4))}\n",
    )
    assert sandbox.get("me", token)["totp_enabled"] is False
    portal.run(*login, stdin=DEMO_PASSWORD + "\n")


def test_delete_removes_the_user_and_the_keyring_entry(portal: Portal, sandbox: Sandbox) -> None:
    portal.login(ADMIN)
    assert portal.stored_tokens()
    result = portal.run(
        *("me", "delete", "--yes", "--confirm-email", ADMIN, "--password-stdin"),
        stdin=DEMO_PASSWORD + "\n",
    )
    assert "Deleted" in result.stderr
    assert portal.stored_tokens() == []
    refused = sandbox.api("POST", "auth/sessions", json={"email": ADMIN, "password": DEMO_PASSWORD})
    assert refused.status_code == 401
    assert_one_line_error(portal.run("me", "show", exit_code=4))


def test_delete_as_sole_owner_is_exit_7(portal: Portal, sandbox: Sandbox) -> None:
    token = portal.sign_in(OWNER)
    result = portal.run(
        *("me", "delete", "--yes", "--confirm-email", OWNER, "--password-stdin"),
        stdin=DEMO_PASSWORD + "\n",
        exit_code=7,
    )
    assert_one_line_error(result)
    assert "hint:" in result.stderr
    assert sandbox.api("GET", "me", token).status_code == 200
