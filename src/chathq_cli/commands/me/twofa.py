"""`portal me 2fa`: two-factor authentication (TOTP) status, enrolment, recovery codes, off.

The only secrets ever written to stdout are the ones the user must see once: the TOTP secret
(and its QR code) at enrolment and the recovery codes.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import command
from chathq_cli.cli.prompts import PasswordAndCode
from chathq_cli.commands.me._common import PasswordStdinOpt
from chathq_cli.commands.me._qr import qr_png_bytes, render_qr
from chathq_cli.commands.me._view import examples, print_user_if_json

if TYPE_CHECKING:
    from chathq_cli.api.me import RecoveryCodes, User
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient

app = typer.Typer(
    help="Two-factor authentication (TOTP): status, enable, disable, recovery codes.",
    epilog=examples(
        "portal me 2fa status",
        "portal me 2fa enable",
        "portal me 2fa recovery-codes",
        "portal me 2fa disable",
    ),
    no_args_is_help=True,
)

ENROL_TRIES = 3


def _normalise_totp(code: str) -> str:
    return code.strip().replace(" ", "").replace("-", "")


def _is_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def require_totp_on(me: User, what: str) -> None:
    if not me.totp_enabled:
        raise errors.Conflict(
            f"two-factor authentication is off, so there is nothing to {what}",
            status=409,
            code="totp_not_enabled",
            hint="portal me 2fa enable",
        )


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


@command(app, "status", data=True)
def twofa_status(rt: Runtime) -> None:
    """Show whether two-factor authentication is on.

    \b
    Examples:
      portal me 2fa status
      portal me 2fa status --jq .totp_enabled
    """
    from chathq_cli.output import Column

    me = rt.client().get_me()
    data = {"email": me.email, "totp_enabled": me.totp_enabled}
    if rt.out.is_json:
        rt.out.object(data)
        return
    view = {**data, "state": "on" if me.totp_enabled else "off"}
    rt.out.object(view, [Column("email", "User"), Column("state", "Two-factor")])
    if not me.totp_enabled and not rt.out.is_json:
        rt.out.hint("turn it on with `portal me 2fa enable`")


def _enrolment_mode(
    rt: Runtime, qr_png: Path | None, secret_out: Path | None, *, code_stdin: bool
) -> tuple[bool, bool]:
    """(ask the code at the terminal, show the secret there), checked before any request."""
    cannot_ask = rt.prompts.unavailable()
    interactive = cannot_ask is None and not code_stdin
    show = interactive or rt.out.env.stdout_isatty
    if cannot_ask and not code_stdin:
        raise errors.UsageError(
            f"cannot ask for the code: {cannot_ask}; pass --code-stdin "
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
    return interactive, show


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


def _remove_quietly(paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            continue  # best effort: the enrolment's failure is what the user must see


@command(app, "enable", data=True)
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
    interactive, show = _enrolment_mode(rt, qr_png, secret_out, code_stdin=code_stdin)
    client = rt.client()
    enrollment = client.start_totp()

    written: list[Path] = []
    try:
        if secret_out is not None:
            _create_private(secret_out, (enrollment.secret + "\n").encode(), "--secret-out")
            written.append(secret_out)
            out.info(f"Wrote the secret to {secret_out} (mode 0600)")
        if qr_png is not None:
            _create_private(qr_png, qr_png_bytes(enrollment.otpauth_uri), "--qr-png")
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
            code = _normalise_totp(rt.prompts.text("Code from the app", flag="--code-stdin"))
        else:
            code = _normalise_totp(rt.prompts.stdin_line("code", flag="--code-stdin"))
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
                raise
            if left:
                out.warn(f"that code is not right ({left} {'try' if left == 1 else 'tries'} left)")
    raise errors.AuthRequired(
        f"{tries} wrong codes: two-factor authentication is still off",
        hint="check the time on the device running the app, then run `portal me 2fa enable` again",
    )


@command(app, "disable", data=True)
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
    me = client.get_me()
    require_totp_on(me, "turn off")
    secrets = PasswordAndCode(
        rt.prompts, from_stdin=password_stdin, command="portal me 2fa disable"
    )
    password = secrets.password()
    code = secrets.code()
    user = client.disable_totp(password, code)
    print_user_if_json(rt, user)
    rt.out.success("Two-factor authentication is off; the recovery codes no longer work")


@command(app, "recovery-codes", data=True)
def twofa_recovery_codes(rt: Runtime, password_stdin: PasswordStdinOpt = False) -> None:
    """Make 10 new recovery codes (the old ones stop working); asks password and code.

    \b
    Examples:
      portal me 2fa recovery-codes
      printf '%s\\n%s\\n' "$PASSWORD" "$CODE" | \\
        portal me 2fa recovery-codes --password-stdin > recovery-codes.txt
    """
    client = rt.client()
    me = client.get_me()
    require_totp_on(me, "regenerate")
    secrets = PasswordAndCode(
        rt.prompts, from_stdin=password_stdin, command="portal me 2fa recovery-codes"
    )
    password = secrets.password()
    code = secrets.code()
    codes = client.regenerate_recovery_codes(password, code)
    _show_recovery_codes(rt, codes, replaced=True)
