"""`portal me`: personal settings and two-factor authentication, run in-process against the real
sandbox, with the server's state checked through its API after every change (and after every
refused one: bad input changes nothing)."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
import segno

from chathq_cli import errors
from chathq_cli.commands.me import _qr, _view
from chathq_cli.inputs.images import AVATAR_MAX_BYTES
from support.demo import ADMIN, DEMO_PASSWORD, OUTSIDER, OWNER, SANDBOX_NOW
from support.harness import Sandbox, assert_one_line_error
from support.inprocess import Portal

NOW = datetime.fromisoformat(SANDBOX_NOW.replace("Z", "+00:00"))


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    segno.make("avatar").save(buffer, kind="png")
    return buffer.getvalue()


GIF = b"GIF89a" + b"\x01\x00\x01\x00\x00\x00\x00;"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _me(portal: Portal, token: str) -> dict[str, Any]:
    return dict(portal.sandbox.get("me", token))


def _at(minutes: int, sandbox: Sandbox) -> datetime:
    """Move the sandbox clock `minutes` past SANDBOX_NOW (codes are single-use per step)."""
    later = NOW + timedelta(minutes=minutes)
    sandbox.clock(later.isoformat().replace("+00:00", "Z"))
    return later


def _unchanged(portal: Portal, token: str, before: dict[str, Any]) -> None:
    assert _me(portal, token) == before


# --------------------------------------------------------------------------------------------
# Pure helpers


def test_render_qr_is_segnos_matrix_in_half_blocks() -> None:
    uri = "otpauth://totp/ChatHQ%3Aowner%40demo.chathq.test?secret=JBSWY3DPEHPK3PXP&issuer=ChatHQ"
    lines = _qr.render_qr(uri)
    expected = [
        [bool(cell) for cell in row]
        for row in segno.make(uri, micro=False).matrix_iter(scale=1, border=_qr.QR_BORDER)
    ]
    # Decode the drawing back into modules: a block is light, a space dark.
    top = {"█": False, "▀": False, "▄": True, " ": True}
    bottom = {"█": False, "▀": True, "▄": False, " ": True}
    decoded: list[list[bool]] = []
    for line in lines:
        decoded.append([top[ch] for ch in line])
        decoded.append([bottom[ch] for ch in line])
    assert decoded[: len(expected)] == expected
    assert max(len(line) for line in lines) <= 80


def test_notification_labels_cover_the_api_keys_in_order() -> None:
    from chathq_cli.api import rules

    assert tuple(_view.NOTIFICATIONS) == rules.NOTIFICATION_KEYS


# --------------------------------------------------------------------------------------------
# show, set-name, theme, notifications


def test_show_lists_every_setting(portal: Portal) -> None:
    portal.sign_in(OWNER)
    text = portal.run("me", "show").stdout
    for label in ("Name", "E-mail", "Two-factor", "Theme", "Default account", "Notify: notes"):
        assert label in text
    data = portal.json("me", "show")
    assert data["email"] == OWNER and data["totp_enabled"] is False
    assert set(data["notifications"]) == set(_view.NOTIFICATIONS)
    header, row = portal.run("me", "show", "--format", "csv").stdout.splitlines()
    assert "totp_enabled" in header.split(",") and "notifications.notes" in header.split(",")
    assert OWNER in row.split(",")


def test_show_fits_80_columns_on_a_terminal(portal: Portal) -> None:
    portal.sign_in(OWNER)
    result = portal.run("me", "show", tty=True, columns=80)
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_set_name_changes_the_display_name(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    result = portal.run("me", "set-name", "  Ada Lovelace  ")
    assert "Ada Lovelace" in result.stderr
    assert _me(portal, token)["display_name"] == "Ada Lovelace"
    assert portal.json("me", "set-name", "Ada")["display_name"] == "Ada"


def test_theme_and_notifications_are_stored(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    portal.run("me", "theme", "dark")
    portal.run("me", "notifications", "set", "notes=off", "inquiries=off", "reminders=on")
    after = _me(portal, token)
    assert after["theme"] == "dark"
    assert after["notifications"] == {
        "assigned_conversations": True,
        "assigned_tickets": True,
        "notes": False,
        "reminders": True,
        "inquiries": False,
    }
    assert portal.json("me", "notifications")["notes"] is False
    shown = portal.run("me", "notifications", "show").stdout
    assert "notes\toff" in shown and "assigned_tickets\ton" in shown


def test_api_key_is_told_personal_settings_need_a_user(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    account = portal.sandbox.account_named(token, "Acme Support")
    key = portal.sandbox.api(
        "POST", f"accounts/{account['id']}/api_keys", token, json={"name": "ci"}
    ).json()["secret"]
    result = portal.run("me", "show", env={"PORTAL_TOKEN": key}, exit_code=5)
    assert "API key" in assert_one_line_error(result) + result.stderr


# --------------------------------------------------------------------------------------------
# avatar


@pytest.mark.parametrize("image", [_png_bytes(), GIF, JPEG], ids=["png", "gif", "jpeg"])
def test_avatar_set_by_content_whatever_the_name(
    portal: Portal, tmp_path: Path, image: bytes
) -> None:
    token = portal.sign_in(OWNER)
    path = tmp_path / "photo.txt"  # the name says nothing; the bytes decide
    path.write_bytes(image)
    portal.run("me", "avatar", "set", str(path))
    url = _me(portal, token)["avatar_url"]
    assert url
    assert portal.sandbox.api("GET", url).content == image
    portal.run("me", "avatar", "remove")
    assert _me(portal, token)["avatar_url"] is None


def test_avatar_of_exactly_5_mb_is_accepted(portal: Portal, tmp_path: Path) -> None:
    token = portal.sign_in(OWNER)
    path = tmp_path / "big.gif"
    with path.open("wb") as handle:
        handle.write(GIF)
        handle.truncate(AVATAR_MAX_BYTES)
    portal.run("me", "avatar", "set", str(path))
    assert _me(portal, token)["avatar_url"]


# --------------------------------------------------------------------------------------------
# e-mail and password


def test_email_change_then_confirm(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    new = "olivia@new.example.com"
    result = portal.run(
        "me", "email", "change", new, "--password-stdin", stdin=DEMO_PASSWORD + "\n"
    )
    assert f"sent to {new}" in result.stderr
    assert DEMO_PASSWORD not in result.stdout + result.stderr
    assert _me(portal, token)["pending_email"] == new
    assert new in portal.run("me", "show").stdout
    mail = [m for m in portal.sandbox.outbox() if m["to"] == new][-1]
    code = mail["code"]
    portal.run("me", "email", "confirm", code)
    after = _me(portal, token)
    assert after["email"] == new and after["pending_email"] is None


def test_password_change_from_stdin(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    new = "a-much-longer-passphrase"
    result = portal.run(
        "me", "password", "change", "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{new}\n"
    )
    assert new not in result.stdout + result.stderr
    assert portal.sandbox.api("GET", "me", token).status_code == 200  # this session stays
    assert (
        portal.sandbox.api(
            "POST", "auth/sessions", json={"email": OWNER, "password": new}
        ).status_code
        == 201
    )


def test_password_change_on_a_terminal_asks_twice_and_rates_it(portal: Portal) -> None:
    portal.sign_in(OWNER)
    new = "correct horse battery staple"
    result = portal.run(
        "me", "password", "change", tty=True, stdin=f"{DEMO_PASSWORD}\n{new}\n{new}\n"
    )
    assert "New password again" in result.stderr
    assert "Password strength: strong" in result.stderr
    assert new not in result.stdout


def test_password_change_with_2fa_reads_the_code_third(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    two_factor = portal.sandbox.enable_totp(OWNER)
    code = two_factor.fresh_code(minutes=2)
    new = "another-long-password"
    portal.run(
        "me", "password", "change", "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{new}\n{code}\n"
    )
    assert portal.sandbox.api("GET", "me", token).status_code == 200


# --------------------------------------------------------------------------------------------
# two-factor authentication


def _enable_with_stdin(portal: Portal, tmp_path: Path, minutes: int = 0) -> tuple[pyotp.TOTP, Any]:
    """Enrol through the CLI: the secret is only known once the command started, so the code
    is computed by the (patched) terminal stdin when the command reads it."""
    secret_file = tmp_path / "totp.secret"
    when = _at(minutes, portal.sandbox)

    class CodeFromSecretFile(io.StringIO):
        def readline(self, *args: Any) -> str:
            return pyotp.TOTP(secret_file.read_text().strip()).at(when) + "\n"

    from chathq_cli.__main__ import main
    from chathq_cli.cli import environment
    from chathq_cli.output import Env

    term = Env(stdin=CodeFromSecretFile(), stdout=io.StringIO(), stderr=io.StringIO())
    code = main(
        ["me", "2fa", "enable", "--secret-out", str(secret_file), "--code-stdin", "--json"],
        environment.Environment(term=term),
    )
    assert code == 0, term.stderr.getvalue()
    assert oct(secret_file.stat().st_mode & 0o777) == "0o600"
    return pyotp.TOTP(secret_file.read_text().strip()), term


def test_enable_with_secret_file_and_code_on_stdin(portal: Portal, tmp_path: Path) -> None:
    token = portal.sign_in(OWNER)
    totp, term = _enable_with_stdin(portal, tmp_path)

    codes = json.loads(term.stdout.getvalue())["recovery_codes"]
    assert len(codes) == 10
    assert totp.secret not in term.stdout.getvalue()  # the secret went to the file only
    assert "store these" in term.stderr.getvalue()
    assert _me(portal, token)["totp_enabled"] is True
    status = portal.json("me", "2fa", "status")
    assert status == {"email": OWNER, "totp_enabled": True}


def test_recovery_codes_regenerate_and_disable(portal: Portal, tmp_path: Path) -> None:
    token = portal.sign_in(OWNER)
    two_factor = portal.sandbox.enable_totp(OWNER)
    old = two_factor.recovery_codes
    code = two_factor.fresh_code(minutes=2)
    result = portal.run(
        "me", "2fa", "recovery-codes", "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{code}\n"
    )
    new = result.stdout.split()
    assert len(new) == 10 and not set(new) & set(old)
    assert "old ones no longer work" in result.stderr
    # An old recovery code no longer signs in; a new one does, once.
    body = {"email": OWNER, "password": DEMO_PASSWORD, "totp_code": old[0]}
    assert portal.sandbox.api("POST", "auth/sessions", json=body).status_code == 401
    body["totp_code"] = new[0]
    assert portal.sandbox.api("POST", "auth/sessions", json=body).status_code == 201
    assert portal.sandbox.api("POST", "auth/sessions", json=body).status_code == 401
    # Disable with a recovery code in place of the app's code.
    portal.run("me", "2fa", "disable", "--password-stdin", stdin=f"{DEMO_PASSWORD}\n{new[1]}\n")
    assert _me(portal, token)["totp_enabled"] is False
    assert "off" in portal.run("me", "2fa", "status").stdout


def test_login_prompt_accepts_a_recovery_code(portal: Portal) -> None:
    codes = portal.sandbox.enable_totp(OWNER).recovery_codes
    result = portal.run(
        "auth", "login", "--email", OWNER, tty=True, stdin=f"{DEMO_PASSWORD}\n{codes[0]}\n"
    )
    assert "recovery code" in result.stderr
    assert "cannot be used again" in result.stderr


# --------------------------------------------------------------------------------------------
# delete


def test_delete_sole_owner_is_exit_7_with_a_hint(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    result = portal.run(
        "me",
        "delete",
        "--yes",
        "--confirm-email",
        OWNER,
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
        exit_code=7,
    )
    assert_one_line_error(result)
    assert "owner" in result.stderr.split("hint:")[1]
    assert portal.sandbox.api("GET", "me", token).status_code == 200


def test_delete_removes_the_user_and_the_stored_token(portal: Portal, memory_keyring: Any) -> None:
    portal.sign_in(ADMIN)
    assert memory_keyring.passwords
    portal.run(
        "me",
        "delete",
        "--yes",
        "--confirm-email",
        ADMIN.upper(),
        "--password-stdin",
        stdin=DEMO_PASSWORD + "\n",
    )
    assert not memory_keyring.passwords
    gone = portal.sandbox.api(
        "POST", "auth/sessions", json={"email": ADMIN, "password": DEMO_PASSWORD}
    )
    assert gone.status_code == 401


def test_delete_on_a_terminal_needs_the_typed_email(portal: Portal) -> None:
    token = portal.sign_in(OUTSIDER)
    result = portal.run("me", "delete", tty=True, stdin="someone@else.test\n", exit_code=3)
    assert portal.sandbox.api("GET", "me", token).status_code == 200
    assert "error:" in result.stderr


# --------------------------------------------------------------------------------------------
# Bad input: one line, the documented code, nothing changed on the server.


def _bad_files(tmp_path: Path) -> dict[str, str]:
    exe = tmp_path / "renamed.png"
    exe.write_text("#!/bin/sh\necho not an image\n")
    elf = tmp_path / "python.png"
    with open("/proc/self/exe", "rb") as source:
        elf.write_bytes(source.read(8192))  # a real executable's first bytes, renamed
    big = tmp_path / "huge.png"
    with big.open("wb") as handle:  # sparse: 50 MB on paper, a few bytes on disk
        handle.write(b"\x89PNG\r\n\x1a\n")
        handle.truncate(50 * 1024 * 1024)
    just_over = tmp_path / "over.gif"
    with just_over.open("wb") as handle:
        handle.write(GIF)
        handle.truncate(AVATAR_MAX_BYTES + 1)
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    svg = tmp_path / "vector.png"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    folder = tmp_path / "folder.png"
    folder.mkdir()
    return {
        "text renamed .png": str(exe),
        "executable renamed .png": str(elf),
        "50 MB image": str(big),
        "5 MB + 1 byte": str(just_over),
        "empty file": str(empty),
        "svg": str(svg),
        "directory": str(folder),
        "missing file": str(tmp_path / "nope.png"),
        "empty path": "",
        "dev zero": "/dev/zero",
    }


BAD_AVATARS = [
    "text renamed .png",
    "executable renamed .png",
    "50 MB image",
    "5 MB + 1 byte",
    "empty file",
    "svg",
    "directory",
    "missing file",
    "empty path",
    "dev zero",
]


@pytest.mark.parametrize("case", BAD_AVATARS)
def test_bad_avatar_is_exit_2_before_upload(portal: Portal, tmp_path: Path, case: str) -> None:
    token = portal.sign_in(OWNER)
    before = _me(portal, token)
    result = portal.run("me", "avatar", "set", _bad_files(tmp_path)[case], exit_code=2)
    assert_one_line_error(result, mentions="FILE")
    # A UsageError is raised before any request; a refusal by the server would be an ApiError.
    assert isinstance(result.error, errors.UsageError)
    _unchanged(portal, token, before)


def test_bad_avatar_on_stdin_is_refused_too(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    before = _me(portal, token)
    result = portal.run("me", "avatar", "set", "-", stdin="#!/bin/sh\necho hi\n", exit_code=2)
    assert_one_line_error(result, mentions="standard input")
    result = portal.run("me", "avatar", "set", "-", tty=True, exit_code=2)
    assert_one_line_error(result, mentions="terminal")
    _unchanged(portal, token, before)


BAD_ARGS: list[tuple[str, tuple[str, ...], str | None, int, str]] = [
    # (id, args, stdin, exit code, the error mentions)
    ("unknown theme", ("me", "theme", "blue"), None, 2, "THEME"),
    ("empty theme", ("me", "theme", ""), None, 2, "THEME"),
    ("unknown key", ("me", "notifications", "set", "sms=off"), None, 2, "assigned_tickets"),
    ("no value", ("me", "notifications", "set", "notes"), None, 2, "KEY=on|off"),
    ("bad value", ("me", "notifications", "set", "notes=maybe"), None, 2, "on or off"),
    ("on and off", ("me", "notifications", "set", "notes=on", "notes=off"), None, 2, "notes"),
    ("blank name", ("me", "set-name", "   "), None, 2, "NAME"),
    ("long name", ("me", "set-name", "x" * 10_000), None, 2, "NAME"),
    ("control name", ("me", "set-name", "Ada\x1b[31m"), None, 2, "NAME"),
    ("malformed e-mail", ("me", "email", "change", "not-an-email"), None, 2, "NEW"),
    ("e-mail with space", ("me", "email", "change", "a b@example.com"), None, 2, "NEW"),
    ("same e-mail", ("me", "email", "change", OWNER), None, 2, "NEW"),
    (
        "e-mail wrong password",
        ("me", "email", "change", "x@example.com", "--password-stdin"),
        "wrong-password\n",
        4,
        "password",
    ),
    ("e-mail no password", ("me", "email", "change", "x@example.com"), None, 2, "--password-stdin"),
    ("bad confirm code", ("me", "email", "confirm", "000000"), None, 2, "code"),
    ("blank confirm code", ("me", "email", "confirm", " "), None, 2, "CODE"),
    (
        "password too short",
        ("me", "password", "change", "--password-stdin"),
        f"{DEMO_PASSWORD}\nshort\n",
        2,
        "10 characters",
    ),
    (
        "password unchanged",
        ("me", "password", "change", "--password-stdin"),
        f"{DEMO_PASSWORD}\n{DEMO_PASSWORD}\n",
        2,
        "same",
    ),
    (
        "wrong current password",
        ("me", "password", "change", "--password-stdin"),
        "wrong-password\nlong-enough-password\n",
        4,
        "password",
    ),
    ("no new password", ("me", "password", "change", "--password-stdin"), "x\n", 2, "new password"),
    ("password no terminal", ("me", "password", "change"), None, 2, "--password-stdin"),
    ("disable when off", ("me", "2fa", "disable", "--password-stdin"), "x\n1\n", 7, "off"),
    ("codes when off", ("me", "2fa", "recovery-codes"), None, 7, "off"),
    ("enable no terminal", ("me", "2fa", "enable"), None, 2, "--code-stdin"),
    (
        "enable nowhere for secret",
        ("me", "2fa", "enable", "--code-stdin"),
        "1\n",
        2,
        "--secret-out",
    ),
    ("delete no terminal", ("me", "delete"), None, 2, "--yes"),
    (
        "delete yes alone",
        ("me", "delete", "--yes", "--password-stdin"),
        "x\n",
        2,
        "--confirm-email",
    ),
    (
        "delete other e-mail",
        ("me", "delete", "--yes", "--confirm-email", ADMIN, "--password-stdin"),
        f"{DEMO_PASSWORD}\n",
        2,
        "--confirm-email",
    ),
    (
        "delete malformed e-mail",
        ("me", "delete", "--yes", "--confirm-email", "nobody", "--password-stdin"),
        f"{DEMO_PASSWORD}\n",
        2,
        "--confirm-email",
    ),
    (
        "delete wrong password",
        ("me", "delete", "--yes", "--confirm-email", OWNER, "--password-stdin"),
        "wrong-password\n",
        4,
        "password",
    ),
]


@pytest.mark.parametrize(
    ("args", "stdin", "code", "mentions"),
    [case[1:] for case in BAD_ARGS],
    ids=[case[0] for case in BAD_ARGS],
)
def test_bad_input_is_one_line_and_changes_nothing(
    portal: Portal, args: tuple[str, ...], stdin: str | None, code: int, mentions: str
) -> None:
    token = portal.sign_in(OWNER)
    before = _me(portal, token)
    outbox = len(portal.sandbox.outbox())
    result = portal.run(*args, stdin=stdin, exit_code=code)
    assert_one_line_error(result, mentions=mentions)
    _unchanged(portal, token, before)
    assert len(portal.sandbox.outbox()) == outbox
    # The old password still works: nothing sensitive changed either.
    assert portal.sandbox.sign_in(OWNER)


def test_enable_refuses_to_overwrite_the_secret_file(portal: Portal, tmp_path: Path) -> None:
    token = portal.sign_in(OWNER)
    existing = tmp_path / "totp.secret"
    existing.write_text("keep me\n")
    result = portal.run(
        "me", "2fa", "enable", "--secret-out", str(existing), "--code-stdin", exit_code=2
    )
    assert_one_line_error(result, mentions="overwrite")
    assert existing.read_text() == "keep me\n"
    assert _me(portal, token)["totp_enabled"] is False


def test_enable_with_a_wrong_code_removes_the_secret_file(portal: Portal, tmp_path: Path) -> None:
    token = portal.sign_in(OWNER)
    secret = tmp_path / "totp.secret"
    args = ("me", "2fa", "enable", "--secret-out", str(secret), "--code-stdin")
    wrong = portal.run(*args, stdin="000000\n", exit_code=4)
    assert "error:" in wrong.stderr and "Traceback" not in wrong.stderr
    assert not secret.exists()
    malformed = portal.run(*args, stdin="12345\n", exit_code=2)
    assert "--code-stdin" in malformed.stderr
    assert _me(portal, token)["totp_enabled"] is False


def test_enable_on_a_terminal_gives_three_tries(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    result = portal.run("me", "2fa", "enable", tty=True, stdin="1\n000000\n111111\n", exit_code=4)
    assert result.stderr.count("Code from the app") == 3
    assert "still off" in result.stderr
    assert _me(portal, token)["totp_enabled"] is False


def test_wrong_and_reused_codes_change_nothing(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    two_factor = portal.sandbox.enable_totp(OWNER)
    before = _me(portal, token)
    args = ("me", "2fa", "disable", "--password-stdin")
    wrong = portal.run(*args, stdin=f"{DEMO_PASSWORD}\n000000\n", exit_code=4)
    assert_one_line_error(wrong, mentions="code")
    # The code enrolment just used (same time step) is spent: reusing it is refused.
    reused = two_factor.totp.at(NOW)
    again = portal.run(*args, stdin=f"{DEMO_PASSWORD}\n{reused}\n", exit_code=4)
    assert_one_line_error(again, mentions="code")
    missing = portal.run(*args, stdin=f"{DEMO_PASSWORD}\n", exit_code=4)
    assert_one_line_error(missing, mentions="code")
    wrong_password = portal.run(
        *args, stdin=f"not-the-password\n{two_factor.fresh_code(minutes=3)}\n", exit_code=4
    )
    assert_one_line_error(wrong_password, mentions="password")
    _unchanged(portal, token, before)


def test_enable_when_already_on_is_exit_7(portal: Portal, tmp_path: Path) -> None:
    portal.sign_in(OWNER)
    portal.sandbox.enable_totp(OWNER)
    result = portal.run(
        "me", "2fa", "enable", "--secret-out", str(tmp_path / "s"), "--code-stdin", exit_code=7
    )
    assert_one_line_error(result)
    assert not (tmp_path / "s").exists()


# --------------------------------------------------------------------------------------------
# --debug never shows a secret


def test_debug_output_leaks_no_secret(portal: Portal, tmp_path: Path) -> None:
    token = portal.sign_in(OWNER)
    secret_file = tmp_path / "totp.secret"
    when = _at(0, portal.sandbox)

    class CodeFromSecretFile(io.StringIO):
        def readline(self, *args: Any) -> str:
            return pyotp.TOTP(secret_file.read_text().strip()).at(when) + "\n"

    from chathq_cli.__main__ import main
    from chathq_cli.cli import environment
    from chathq_cli.output import Env

    term = Env(stdin=CodeFromSecretFile(), stdout=io.StringIO(), stderr=io.StringIO())
    args = ["me", "2fa", "enable", "--secret-out", str(secret_file), "--code-stdin", "--debug"]
    assert main(args, environment.Environment(term=term)) == 0, term.stderr.getvalue()
    secret = secret_file.read_text().strip()
    enrol_code = pyotp.TOTP(secret).at(when)
    codes = term.stdout.getvalue().split()
    debug_log = term.stderr.getvalue()
    assert "> POST" in debug_log  # the debug log is there...
    for value in (secret, enrol_code, token, *codes):
        assert value not in debug_log  # ...and none of the secrets

    later = pyotp.TOTP(secret).at(_at(2, portal.sandbox))
    new_password = "a-new-long-password"
    changed = portal.run(
        "me",
        "password",
        "change",
        "--password-stdin",
        "--debug",
        stdin=f"{DEMO_PASSWORD}\n{new_password}\n{later}\n",
    )
    email_code = None
    moved = portal.run(
        "me",
        "email",
        "change",
        "new@example.com",
        "--password-stdin",
        "--debug",
        stdin=f"{new_password}\n{pyotp.TOTP(secret).at(_at(4, portal.sandbox))}\n",
    )
    email_code = portal.sandbox.outbox()[-1]["code"]
    confirmed = portal.run("me", "email", "confirm", email_code, "--debug")
    for result in (changed, moved, confirmed):
        text = result.stdout + result.stderr
        assert "> POST" in text
        for value in (DEMO_PASSWORD, new_password, later, email_code, token, secret):
            assert value not in text, value


# --------------------------------------------------------------------------------------------
# A new password with a control character (a pasted escape sequence, a NUL) is refused before
# anything is sent, by `me password change` and `auth reset-password` alike (one shared rule).


@pytest.mark.parametrize("bad", ["long-enough\x00password", "long-enough\x1b[31mpassword"])
def test_password_change_refuses_control_characters(portal: Portal, bad: str) -> None:
    token = portal.sign_in(OWNER)
    before = _me(portal, token)
    result = portal.run(
        "me",
        "password",
        "change",
        "--password-stdin",
        stdin=f"{DEMO_PASSWORD}\n{bad}\n",
        exit_code=2,
    )
    # These commands print no data, so they take no --json: the error itself names the flag.
    assert isinstance(result.error, errors.UsageError)
    assert result.error.param == "--password-stdin"
    assert_one_line_error(result, mentions="--password-stdin: the new password must not contain")
    _unchanged(portal, token, before)
    assert portal.sandbox.sign_in(OWNER)


def test_password_change_at_a_prompt_refuses_control_characters(portal: Portal) -> None:
    portal.sign_in(OWNER)
    bad = "long-enough\x1bpassword"
    result = portal.run(
        "me", "password", "change", tty=True, stdin=f"{DEMO_PASSWORD}\n{bad}\n{bad}\n", exit_code=2
    )
    # A prompt's answer is no parameter: the message says what is wrong, param stays empty.
    assert isinstance(result.error, errors.UsageError) and result.error.param is None
    assert result.stderr.endswith("error: the new password must not contain control characters\n")
    assert portal.sandbox.sign_in(OWNER)


@pytest.mark.parametrize("bad", ["long-enough\x00password", "long-enough\x1b[31mpassword"])
def test_reset_password_refuses_control_characters_too(portal: Portal, bad: str) -> None:
    sent = portal.sandbox.api("POST", "auth/password_resets", json={"email": ADMIN})
    assert sent.status_code < 300, sent.text
    code = next(m["code"] for m in reversed(portal.sandbox.outbox()) if m["to"] == ADMIN)
    result = portal.run(
        "auth",
        "reset-password",
        "--email",
        ADMIN,
        "--have-code",
        "--password-stdin",
        stdin=f"{code}\n{bad}\n",
        exit_code=2,
    )
    assert isinstance(result.error, errors.UsageError)
    assert result.error.param == "--password-stdin"
    assert_one_line_error(result, mentions="control characters")
    assert portal.sandbox.sign_in(ADMIN)  # the old password still works


# --------------------------------------------------------------------------------------------
# Every error names what the user typed: the metavar of an argument, the flag of an option.

JSON_PARAMS: list[tuple[str, tuple[str, ...], str | None, str]] = [
    # (id, args, stdin, the param of the JSON error, which its message also starts with)
    ("bad theme", ("me", "theme", "blue", "--json"), None, "THEME"),
    ("empty theme", ("me", "theme", "", "--json"), None, "THEME"),
    ("unknown key", ("me", "notifications", "set", "sms=off", "--json"), None, "KEY=VALUE"),
    ("bad switch", ("me", "notifications", "set", "notes=maybe", "--json"), None, "KEY=VALUE"),
    ("not an image", ("me", "avatar", "set", "/proc/self/status", "--json"), None, "FILE"),
    ("blank name", ("me", "set-name", " ", "--json"), None, "NAME"),
    ("bad new e-mail", ("me", "email", "change", "nobody", "--json"), None, "NEW"),
    ("blank code", ("me", "email", "confirm", " ", "--json"), None, "CODE"),
]


@pytest.mark.parametrize(
    ("args", "stdin", "param"),
    [case[1:] for case in JSON_PARAMS],
    ids=[case[0] for case in JSON_PARAMS],
)
def test_json_errors_name_the_parameter_as_typed(
    portal: Portal, args: tuple[str, ...], stdin: str | None, param: str
) -> None:
    token = portal.sign_in(OWNER)
    before = _me(portal, token)
    result = portal.run(*args, stdin=stdin, exit_code=2)
    error = json.loads(result.stderr)["error"]
    assert error["param"] == param
    assert error["message"].startswith(param), error["message"]
    _unchanged(portal, token, before)


def test_a_too_long_code_on_stdin_names_password_stdin(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    portal.sandbox.enable_totp(OWNER)
    before = _me(portal, token)
    result = portal.run(
        "me",
        "email",
        "change",
        "new@example.com",
        "--password-stdin",
        "--json",
        stdin=f"{DEMO_PASSWORD}\n{'1' * 65}\n",
        exit_code=2,
    )
    error = json.loads(result.stderr)["error"]
    assert error["param"] == "--password-stdin"
    assert error["message"].startswith("--password-stdin: the two-factor code is too long")
    _unchanged(portal, token, before)


def test_theme_is_taken_in_any_case_and_completes(portal: Portal) -> None:
    token = portal.sign_in(OWNER)
    assert portal.json("me", "theme", " Dark ")["theme"] == "dark"
    assert _me(portal, token)["theme"] == "dark"
    from chathq_cli.commands.me.profile import complete_theme

    assert complete_theme("") == ["light", "dark", "system"]
    assert complete_theme("d") == ["dark"]
