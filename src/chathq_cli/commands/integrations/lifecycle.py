"""`portal integrations enable`, `disable` and `remove`: a configured integration's life."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.commands.integrations import _lookup, _view
from chathq_cli.commands.integrations._lookup import NameArg

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, data=True, account=True)
def enable(rt: Runtime, name: NameArg) -> None:
    """Turn a configured integration on.

    \b
    Examples:
      portal integrations enable webhook
      portal integrations enable intg_0123456789abcdef --json
    """
    _set_status(rt, name, enable=True)


@command(app, data=True, account=True)
def disable(rt: Runtime, name: NameArg) -> None:
    """Turn an integration off; its settings are kept.

    \b
    Examples:
      portal integrations disable slack
      portal integrations disable intg_0123456789abcdef --json
    """
    _set_status(rt, name, enable=False)


def _set_status(rt: Runtime, name: str, *, enable: bool) -> None:
    ref = _lookup.check_ref(name)
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _lookup.resolve(client, account_id, ref)
    current = _lookup.configured(kind, found)
    if enable:
        result = client.enable_integration(account_id, current.id)
    else:
        result = client.disable_integration(account_id, current.id)
    if rt.out.fmt != "table":
        _view.show_integration(rt.out, kind, result)
    rt.out.success(f"{kind.id} ({result.id}) is {result.status}")


@command(app, data=True, account=True)
def remove(rt: Runtime, name: NameArg, yes: YesOpt = False) -> None:
    """Remove an integration from the account, with its settings (secrets included).

    \b
    Examples:
      portal integrations remove webhook
      portal integrations remove intg_0123456789abcdef --yes
    """
    ref = _lookup.check_ref(name)
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _lookup.resolve(client, account_id, ref)
    current = _lookup.configured(kind, found)
    rt.prompts.confirm(
        f"Remove {kind.name} ({current.id}) from this account? "
        "Its settings, secrets included, are deleted.",
        yes=yes,
    )
    client.delete_integration(account_id, current.id)
    if rt.out.fmt != "table":
        rt.out.object({"id": current.id, "object": "integration", "deleted": True})
    rt.out.success(f"Removed {kind.id} ({current.id})")
