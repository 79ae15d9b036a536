"""`portal usage`: pay-as-you-go usage records, summaries, charts and the price list.

The group's callback is the listing command (`portal usage --unit sms --unpaid`), so the
group's Typer is the one listing.py registers that callback on; `prices` and `guard` are
merged into it.
"""

from chathq_cli.commands.usage import guard, listing, prices

app = listing.app
app.add_typer(prices.app)
app.add_typer(guard.app)
