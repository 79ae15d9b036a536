"""`portal secrets`: the account's API keys (the `PORTAL_TOKEN` of CI pipelines).

A key's secret is shown once, by `add` and `roll`; everything else shows it masked
(`prefix…last4`). API keys cannot manage API keys: these commands need a person signed in.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import YesOpt, command

if TYPE_CHECKING:
    from chathq_cli.api.keys import ApiKey
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Column, Output

app = typer.Typer(
    help="Manage the account's API keys (secrets for CI and integrations).", no_args_is_help=True
)

MAX_EXPIRES_IN = timedelta(days=365)
MAX_GRACE = timedelta(days=7)
DEFAULT_GRACE = "24h"
_SIGN_IN_HINT = "portal auth login (and unset PORTAL_TOKEN if it holds an API key)"


def _now() -> datetime:
    """This machine's clock: `--expires-in` is counted from now. Tests replace it."""
    return datetime.now(UTC)


def _people_only(rt: Runtime) -> None:
    """API keys cannot manage API keys (SPEC §5): say so before any request."""
    from chathq_cli import errors
    from chathq_cli.cli.runtime import is_api_key
    from chathq_cli.state.credentials import resolve_token

    if is_api_key(resolve_token(rt.settings, rt.credentials()).token):
        raise errors.PermissionDenied(
            "an API key cannot manage API keys; sign in as a person",
            status=403,
            code="api_key_not_allowed",
            hint=_SIGN_IN_HINT,
        )


@contextmanager
def _explained() -> Iterator[None]:
    """The server's refusals, with the next step to take."""
    from chathq_cli import errors

    try:
        yield
    except errors.PermissionDenied as exc:
        if exc.code == "api_key_not_allowed":
            exc.message = "an API key cannot manage API keys; sign in as a person"
            exc.hint = _SIGN_IN_HINT
        raise
    except errors.NotFound as exc:
        exc.hint = exc.hint or "portal secrets list"
        raise


def _masked(key: Mapping[str, Any]) -> str:
    return f"{key.get('prefix', '')}…{key.get('last4', '')}"


def _row(out: Output, key: ApiKey) -> dict[str, Any]:
    """The API's fields, never the secret; tables and CSV also get `masked` (prefix…last4)."""
    data = key.model_dump(mode="json", exclude={"secret"})
    if not out.is_json:
        data["masked"] = _masked(data)
    return data


def _day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) else None


def _list_columns(out: Output, width: int) -> list[Column]:
    """Every field for scripts; on a terminal, what fits (IDs go before the name does)."""
    from chathq_cli.output import Column

    if not out.is_terminal_table:
        return [
            Column("id", "ID", "id"),
            Column("name", "Name"),
            Column("masked", "Key"),
            Column("status", "Status"),
            Column("created_at", "Created", "time"),
            Column("expires_at", "Expires", "time"),
            Column("last_used_at", "Last used", "time"),
        ]
    # Dates only on a terminal: full times are in --json/--format csv. The key is shown as
    # `sk_test_ab12…9f3a`, 17 characters; an ID is 20.
    columns = [
        Column("id", "ID", "id"),
        Column("name", "Name"),
        Column("masked", "Key", "id"),
        Column("status", "Status"),
        Column("created_day", "Created", "id"),
        Column("expires_day", "Expires", "id"),
        Column("last_used_day", "Last used", "id"),
    ]
    if width < 110:
        columns = [c for c in columns if c.key != "created_day"]
    if width < 95:
        columns = [c for c in columns if c.key != "id"]
    return columns


def _terminal_width(out: Output) -> int:
    import shutil

    return out.env.columns or shutil.get_terminal_size().columns


def _find_key(client: PortalClient, account_id: str, ref: str) -> ApiKey:
    """A key by id, or by name (an active key wins over revoked/expired ones of that name)."""
    from chathq_cli import errors
    from chathq_cli.inputs.names import check_name, not_blank, shown

    not_blank(ref, "ID|NAME")
    ref = check_name(ref, "ID|NAME")
    keys = list(client.list_api_keys(account_id))
    if ref.startswith("key_"):
        for key in keys:
            if key.id == ref:
                return key
        raise errors.NotFound(
            f"no API key {shown(ref)} on this account",
            status=404,
            code="resource_missing",
            param="ID|NAME",
            hint="portal secrets list",
        )
    named = [key for key in keys if key.name == ref]
    active = [key for key in named if key.status == "active"]
    if len(named) == 1:
        return named[0]
    if len(active) == 1:
        return active[0]
    if not named:
        raise errors.NotFound(
            f"no API key named {shown(ref)} on this account",
            status=404,
            code="resource_missing",
            param="ID|NAME",
            hint="portal secrets list",
        )
    ids = ", ".join(f"{key.id} ({key.status})" for key in named)
    raise errors.UsageError(
        f"several API keys are named {shown(ref)}: {ids}; give the ID", param="ID|NAME"
    )


def _show_secret(rt: Runtime, key: ApiKey) -> None:
    """The one print of a secret: the JSON/CSV object, or the secret alone on stdout."""
    from chathq_cli.output import Column

    data = key.model_dump(mode="json")
    if rt.out.fmt == "csv":
        data["masked"] = _masked(data)
    if rt.out.fmt == "table":
        rt.out.value(key.secret or "")
        return
    rt.out.object(
        data,
        [
            Column("id", "ID", "id"),
            Column("name", "Name"),
            Column("secret", "Secret"),
            Column("masked", "Key"),
            Column("status", "Status"),
            Column("created_at", "Created", "time"),
            Column("expires_at", "Expires", "time"),
        ],
    )


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
    _people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    width = _terminal_width(rt.out)
    with _explained():
        keys = [_row(rt.out, key) for key in client.list_api_keys(account_id)]
    if rt.out.is_terminal_table:
        for row in keys:
            for field in ("created_at", "expires_at", "last_used_at"):
                row[field.removesuffix("_at") + "_day"] = _day(row[field])
            if row["expires_at"] is None:
                row["expires_day"] = "never"
            if row["last_used_at"] is None:
                row["last_used_day"] = "never"
    rt.out.list(keys, _list_columns(rt.out, width))


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
    _people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    with _explained():
        key = client.create_api_key(account_id, clean, expires_at=expires_at)
    _show_secret(rt, key)
    rt.out.success(f"Created API key {key.name} ({key.id}, {_masked(key.model_dump())})")
    rt.out.warn("this secret will not be shown again: store it now")


@command(app, data=True, account=True)
def revoke(
    rt: Runtime,
    ref: Annotated[
        str, typer.Argument(metavar="ID|NAME", help="The key's ID (key_...) or its exact name.")
    ],
    yes: YesOpt = False,
) -> None:
    """Revoke an API key: anything using it stops working at once.

    \b
    Examples:
      portal secrets revoke "CI deploy"
      portal secrets revoke key_0123456789abcdef --yes
    """
    from chathq_cli.inputs.names import check_name, not_blank

    not_blank(ref, "ID|NAME")
    check_name(ref, "ID|NAME")
    _people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    with _explained():
        key = _find_key(client, account_id, ref)
        rt.out.confirm(
            f"Revoke API key {key.name} ({key.id}, {_masked(key.model_dump())})? "
            "Anything using it stops working.",
            yes=yes,
        )
        revoked = client.revoke_api_key(account_id, key.id)
    if rt.out.fmt != "table":
        rt.out.object(_row(rt.out, revoked), _list_columns(rt.out, 0))
    rt.out.success(f"Revoked API key {revoked.name} ({revoked.id})")


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
            "or 0 to stop it now.",
        ),
    ] = DEFAULT_GRACE,
) -> None:
    """Give an API key a new secret (printed once); the old one works for a while.

    The key keeps its ID and name. Deploy the new secret within the grace period
    (24 hours unless --old-expires-in says otherwise); after it, the old secret fails.

    \b
    Examples:
      portal secrets roll "CI deploy"
      NEW=$(portal secrets roll ci --old-expires-in 1h)
      portal secrets roll key_0123456789abcdef --old-expires-in 0 --json
    """
    from chathq_cli.inputs.durations import describe_duration, parse_duration
    from chathq_cli.inputs.names import check_name, not_blank

    not_blank(ref, "ID|NAME")
    check_name(ref, "ID|NAME")
    if old_expires_in.strip() in ("0", "now"):
        grace = timedelta(0)
    else:
        grace = parse_duration(old_expires_in, "--old-expires-in", maximum=MAX_GRACE)
    _people_only(rt)
    client = rt.client()
    account_id = rt.account_id()
    with _explained():
        key = _find_key(client, account_id, ref)
        rolled = client.roll_api_key(account_id, key.id, old_expires_in=int(grace.total_seconds()))
    _show_secret(rt, rolled)
    old = "stopped working" if not grace else f"keeps working for {describe_duration(grace)}"
    rt.out.success(f"Rolled API key {rolled.name} ({rolled.id}); the old secret {old}")
    rt.out.warn("this secret will not be shown again: store it now")
