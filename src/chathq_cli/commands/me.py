"""`portal me`: the signed-in user's own settings and two-factor authentication.

Sensitive changes (e-mail, password, 2FA off, new recovery codes, deleting the user) carry the
password and, when 2FA is on, a code: asked on the terminal with hidden input, or read line by
line from stdin with --password-stdin. Secrets never come from argv. The only secrets ever
written to stdout are the ones the user must see once: the TOTP secret (and its QR code) at
enrolment and the recovery codes.

The avatar's type is judged by its first bytes, and at most 5 MB + 1 byte is ever read, so
a huge file or an endless stream is refused before anything is uploaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated, Any, Literal

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import YesOpt, command

if TYPE_CHECKING:
    from chathq_cli.api.me import RecoveryCodes, User
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Column, Output


def _examples(*lines: str) -> str:
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    return "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)


app = typer.Typer(
    help="Your own settings: name, avatar, e-mail, password, 2FA, notifications, theme.",
    epilog=_examples(
        "portal me show",
        'portal me set-name "Ada Lovelace"',
        "portal me 2fa enable",
        "portal me notifications set notes=off",
        "portal me theme dark",
    ),
    no_args_is_help=True,
)
avatar_app = typer.Typer(
    help="Set or remove your avatar (JPEG, PNG or GIF, at most 5 MB).",
    epilog=_examples("portal me avatar set me.png", "portal me avatar remove"),
    no_args_is_help=True,
)
email_app = typer.Typer(
    help="Change your e-mail address (confirmed by a code sent to the new one).",
    epilog=_examples("portal me email change ada@example.com", "portal me email confirm 123456"),
    no_args_is_help=True,
)
password_app = typer.Typer(
    help="Change your password.",
    epilog=_examples("portal me password change"),
    no_args_is_help=True,
)
twofa_app = typer.Typer(
    help="Two-factor authentication (TOTP): status, enable, disable, recovery codes.",
    epilog=_examples(
        "portal me 2fa status",
        "portal me 2fa enable",
        "portal me 2fa recovery-codes",
        "portal me 2fa disable",
    ),
    no_args_is_help=True,
)
notifications_app = typer.Typer(  # its help is the callback's docstring
    invoke_without_command=True,
    no_args_is_help=False,
)
app.add_typer(avatar_app, name="avatar")
app.add_typer(email_app, name="email")
app.add_typer(password_app, name="password")
app.add_typer(twofa_app, name="2fa")
app.add_typer(notifications_app, name="notifications")

AVATAR_MAX_BYTES = 5 * 1024 * 1024
PASSWORD_MIN = 10
PASSWORD_MAX = 1024
CODE_MAX = 64
ENROL_TRIES = 3
QR_BORDER = 2  # modules of quiet zone: enough for phone scanners, keeps the code 80-column safe
QR_PNG_SCALE = 8

# The five e-mail notification keys of SPEC §5, in the portal's order, with their labels.
NOTIFICATIONS: dict[str, str] = {
    "assigned_conversations": "Assigned conversations",
    "assigned_tickets": "Assigned tickets",
    "notes": "Notes in assigned conversations",
    "reminders": "Assigned reminders",
    "inquiries": "Assigned inquiries",
}
_ON = {"on": True, "off": False, "true": True, "false": False, "yes": True, "no": False}

# Image types by their first bytes (SPEC §5: by content, never by the file's name).
_IMAGE_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)

PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from stdin (a two-factor code may follow on the next line).",
    ),
]


# --------------------------------------------------------------------------------------------
# Pure helpers (tested directly in tests/commands/test_me.py).


def sniff_image(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a JPEG, PNG or GIF by its magic bytes; None otherwise."""
    for magic, mime, ext in _IMAGE_MAGIC:
        if head.startswith(magic):
            return mime, ext
    return None


def read_at_most(stream: IO[bytes], limit: int, chunk: int = 256 * 1024) -> bytes:
    """At most `limit + 1` bytes of `stream`: one byte more than allowed proves "too large"
    without reading (or holding) the rest of a huge file or an endless stream."""
    parts: list[bytes] = []
    total = 0
    while total <= limit:
        data = stream.read(min(chunk, limit + 1 - total))
        if not data:
            break
        parts.append(data)
        total += len(data)
    return b"".join(parts)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def read_avatar(source: str, stdin: IO[str], *, stdin_isatty: bool) -> tuple[bytes, str, str]:
    """The image at `source` (a path, or `-` for stdin): (bytes, content type, extension).

    Everything wrong with it is a UsageError naming FILE, raised before any upload.
    """
    limit_text = "the limit is 5 MB"
    if source == "-":
        if stdin_isatty:
            raise errors.UsageError(
                "FILE is - but stdin is a terminal; pipe an image into it", param="FILE"
            )
        binary = getattr(stdin, "buffer", None)
        if binary is not None:
            data = read_at_most(binary, AVATAR_MAX_BYTES)
        else:  # an in-memory text stream (tests): its text as bytes
            data = stdin.read(AVATAR_MAX_BYTES + 1).encode("utf-8", "surrogateescape")
        label = "standard input"
    else:
        if not source.strip():
            raise errors.UsageError("FILE must not be empty", param="FILE")
        path = Path(source)
        label = str(path)
        try:
            info = path.stat()
        except FileNotFoundError:
            raise errors.UsageError(f"FILE {label}: no such file", param="FILE") from None
        except OSError as exc:
            raise errors.UsageError(f"FILE {label}: {exc.strerror}", param="FILE") from None
        import stat

        if stat.S_ISDIR(info.st_mode):
            raise errors.UsageError(f"FILE {label} is a directory, not an image", param="FILE")
        # A regular file's size is known: refuse a huge one without opening it.
        if stat.S_ISREG(info.st_mode) and info.st_size > AVATAR_MAX_BYTES:
            raise errors.UsageError(
                f"FILE {label} is {_megabytes(info.st_size)}; {limit_text}", param="FILE"
            )
        try:
            with path.open("rb") as handle:
                data = read_at_most(handle, AVATAR_MAX_BYTES)
        except OSError as exc:
            raise errors.UsageError(f"FILE {label}: {exc.strerror}", param="FILE") from None
    if not data:
        raise errors.UsageError(f"FILE {label} is empty", param="FILE")
    if len(data) > AVATAR_MAX_BYTES:
        raise errors.UsageError(f"FILE {label} is larger than the 5 MB limit", param="FILE")
    kind = sniff_image(data)
    if kind is None:
        raise errors.UsageError(
            f"FILE {label} is not a JPEG, PNG or GIF image (judged by its content, not its name)",
            param="FILE",
        )
    return data, kind[0], kind[1]


def parse_notification_settings(pairs: Sequence[str]) -> dict[str, bool]:
    """`["notes=off", "reminders=on"]` -> {"notes": False, "reminders": True}."""
    valid = ", ".join(NOTIFICATIONS)
    if not pairs:
        raise errors.UsageError(f"give at least one KEY=on|off (keys: {valid})", param="KEY=VALUE")
    chosen: dict[str, bool] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lower().replace("-", "_")
        if not sep:
            raise errors.UsageError(
                f"expected KEY=on|off, got {pair!r} (keys: {valid})", param="KEY=VALUE"
            )
        if key not in NOTIFICATIONS:
            raise errors.UsageError(
                f"unknown notification key {pair.partition('=')[0]!r}; valid keys: {valid}",
                param="KEY=VALUE",
            )
        flag = _ON.get(value.strip().lower())
        if flag is None:
            raise errors.UsageError(f"{key}: expected on or off, got {value!r}", param="KEY=VALUE")
        if key in chosen and chosen[key] != flag:
            raise errors.UsageError(f"{key} is given both on and off", param="KEY=VALUE")
        chosen[key] = flag
    return chosen


def password_problem(new: str, current: str | None = None) -> str | None:
    """Why a new password is refused (the server's rule: 10-1024 characters), or None."""
    if len(new) < PASSWORD_MIN:
        return f"the new password must be at least {PASSWORD_MIN} characters"
    if len(new) > PASSWORD_MAX:
        return f"the new password must be at most {PASSWORD_MAX} characters"
    if current is not None and new == current:
        return "the new password is the same as the current one"
    return None


def password_strength(password: str) -> tuple[str, str]:
    """A rough strength label and advice, for people choosing a password at a terminal."""
    kinds = sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )
    distinct = len(set(password))
    if len(password) >= 16 and distinct >= 8:
        return "strong", "long passwords are the hardest to guess"
    if len(password) >= 12 and kinds >= 3 and distinct >= 6:
        return "good", "a few more characters would make it stronger"
    return "weak", "use 16+ characters: several unrelated words are easy to remember"


def render_qr(text: str, border: int = QR_BORDER) -> list[str]:
    """`text` as a QR code drawn with half blocks: two module rows per terminal line.

    Light modules (and the quiet zone) are drawn as foreground blocks, like `qrencode -t UTF8`,
    so on the usual light-on-dark terminal the code reads dark on light as scanners expect.
    """
    import segno

    qr = segno.make(text, micro=False)
    rows = [[bool(cell) for cell in row] for row in qr.matrix_iter(scale=1, border=border)]
    if len(rows) % 2:
        rows.append([True] * len(rows[0]))  # below the code: terminal background
    glyph = {(False, False): "█", (False, True): "▀", (True, False): "▄", (True, True): " "}
    return [
        "".join(
            glyph[(top_dark, bottom_dark)]
            for top_dark, bottom_dark in zip(top, bottom, strict=True)
        )
        for top, bottom in zip(rows[::2], rows[1::2], strict=True)
    ]


def _normalise_totp(code: str) -> str:
    return code.strip().replace(" ", "").replace("-", "")


def _is_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


# --------------------------------------------------------------------------------------------
# Secrets for sensitive changes: successive stdin lines, or hidden prompts.


class _Secrets:
    """The password and two-factor code of a sensitive change, from stdin or the terminal."""

    def __init__(self, out: Output, *, from_stdin: bool, command: str) -> None:
        self.out = out
        self.from_stdin = from_stdin
        self.command = command

    def password(self, label: str = "Password", what: str = "password") -> str:
        if self.from_stdin:
            return self.out.read_stdin_secret(what)
        return self.out.prompt(label, hidden=True, flag="--password-stdin")

    def code(self) -> str:
        """A TOTP code or a recovery code (the server takes either in place of `totp_code`)."""
        hint = (
            "put the code on the next line of stdin with --password-stdin, "
            f"or run `{self.command}` in a terminal"
        )
        try:
            if self.from_stdin:
                code = self.out.read_stdin_secret("two-factor code")
            else:
                code = self.out.prompt(
                    "Two-factor code (or a recovery code)", hidden=True, flag="--password-stdin"
                )
        except errors.UsageError as exc:
            raise errors.AuthRequired("a two-factor code is required", hint=hint) from exc
        code = code.strip()
        if len(code) > CODE_MAX:
            raise errors.UsageError(
                f"the two-factor code is too long (at most {CODE_MAX} characters)",
                param="totp_code",
            )
        return code


def _require_totp_on(me: User, what: str) -> None:
    if not me.totp_enabled:
        raise errors.Conflict(
            f"two-factor authentication is off, so there is nothing to {what}",
            status=409,
            code="totp_not_enabled",
            hint="portal me 2fa enable",
        )


def _user_only(client: PortalClient) -> User:
    """GET /me, saying clearly that an API key has no personal settings."""
    try:
        return client.get_me()
    except errors.PermissionDenied as exc:
        exc.hint = exc.hint or (
            "personal settings need a user's sign-in, not an API key: portal auth login"
        )
        raise


# --------------------------------------------------------------------------------------------
# Views


def _user_view(user: dict[str, Any]) -> dict[str, Any]:
    view = dict(user)
    for key in NOTIFICATIONS:
        on = (user.get("notifications") or {}).get(key)
        view[f"notify_{key}"] = None if on is None else ("on" if on else "off")
    view["two_factor"] = "on" if user.get("totp_enabled") else "off"
    view["avatar"] = user.get("avatar_url") or "none"
    return view


def _user_columns() -> list[Column]:
    from chathq_cli.output import Column

    return [
        Column("display_name", "Name"),
        Column("email", "E-mail"),
        Column("pending_email", "Pending e-mail"),
        Column("two_factor", "Two-factor"),
        Column("theme", "Theme"),
        Column("avatar", "Avatar"),
        Column("default_account_id", "Default account", "id"),
        Column("id", "User ID", "id"),
        Column("created_at", "Created", "time"),
        *(Column(f"notify_{key}", f"Notify: {key.replace('_', ' ')}") for key in NOTIFICATIONS),
    ]


def _show_user(rt: Runtime, user: User) -> None:
    from chathq_cli.output import Column

    data = user.model_dump(mode="json")
    if rt.out.is_json:
        rt.out.object(data)
        return
    if rt.out.fmt == "csv":  # for machines: the API's field names, notifications flattened
        keys = [key for key in data if key not in ("object", "notifications")]
        keys += [f"notifications.{key}" for key in NOTIFICATIONS]
        rt.out.object(data, [Column(key, key) for key in keys])
        return
    rt.out.object(_user_view(data), _user_columns())


def _print_user_if_json(rt: Runtime, user: User) -> None:
    """Setting commands print the updated user for scripts; people get the one-line summary."""
    if rt.out.is_json:
        rt.out.object(user.model_dump(mode="json"))


def _show_recovery_codes(rt: Runtime, codes: RecoveryCodes, *, replaced: bool) -> None:
    out = rt.out
    if out.is_json:
        out.object(codes.model_dump(mode="json"))
    else:
        for code in codes.recovery_codes:
            out.value(code)
    old = " The old ones no longer work." if replaced else ""
    out.warn(
        f"store these {len(codes.recovery_codes)} recovery codes now, somewhere safe: they are "
        f"shown only once. Each one signs you in once in place of a code.{old}"
    )


# --------------------------------------------------------------------------------------------
# portal me show / set-name / theme


@command(app, data=True)
def show(rt: Runtime) -> None:
    """Show your name, e-mail (and a pending new one), 2FA, theme and notifications.

    \b
    Examples:
      portal me show
      portal me show --json
      portal me show --jq .totp_enabled
    """
    _show_user(rt, _user_only(rt.client()))


@command(app, "set-name", data=True)
def set_name(
    rt: Runtime,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="Your display name (1-100 characters).")
    ],
) -> None:
    """Change your display name.

    \b
    Examples:
      portal me set-name "Ada Lovelace"
      portal me set-name Ada --json
    """
    from chathq_cli.inputs.names import check_name

    clean = check_name(name, "NAME")
    user = rt.client().update_me(display_name=clean)
    _print_user_if_json(rt, user)
    rt.out.success(f"Your display name is now {user.display_name}")


@command(app, data=True)
def theme(
    rt: Runtime,
    choice: Annotated[
        Literal["light", "dark", "system"],
        typer.Argument(metavar="THEME", help="light, dark or system (follow the device)."),
    ],
) -> None:
    """Choose the portal's theme: light, dark or system.

    \b
    Examples:
      portal me theme dark
      portal me theme system
    """
    user = rt.client().update_me(theme=choice)
    _print_user_if_json(rt, user)
    rt.out.success(f"Theme set to {user.theme}")


# --------------------------------------------------------------------------------------------
# portal me avatar


@command(avatar_app, "set", data=True)
def avatar_set(
    rt: Runtime,
    source: Annotated[
        str,
        typer.Argument(
            metavar="FILE", help="A JPEG, PNG or GIF image of at most 5 MB; - reads stdin."
        ),
    ],
) -> None:
    """Upload a new avatar.

    The type is decided by the file's content, not its name; anything else, or a file over
    5 MB, is refused before uploading.

    \b
    Examples:
      portal me avatar set ~/Pictures/me.png
      curl -s https://example.com/me.jpg | portal me avatar set -
    """
    data, content_type, ext = read_avatar(
        source, rt.out.env.stdin, stdin_isatty=rt.out.env.stdin_isatty
    )
    user = rt.client().set_avatar(f"avatar.{ext}", data, content_type)
    _print_user_if_json(rt, user)
    rt.out.success(f"Avatar updated ({ext.upper()}, {len(data):,} bytes)")


@command(avatar_app, "remove", data=True)
def avatar_remove(rt: Runtime) -> None:
    """Remove your avatar (the portal shows your initials instead).

    \b
    Examples:
      portal me avatar remove
    """
    user = rt.client().remove_avatar()
    _print_user_if_json(rt, user)
    rt.out.success("Avatar removed")


# --------------------------------------------------------------------------------------------
# portal me email


@command(email_app, "change", data=True)
def email_change(
    rt: Runtime,
    new: Annotated[str, typer.Argument(metavar="NEW", help="Your new e-mail address.")],
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Start changing your e-mail address: a code is sent to the new address.

    Asks for your password (and a two-factor code when 2FA is on). You keep signing
    in with the current address until you run `portal me email confirm CODE`.

    \b
    Examples:
      portal me email change ada@example.com
      echo "$PASSWORD" | portal me email change ada@example.com --password-stdin
      portal me email confirm 123456
    """
    from chathq_cli.inputs.names import check_email

    address = check_email(new, "NEW")
    client = rt.client()
    me = _user_only(client)
    if address.lower() == me.email.lower():
        raise errors.UsageError(f"NEW is already your e-mail address ({me.email})", param="NEW")
    secrets = _Secrets(rt.out, from_stdin=password_stdin, command="portal me email change")
    password = secrets.password()
    code = secrets.code() if me.totp_enabled else None
    user = client.change_email(address, password, totp_code=code)
    _print_user_if_json(rt, user)
    rt.out.success(f"A confirmation code was sent to {user.pending_email or address}")
    rt.out.hint(
        f"run `portal me email confirm CODE` with that code; until then you sign in as {me.email}"
    )


@command(email_app, "confirm", data=True)
def email_confirm(
    rt: Runtime,
    code: Annotated[
        str, typer.Argument(metavar="CODE", help="The code e-mailed to the new address.")
    ],
) -> None:
    """Finish changing your e-mail address with the code sent to it.

    \b
    Examples:
      portal me email confirm 123456
    """
    code = code.strip()
    if not code:
        raise errors.UsageError("CODE must not be empty", param="CODE")
    if len(code) > CODE_MAX:
        raise errors.UsageError(f"CODE is too long (at most {CODE_MAX} characters)", param="CODE")
    try:
        user = rt.client().confirm_email(code)
    except errors.InvalidRequest as exc:
        if exc.code == "invalid_code":
            exc.param = "CODE"
            exc.hint = "codes expire after an hour: `portal me email change NEW` sends a new one"
        raise
    if rt.settings.email:
        rt.remember(email=user.email)
    _print_user_if_json(rt, user)
    rt.out.success(f"Your e-mail address is now {user.email}")


# --------------------------------------------------------------------------------------------
# portal me password


@command(password_app, "change")
def password_change(rt: Runtime, password_stdin: PasswordStdinOpt = False) -> None:
    """Change your password (your other sessions are signed out).

    On a terminal: asks the current password, then the new one twice (hidden). With
    --password-stdin: the current password, the new one and, when 2FA is on, a code,
    one per line.

    \b
    Examples:
      portal me password change
      printf '%s\\n%s\\n' "$OLD" "$NEW" | portal me password change --password-stdin
      printf '%s\\n%s\\n%s\\n' "$OLD" "$NEW" "$CODE" | \\
        portal me password change --password-stdin
    """
    out = rt.out
    client = rt.client()
    me = _user_only(client)
    secrets = _Secrets(out, from_stdin=password_stdin, command="portal me password change")
    current = secrets.password("Current password", "current password")
    if password_stdin:
        new = out.read_stdin_secret("new password")
    else:
        out.info(
            f"Choose a new password of at least {PASSWORD_MIN} characters; "
            "several unrelated words make a strong one."
        )
        new = out.prompt("New password", hidden=True, flag="--password-stdin")
        again = out.prompt("New password again", hidden=True, flag="--password-stdin")
        if new != again:
            raise errors.UsageError("the two new passwords do not match", param="new_password")
    problem = password_problem(new, current)
    if problem:
        raise errors.UsageError(problem, param="new_password")
    if not password_stdin:
        label, advice = password_strength(new)
        out.info(f"Password strength: {label} ({advice})")
    code = secrets.code() if me.totp_enabled else None
    client.change_password(current, new, totp_code=code)
    out.success("Password changed; your other sessions were signed out")


# --------------------------------------------------------------------------------------------
# portal me 2fa


@command(twofa_app, "status", data=True)
def twofa_status(rt: Runtime) -> None:
    """Show whether two-factor authentication is on.

    \b
    Examples:
      portal me 2fa status
      portal me 2fa status --jq .totp_enabled
    """
    from chathq_cli.output import Column

    me = _user_only(rt.client())
    data = {"email": me.email, "totp_enabled": me.totp_enabled}
    if rt.out.is_json:
        rt.out.object(data)
        return
    view = {**data, "state": "on" if me.totp_enabled else "off"}
    rt.out.object(view, [Column("email", "User"), Column("state", "Two-factor")])
    if not me.totp_enabled and not rt.out.is_json:
        rt.out.hint("turn it on with `portal me 2fa enable`")


def _check_new_file(path: Path | None, flag: str) -> None:
    """A file we are about to create with a secret in it: never overwrite, parent must exist."""
    if path is None:
        return
    if not str(path).strip():
        raise errors.UsageError(f"{flag} must not be empty", param=flag)
    if path.exists() or path.is_symlink():
        raise errors.UsageError(
            f"{flag} {path} already exists; refusing to overwrite it", param=flag
        )
    if not path.parent.is_dir():
        raise errors.UsageError(f"{flag} {path}: no such directory {path.parent}", param=flag)


def _create_private(path: Path, data: bytes, flag: str) -> None:
    """Write `data` to a new file, 0600 from the first byte (O_EXCL: never follow or replace)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise errors.UsageError(
            f"{flag} {path} already exists; refusing to overwrite it", param=flag
        ) from None
    except OSError as exc:
        raise errors.UsageError(f"{flag} {path}: {exc.strerror}", param=flag) from None
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _qr_png(uri: str) -> bytes:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(uri, micro=False).save(buffer, kind="png", scale=QR_PNG_SCALE, border=4)
    return buffer.getvalue()


def _remove_quietly(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            continue  # best effort: the enrolment's failure is what the user must see


@command(twofa_app, "enable", data=True)
def twofa_enable(
    rt: Runtime,
    qr_png: Annotated[
        Path | None,
        typer.Option("--qr-png", metavar="FILE", help="Also write the QR code as a PNG (0600)."),
    ] = None,
    secret_out: Annotated[
        Path | None,
        typer.Option(
            "--secret-out",
            metavar="FILE",
            help="Write the secret to FILE (0600, never overwritten), for scripts.",
        ),
    ] = None,
    code_stdin: Annotated[
        bool,
        typer.Option("--code-stdin", help="Read the code from stdin instead of asking."),
    ] = False,
) -> None:
    """Turn on two-factor authentication with an authenticator app.

    Shows a QR code to scan (and the secret, to type in by hand), asks a code from
    the app (three tries), then shows 10 single-use recovery codes once: store them.
    Without a terminal, --secret-out FILE and --code-stdin make it scriptable: the
    secret is written to FILE before the code is read from stdin.

    \b
    Examples:
      portal me 2fa enable
      portal me 2fa enable --qr-png qr.png
      coproc portal me 2fa enable --secret-out totp.secret --code-stdin
    """
    out = rt.out
    interactive = out.env.stdin_isatty and not out.no_prompt and not code_stdin
    show = interactive or out.env.stdout_isatty
    if not interactive and not code_stdin:
        raise errors.UsageError(
            "cannot ask for the code without a terminal; pass --code-stdin "
            "(with --secret-out FILE to get the secret)",
            param="--code-stdin",
        )
    if not show and secret_out is None and qr_png is None:
        raise errors.UsageError(
            "without a terminal the secret must go to a file: pass --secret-out FILE",
            param="--secret-out",
        )
    _check_new_file(secret_out, "--secret-out")
    _check_new_file(qr_png, "--qr-png")
    if secret_out is not None and qr_png is not None and secret_out.resolve() == qr_png.resolve():
        raise errors.UsageError("--secret-out and --qr-png name the same file", param="--qr-png")

    client = rt.client()
    try:
        enrollment = client.start_totp()
    except errors.Conflict as exc:
        if exc.code == "totp_already_enabled":
            exc.hint = "portal me 2fa disable, then enable again to use a new app"
        raise
    except errors.PermissionDenied as exc:
        exc.hint = exc.hint or "two-factor settings need a user's sign-in, not an API key"
        raise

    written: list[Path] = []
    try:
        if secret_out is not None:
            _create_private(secret_out, (enrollment.secret + "\n").encode(), "--secret-out")
            written.append(secret_out)
            out.info(f"Wrote the secret to {secret_out} (mode 0600)")
        if qr_png is not None:
            _create_private(qr_png, _qr_png(enrollment.otpauth_uri), "--qr-png")
            written.append(qr_png)
            out.info(f"Wrote the QR code to {qr_png} (mode 0600)")
        if show:
            out.info("Scan this QR code with your authenticator app:")
            for line in render_qr(enrollment.otpauth_uri):
                out.value(line)
            out.info("or type this secret into the app by hand:")
            out.value(enrollment.secret)
        codes = _verify_enrolment(rt, client, interactive=interactive)
    except BaseException:
        _remove_quietly(written)  # a secret that was never enabled is of no use to anyone
        raise
    out.success("Two-factor authentication is on")
    _show_recovery_codes(rt, codes, replaced=False)


def _verify_enrolment(rt: Runtime, client: PortalClient, *, interactive: bool) -> RecoveryCodes:
    """Send the app's code until it is right (three tries on a terminal, one from stdin)."""
    out = rt.out
    tries = ENROL_TRIES if interactive else 1
    for attempt in range(1, tries + 1):
        if interactive:
            code = _normalise_totp(out.prompt("Code from the app", flag="--code-stdin"))
        else:
            code = _normalise_totp(out.read_stdin_secret("code (--code-stdin)"))
        left = tries - attempt
        if not _is_totp(code):
            if not interactive:
                raise errors.UsageError(
                    "--code-stdin: the code must be the app's 6 digits", param="--code-stdin"
                )
            out.warn(
                f"a code is the app's 6 digits ({left} {'try' if left == 1 else 'tries'} left)"
            )
            continue
        try:
            return client.verify_totp(code)
        except errors.Unauthenticated as exc:
            if exc.code != "invalid_totp" or not interactive:
                exc.hint = (
                    "check the time on the device running the app, then run the command again"
                )
                raise
            if left:
                out.warn(f"that code is not right ({left} {'try' if left == 1 else 'tries'} left)")
    raise errors.AuthRequired(
        f"{tries} wrong codes: two-factor authentication is still off",
        hint="check the time on the device running the app, then run `portal me 2fa enable` again",
    )


@command(twofa_app, "disable", data=True)
def twofa_disable(rt: Runtime, password_stdin: PasswordStdinOpt = False) -> None:
    """Turn off two-factor authentication (asks your password and a code).

    The recovery codes stop working too.

    \b
    Examples:
      portal me 2fa disable
      printf '%s\\n%s\\n' "$PASSWORD" "$CODE" | \\
        portal me 2fa disable --password-stdin
    """
    client = rt.client()
    me = _user_only(client)
    _require_totp_on(me, "turn off")
    secrets = _Secrets(rt.out, from_stdin=password_stdin, command="portal me 2fa disable")
    password = secrets.password()
    code = secrets.code()
    user = client.disable_totp(password, code)
    _print_user_if_json(rt, user)
    rt.out.success("Two-factor authentication is off; the recovery codes no longer work")


@command(twofa_app, "recovery-codes", data=True)
def twofa_recovery_codes(rt: Runtime, password_stdin: PasswordStdinOpt = False) -> None:
    """Make 10 new recovery codes (the old ones stop working); asks password and code.

    \b
    Examples:
      portal me 2fa recovery-codes
      printf '%s\\n%s\\n' "$PASSWORD" "$CODE" | \\
        portal me 2fa recovery-codes --password-stdin > recovery-codes.txt
    """
    client = rt.client()
    me = _user_only(client)
    _require_totp_on(me, "regenerate")
    secrets = _Secrets(rt.out, from_stdin=password_stdin, command="portal me 2fa recovery-codes")
    password = secrets.password()
    code = secrets.code()
    codes = client.regenerate_recovery_codes(password, code)
    _show_recovery_codes(rt, codes, replaced=True)


# --------------------------------------------------------------------------------------------
# portal me notifications


def _notification_rows(user: User) -> list[dict[str, Any]]:
    current = user.notifications.model_dump(mode="json")
    return [
        {"key": key, "description": label, "enabled": bool(current.get(key))}
        for key, label in NOTIFICATIONS.items()
    ]


def _show_notifications(rt: Runtime, user: User) -> None:
    from chathq_cli.output import Column

    if rt.out.is_json:
        rt.out.object(user.notifications.model_dump(mode="json"))
        return
    rows = [{**row, "state": "on" if row["enabled"] else "off"} for row in _notification_rows(user)]
    rt.out.list(
        rows, [Column("key", "Key"), Column("state", "E-mail"), Column("description", "For")]
    )


@command(notifications_app, data=True, callback=True, invoke_without_command=True)
def notifications(rt: Runtime, ctx: typer.Context) -> None:
    """E-mail notification preferences (in-app alerts are not affected).

    \b
    Examples:
      portal me notifications
      portal me notifications set notes=off reminders=on
      portal me notifications --json
    """
    _show_notifications(rt, _user_only(rt.client()))


@command(notifications_app, "show", data=True)
def notifications_show(rt: Runtime) -> None:
    """Show which e-mail notifications are on.

    \b
    Examples:
      portal me notifications show
      portal me notifications show --jq .notes
    """
    _show_notifications(rt, _user_only(rt.client()))


def _complete_notification(incomplete: str) -> list[str]:
    return [
        f"{key}={state}"
        for key in NOTIFICATIONS
        for state in ("on", "off")
        if f"{key}={state}".startswith(incomplete)
    ]


@command(notifications_app, "set", data=True)
def notifications_set(
    rt: Runtime,
    pairs: Annotated[
        list[str],
        typer.Argument(
            metavar="KEY=VALUE",
            help="KEY=on or KEY=off; keys: " + ", ".join(NOTIFICATIONS) + ".",
            autocompletion=_complete_notification,
            show_default=False,
        ),
    ],
) -> None:
    """Turn e-mail notifications on or off.

    Keys: assigned_conversations, assigned_tickets, notes (in assigned conversations),
    reminders, inquiries.

    \b
    Examples:
      portal me notifications set notes=off
      portal me notifications set assigned_tickets=on inquiries=off
    """
    chosen = parse_notification_settings(pairs)
    user = rt.client().update_me(notifications=chosen)
    if rt.out.is_json:
        rt.out.object(user.notifications.model_dump(mode="json"))
    summary = ", ".join(f"{key} {'on' if on else 'off'}" for key, on in chosen.items())
    rt.out.success(f"E-mail notifications: {summary}")


# --------------------------------------------------------------------------------------------
# portal me delete


@command(app, data=True)
def delete(
    rt: Runtime,
    yes: YesOpt = False,
    confirm_email: Annotated[
        str | None,
        typer.Option(
            "--confirm-email",
            metavar="EMAIL",
            help="Your own e-mail address, to confirm without a terminal (with --yes).",
        ),
    ] = None,
    password_stdin: PasswordStdinOpt = False,
) -> None:
    """Delete your user permanently: you lose access to every organization.

    On a terminal: type your e-mail address to confirm, then your password (and a
    two-factor code when 2FA is on). Without a terminal all of --yes, --confirm-email
    and --password-stdin are needed. An account whose only owner you are must get
    another owner, or be closed, first. The stored token is removed afterwards.

    \b
    Examples:
      portal me delete
      echo "$PASSWORD" | \\
        portal me delete --yes --confirm-email me@example.com --password-stdin
    """
    out = rt.out
    can_prompt = out.env.stdin_isatty and not out.no_prompt
    if yes and confirm_email is None:
        raise errors.UsageError(
            "--yes needs --confirm-email EMAIL (your own address)", param="--confirm-email"
        )
    if not can_prompt:
        missing = [
            flag
            for flag, given in (
                ("--yes", yes),
                ("--confirm-email EMAIL", confirm_email is not None),
                ("--password-stdin", password_stdin),
            )
            if not given
        ]
        if missing:
            raise errors.UsageError(
                "deleting your user without a terminal needs " + " ".join(missing),
                param=missing[0].split()[0],
            )
    if confirm_email is not None:
        from chathq_cli.inputs.names import check_email

        confirm_email = check_email(confirm_email, "--confirm-email")

    client = rt.client()
    me = _user_only(client)
    if confirm_email is not None and confirm_email.lower() != me.email.lower():
        raise errors.UsageError(
            "--confirm-email is not the e-mail address of the signed-in user; nothing was deleted",
            param="--confirm-email",
        )
    out.confirm_typed(
        f"This permanently deletes your user {me.email}: you lose access to every "
        "organization. Type your e-mail address to confirm",
        me.email,
        yes=yes,
    )
    secrets = _Secrets(out, from_stdin=password_stdin, command="portal me delete")
    password = secrets.password()
    code = secrets.code() if me.totp_enabled else None
    try:
        client.delete_me(password=password, confirm_email=me.email, totp_code=code)
    except errors.Conflict as exc:
        if exc.code == "sole_owner":
            exc.hint = (
                "make another member owner (portal team set-role MEMBER owner) "
                "or close the account (portal account close) first"
            )
        raise
    _forget_credentials(rt)
    if out.is_json:
        out.object({"id": me.id, "object": "user", "deleted": True})
    out.success(f"Deleted the user {me.email}; the stored token was removed")
    if rt.settings.token is not None:
        out.hint("PORTAL_TOKEN is set in the environment and no longer works; unset it")


def _forget_credentials(rt: Runtime) -> None:
    """After deleting the user its token is worthless: remove it and the profile's identity."""
    profile, host = rt.settings.profile, rt.settings.host
    try:
        rt.credentials().delete(profile, host)
    except errors.PortalError as exc:
        rt.out.warn(f"could not remove the stored token ({exc.message}); run `portal auth logout`")
    rt.config().update_profile(profile, email=None, org=None, account=None)
