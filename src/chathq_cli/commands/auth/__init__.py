"""`portal auth`: sign in and out, inspect the stored credential, switch profiles.

Secrets (passwords, tokens, codes) only ever come from a hidden prompt or stdin, never argv.
"""

from __future__ import annotations

import typer

from chathq_cli.commands.auth import password, profiles, session

app = typer.Typer(
    help="Sign in and out, and manage profiles.",
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    epilog="""\
\b
Examples:
  portal auth login
  portal auth status
  portal auth login --profile work --host https://portal.example.com
  portal auth switch work
  portal auth token | docker login registry.example.com --password-stdin
  portal auth logout
""",
    no_args_is_help=True,
)
app.add_typer(session.app)
app.add_typer(profiles.app)
app.add_typer(password.app)
