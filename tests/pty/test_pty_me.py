"""`portal me` at a real terminal (pexpect): two-factor enrolment with the QR code, the code
typed until right, the recovery codes shown once; then sign-in asks a code and takes a recovery
code once; turning 2FA off; the hidden password change; the typed e-mail of `me delete`.

Codes come from pyotp's `at()` at the sandbox clock (SANDBOX_NOW and minutes past it), never
from the wall clock."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pyotp
import pytest

from support.harness import ADMIN, DEMO_PASSWORD, OWNER, SANDBOX_NOW, Cli, Sandbox
from support.terminal import Terminal

pytestmark = pytest.mark.pty

NOW = datetime.fromisoformat(SANDBOX_NOW.replace("Z", "+00:00"))
PASSWORD_PROMPT = r"(?i)password[^\n]*:"
CODE_PROMPT = r"(?i)two-factor code[^\n]*:"
ENROL_PROMPT = r"Code from the app: "
QR_GLYPHS = set("█▀▄ ")


def _at(sandbox: Sandbox, minutes: int) -> datetime:
    later = NOW + timedelta(minutes=minutes)
    sandbox.clock(later.isoformat().replace("+00:00", "Z"))
    return later


def _terminal(cli: Cli, *args: str) -> Terminal:
    """80 columns: the QR code must fit the narrowest usual terminal."""
    return Terminal(cli, *args, columns=80, rows=50)


def test_2fa_enrolment_sign_in_recovery_code_and_disable(cli: Cli, sandbox: Sandbox) -> None:
    cli.sign_in(OWNER)
    when = _at(sandbox, 0)
    term = _terminal(cli, "me", "2fa", "enable")
    shown = term.expect(ENROL_PROMPT).replace("\r\n", "\n")

    # A QR code of half blocks that fits 80 columns, then the secret as text.
    qr = [line for line in shown.splitlines() if line and set(line) <= QR_GLYPHS]
    assert len(qr) >= 20, shown
    assert all(len(line) <= 80 for line in qr)
    match = re.search(r"by hand:\s*\n([A-Z2-7]{16,})\s*\n", shown)
    assert match, shown
    totp = pyotp.TOTP(match.group(1))

    term.send_line("000000")  # a wrong code: asked again
    term.expect(ENROL_PROMPT)
    term.send_line(totp.at(when))
    assert term.finish() == 0, term.text
    recovery = re.findall(r"^([a-z2-9]{5}-[a-z2-9]{5})$", term.text, flags=re.MULTILINE)
    assert len(recovery) == 10, term.text
    assert "store these" in term.text and "not right" in term.text
    assert "Traceback" not in term.text

    # Signing in now asks for a code; a recovery code is accepted there, once.
    for expected in (0, 4):
        login = _terminal(cli, "auth", "login", "--email", OWNER)
        login.expect(PASSWORD_PROMPT)
        login.send_line(DEMO_PASSWORD)
        login.expect(r"(?i)recovery code[^\n]*:")
        login.send_line(recovery[0])
        assert login.finish() == expected, login.text
        assert DEMO_PASSWORD not in login.text and recovery[0] not in login.text

    # Turning it off asks the password and a code (both hidden).
    disable = _terminal(cli, "me", "2fa", "disable")
    disable.expect(PASSWORD_PROMPT)
    disable.send_line(DEMO_PASSWORD)
    disable.expect(CODE_PROMPT)
    code = totp.at(_at(sandbox, 2))
    disable.send_line(code)
    assert disable.finish() == 0, disable.text
    assert code not in disable.text
    assert cli.run("me", "2fa", "status", "--json").json()["totp_enabled"] is False


def test_password_change_hidden_twice_with_a_strength_hint(cli: Cli, sandbox: Sandbox) -> None:
    cli.sign_in(OWNER)
    new = "violet staple canoe drizzle"
    term = _terminal(cli, "me", "password", "change")
    term.expect(r"Current password:")
    term.send_line(DEMO_PASSWORD)
    term.expect(r"New password:")
    term.send_line(new)
    term.expect(r"New password again:")
    term.send_line(new)
    assert term.finish() == 0, term.text
    assert "at least 10 characters" in term.text
    assert "Password strength: strong" in term.text
    assert DEMO_PASSWORD not in term.text and new not in term.text
    assert sandbox.sign_in(OWNER, new)


def test_delete_asks_for_the_typed_email_then_the_password(cli: Cli, sandbox: Sandbox) -> None:
    cli.login(ADMIN)
    term = _terminal(cli, "me", "delete")
    term.expect("Type")
    term.expect(r"to confirm: ")
    term.send_line(ADMIN)
    term.expect(PASSWORD_PROMPT)
    term.send_line(DEMO_PASSWORD)
    assert term.finish() == 0, term.text
    assert DEMO_PASSWORD not in term.text
    refused = sandbox.api("POST", "auth/sessions", json={"email": ADMIN, "password": DEMO_PASSWORD})
    assert refused.status_code == 401


def test_ctrl_c_at_the_enrolment_code_leaves_2fa_off_and_no_secret(
    cli: Cli, sandbox: Sandbox, tmp_path: Path
) -> None:
    token = cli.sign_in(OWNER)
    secret_file = tmp_path / "totp.secret"
    term = _terminal(cli, "me", "2fa", "enable", "--secret-out", str(secret_file))
    term.expect(ENROL_PROMPT)
    assert secret_file.exists()
    term.interrupt()
    assert term.finish() == 130, term.text
    assert "Traceback" not in term.text
    assert not secret_file.exists()
    assert sandbox.get("me", token)["totp_enabled"] is False
