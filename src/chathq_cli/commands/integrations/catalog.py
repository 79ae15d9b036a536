"""`portal integrations list` and `show`: the catalog, with this account's status."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.integrations import _lookup, _view
from chathq_cli.commands.integrations._lookup import NameArg

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, "list", data=True, account=True)
def list_(rt: Runtime) -> None:
    """List the integration types, with this account's status for each.

    Status is `not configured`, `enabled` or `disabled`.

    \b
    Examples:
      portal integrations list
      portal integrations list --jq '.[] | select(.status == "enabled") | .id'
      portal integrations list --format csv
    """
    client = rt.client()
    account_id = rt.account_id()
    catalog = client.list_integration_types()
    configured = {found.type: found for found in client.list_integrations(account_id)}
    rows = [_view.entry(kind, configured.get(kind.id)) for kind in catalog]
    if rt.out.is_terminal_table:
        for row in rows:
            row["status"] = row["status"].replace("_", " ")
    rt.out.list(rows, _view.list_columns(rt.out))


@command(app, data=True, account=True)
def show(rt: Runtime, name: NameArg) -> None:
    """Show an integration type, its settings and this account's configuration.

    Secret settings show as the server's mask (••••last4). For a type that is not
    configured, each setting says whether it is required and what it takes.

    \b
    Examples:
      portal integrations show slack
      portal integrations show intg_0123456789abcdef --json
      portal integrations show webhook --jq .integration.settings.url
    """
    ref = _lookup.check_ref(name)
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _lookup.resolve(client, account_id, ref)
    _view.show(rt.out, kind, found)
    if found is None:
        rt.out.hint(f"portal integrations configure {kind.id}")
