"""`portal billing`: subscription, plan changes, cancellation, payment methods, invoices and
the hosted billing page.

Everything here is owner-only on the server (403 for admins, members and API keys, exit 5),
except `plans`, which any signed-in user may read. Card numbers never pass through the CLI:
cards are added on the hosted page that `portal billing portal` opens.

Decisions the product left open:
- `payment-methods remove` refuses (exit 7, before asking) to remove the default card while
  the account has others, as the server does: set another default first.
- `invoices --status/--since` filter on the client (the API lists invoices newest first, with
  no filters), stopping at the first invoice older than --since.
- `invoices download --all -o DIR` names each file after the invoice number (`NUMBER.pdf`, the
  name the server's Content-Disposition gives), so invoices already there are recognised
  without downloading them again.
- Downloads are read whole (invoice PDFs are small, and the client's retries then also cover
  a connection dropped mid-body), checked to be a complete PDF, and written through
  `output.open_destination`: FILE.part renamed on success, --force to replace a file.
"""

from __future__ import annotations

import typer

from chathq_cli.commands.billing import (
    downloads,
    hosted,
    invoices,
    payment_methods,
    subscription,
)

app = typer.Typer(
    help=(
        "Subscription, plan changes, payment methods and invoices (owner only).\n\n"
        "\b\nExamples:\n  portal billing show\n  portal billing plans --json\n"
        "  portal billing change-plan transact --dry-run\n  portal billing invoices\n"
        "  portal billing portal"
    ),
    no_args_is_help=True,
)

# In the order `portal billing --help` has always listed them.
app.add_typer(subscription.app)
app.add_typer(hosted.app)
app.add_typer(
    payment_methods.app,
    name="payment-methods",
    help="List the payment methods; set the default; remove one (owner only).",
)
invoices.app.add_typer(downloads.app)
app.add_typer(invoices.app, name="invoices", help="List, show and download invoices (owner only).")
