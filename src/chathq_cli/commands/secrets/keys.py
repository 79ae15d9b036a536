"""`portal secrets list`, `add`, `revoke` and `roll`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.commands.secrets import _access, _view

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()

MAX_EXPIRES_IN = timedelta(days=365)
MAX_GRACE = timedelta(days=7)
DEFAULT_GRACE = "24h"


def _now() -> datetime:
    """This machine's clock: `--expires-in` is counted from now. Tests replace it."""
    return datetime.now(UTC)


@command(app, "list", data=True, account=True)
def list_(rt: Runtime) -> None:
    """List the account's API keys, masked.

    A key shows as its prefix and last four characters; the secret itself is never
    shown again after `add` or `roll`.

    \b
    Examples:
      portal secrets list
      portal secrets list --jq '.[] | select(.status == "active") | .name'
      portal secrets list --format csv > keys.csv
    """
    _access.people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    keys = [_view.row(rt.out, key) for key in client.list_api_keys(account_id)]
    if rt.out.is_terminal_table:
        for row in keys:
            for field in ("created_at", "expires_at", "last_used_at"):
                row[field.removesuffix("_at") + "_view.day"] = _view.day(row[field])
            if row["expires_at"] is None:
                row["expires_day"] = "never"
            if row["last_used_at"] is None:
                row["last_used_day"] = "never"
    rt.out.list(keys, _view.list_columns(rt.out))


@command(app, data=True, account=True)
def add(
    rt: Runtime,
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="What the key is for (1-100 characters).")
    ],
    expires_in: Annotated[
        str | None,
        typer.Option(
            "--expires-in",
            metavar="DURATION",
            help="Expire the key after this long: 90m, 12h, 7d, 4w (at most 365d). Default: never.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create an API key and print its secret once.

    The secret goes to stdout alone, so it can be captured; store it right away (a CI
    secret store, a password manager): it is never shown again. --json prints the key
    object with the secret in `secret`.

    \b
    Examples:
      portal secrets add "CI deploy"
      KEY=$(portal secrets add ci --expires-in 90d)
      portal secrets add zapier --json --jq .secret
    """
    from chathq_cli.inputs.durations import parse_duration
    from chathq_cli.inputs.names import check_name

    clean = check_name(name, "NAME")
    expires_at = None
    if expires_in is not None:
        expires_at = _now() + parse_duration(expires_in, "--expires-in", maximum=MAX_EXPIRES_IN)
    _access.people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    key = client.create_api_key(account_id, clean, expires_at=expires_at)
    _view.show_secret(rt, key)
    rt.out.success(f"Created API key {key.name} ({key.id}, {_view.masked(key.model_dump())})")
    rt.out.warn("this secret will not be shown again: store it now")
    rt.out.next_step("PORTAL_TOKEN=<the secret> portal account show", "to try it")


@command(app, data=True, account=True)
def revoke(
    rt: Runtime,
    ref: Annotated[
        str, typer.Argument(metavar="ID|NAME", help="The key's ID (key_...) or its exact name.")
    ],
    yes: YesOpt = False,
) -> None:
    """Revoke an API key: anything using it stops working at once.

    A key that is already revoked is left as it is (exit 0, nothing asked): safe to run
    again.

    \b
    Examples:
      portal secrets revoke "CI deploy"
      portal secrets revoke key_0123456789abcdef --yes
    """
    from chathq_cli.inputs.names import check_name, not_blank

    not_blank(ref, "ID|NAME")
    check_name(ref, "ID|NAME")
    _access.people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    key = _access.find_key(client, account_id, ref)
    already = key.status == "revoked"
    if not already:
        rt.prompts.confirm(
            f"Revoke API key {key.name} ({key.id}, {_view.masked(key.model_dump())})? "
            "Anything using it stops working.",
            yes=yes,
        )
        key = client.revoke_api_key(account_id, key.id)
    if rt.out.fmt != "table":
        rt.out.object(_view.row(rt.out, key), _view.list_columns(rt.out))
    if already:
        rt.out.info(f"API key {key.name} ({key.id}) is already revoked; nothing changed")
    else:
        rt.out.success(f"Revoked API key {key.name} ({key.id})")
    from chathq_cli.cli.completion_feed import gone

    gone(rt, "secrets", key.id)


@command(app, data=True, account=True)
def roll(
    rt: Runtime,
    ref: Annotated[
        str, typer.Argument(metavar="ID|NAME", help="The key's ID (key_...) or its exact name.")
    ],
    old_expires_in: Annotated[
        str,
        typer.Option(
            "--old-expires-in",
            metavar="DURATION",
            help="How long the old secret keeps working: 90m, 12h, 7d (at most 7d), "
            "or 0 to stop it now (asks first).",
        ),
    ] = DEFAULT_GRACE,
    yes: YesOpt = False,
) -> None:
    """Give an API key a new secret (printed once); the old one works for a while.

    The key keeps its ID and name. Deploy the new secret within the grace period
    (24 hours unless --old-expires-in says otherwise); after it, the old secret fails.
    With --old-expires-in 0 the old secret fails at once, so this asks first (--yes
    does not ask).

    \b
    Examples:
      portal secrets roll "CI deploy"
      NEW=$(portal secrets roll ci --old-expires-in 1h)
      portal secrets roll key_0123456789abcdef --old-expires-in 0 --yes --json
    """
    from chathq_cli.inputs.durations import describe_duration, parse_duration
    from chathq_cli.inputs.names import check_name, not_blank

    not_blank(ref, "ID|NAME")
    check_name(ref, "ID|NAME")
    if old_expires_in.strip() in ("0", "now"):
        grace = timedelta(0)
    else:
        grace = parse_duration(old_expires_in, "--old-expires-in", maximum=MAX_GRACE)
    _access.people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    key = _access.find_key(client, account_id, ref)
    _access.must_be_active(key)
    if not grace:
        # Like `revoke`: whatever still uses the old secret stops working now.
        rt.prompts.confirm(
            f"Roll API key {key.name} ({key.id}, {_view.masked(key.model_dump())})? "
            "The old secret stops working at once.",
            yes=yes,
        )
    rolled = client.roll_api_key(account_id, key.id, old_expires_in=int(grace.total_seconds()))
    _view.show_secret(rt, rolled)
    old = "stopped working" if not grace else f"keeps working for {describe_duration(grace)}"
    rt.out.success(f"Rolled API key {rolled.name} ({rolled.id}); the old secret {old}")
    rt.out.warn("this secret will not be shown again: store it now")
