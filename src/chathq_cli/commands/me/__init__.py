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

import typer

from chathq_cli.commands.me import avatar, delete, email, notifications, password, profile, twofa
from chathq_cli.commands.me._view import examples

app = typer.Typer(
    help="Your own settings: name, avatar, e-mail, password, 2FA, notifications, theme.",
    epilog=examples(
        "portal me show",
        'portal me set-name "Ada Lovelace"',
        "portal me 2fa enable",
        "portal me notifications set notes=off",
        "portal me theme dark",
    ),
    no_args_is_help=True,
)
app.add_typer(profile.app)
app.add_typer(delete.app)
app.add_typer(avatar.app, name="avatar")
app.add_typer(email.app, name="email")
app.add_typer(password.app, name="password")
app.add_typer(twofa.app, name="2fa")
app.add_typer(notifications.app, name="notifications")
