"""`portal integrations`: the catalog of integration types and this account's configuration.

Each type has a `settings_schema` (fields of type string, url, email, secret, enum, bool).
Values are checked against it before anything is sent. Secret settings are write-only: they
are never taken on the command line, and they come back as the server's mask (`••••last4`).
"""

from __future__ import annotations

import typer

from chathq_cli.commands.integrations import catalog, configure, lifecycle

app = typer.Typer(
    help="Connect the account to other services: Slack, Zendesk, Salesforce, webhooks...",
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    epilog="""\
\b
Examples:
  portal integrations list
  portal integrations show slack
  portal integrations configure slack --set channel=#ops
  portal integrations disable slack
""",
    no_args_is_help=True,
)

app.add_typer(catalog.app)
app.add_typer(configure.app)
app.add_typer(lifecycle.app)
