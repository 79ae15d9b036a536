"""`portal me delete`: delete the signed-in user for good."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli import errors
from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.cli.prompts import PasswordAndCode
from chathq_cli.commands.me._common import PasswordStdinOpt

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


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
    confirm_email = _check_flags(rt, yes, confirm_email, password_stdin)
    client = rt.client()
    me = client.get_me()
    if confirm_email is not None and confirm_email.lower() != me.email.lower():
        raise errors.UsageError(
            "--confirm-email is not the e-mail address of the signed-in user; nothing was deleted",
            param="--confirm-email",
        )
    rt.prompts.confirm_typed(
        f"This permanently deletes your user {me.email}: you lose access to every "
        "organization. Type your e-mail address to confirm",
        me.email,
        yes=yes,
    )
    secrets = PasswordAndCode(rt.prompts, from_stdin=password_stdin, command="portal me delete")
    password = secrets.password()
    code = secrets.code() if me.totp_enabled else None
    client.delete_me(password=password, confirm_email=me.email, totp_code=code)
    _forget_credentials(rt)
    if out.is_json:
        out.object({"id": me.id, "object": "user", "deleted": True})
    out.success(f"Deleted the user {me.email}; the stored token was removed")
    if rt.settings.token is not None:
        out.hint("PORTAL_TOKEN is set in the environment and no longer works; unset it")


def _check_flags(
    rt: Runtime, yes: bool, confirm_email: str | None, password_stdin: bool
) -> str | None:
    """Before any request: what a deletion without questions needs, and the address checked."""
    if yes and confirm_email is None:
        raise errors.UsageError(
            "--yes needs --confirm-email EMAIL (your own address)", param="--confirm-email"
        )
    rt.prompts.need_flags(
        "deleting your user",
        {
            "--yes": yes,
            "--confirm-email EMAIL": confirm_email is not None,
            "--password-stdin": password_stdin,
        },
    )
    if confirm_email is None:
        return None
    from chathq_cli.inputs.names import check_email

    return check_email(confirm_email, "--confirm-email")


def _forget_credentials(rt: Runtime) -> None:
    """After deleting the user its token is worthless: remove it and the profile's identity."""
    profile, host = rt.settings.profile, rt.settings.host
    try:
        rt.credentials().delete(profile, host)
    except errors.PortalError as exc:
        rt.out.warn(f"could not remove the stored token ({exc.message}); run `portal auth logout`")
    rt.config().update_profile(profile, email=None, org=None, account=None)
