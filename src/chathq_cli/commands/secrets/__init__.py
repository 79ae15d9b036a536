"""`portal secrets`: the account's API keys (the `PORTAL_TOKEN` of CI pipelines).

A key's secret is shown once, by `add` and `roll`; everything else shows it masked
(`prefix…last4`). API keys cannot manage API keys: these commands need a person signed in.
"""

from __future__ import annotations

import typer

from chathq_cli.commands.secrets import keys

app = typer.Typer(
    help="Manage the account's API keys (secrets for CI and integrations).",
    # "\b" keeps Click from re-wrapping the example block into one paragraph.
    epilog="""\
\b
Examples:
  portal secrets list
  KEY=$(portal secrets add "CI deploy" --expires-in 90d)
  portal secrets roll "CI deploy" --old-expires-in 1h
  portal secrets revoke "CI deploy"
""",
    no_args_is_help=True,
)

app.add_typer(keys.app)
