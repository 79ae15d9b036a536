"""`portal team`: members, invitations and invite links of the current account.

Changing the team needs the admin role (owner for anything about owners); a member can only
list it. Every argument is checked before the first request (exit 2, one line naming it): a
batch of invitations is read and checked whole, so one bad or repeated address sends nothing.
"""

import typer

from chathq_cli.commands.team import invitations, links, members

# "\b" keeps Click from re-wrapping the example block into one paragraph.
app = typer.Typer(
    help="Manage the account's team: members, roles, invitations and invite links.",
    epilog="""\
\b
Examples:
  portal team list
  portal team invite ana@example.com --role admin
  portal team invite --from-file team.txt
  portal team link create --expires-in 30d
  portal team set-role ana@example.com member
  portal team remove ana@example.com
""",
    no_args_is_help=True,
)
app.add_typer(members.app)
app.add_typer(invitations.app)
app.add_typer(invitations.invitations_app, name="invitations")
app.add_typer(links.app, name="link")
