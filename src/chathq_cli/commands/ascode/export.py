"""`portal export`: the live state of accounts as an account file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import ForceOpt, command

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, "export", data=True, account=True)
def export(
    rt: Runtime,
    all_: Annotated[bool, typer.Option("--all", help="Every open account of every org.")] = False,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the file to FILE."),
    ] = None,
    force: ForceOpt = False,
    schema: Annotated[
        bool, typer.Option("--schema", help="Print the JSON Schema of the file and exit.")
    ] = False,
) -> None:
    """Write the live state of an account as an account file (YAML; --json for JSON).

    Members (pending invitations too), integrations and API keys, keyed by account ID.
    Secret settings are written as ${TYPE_FIELD} references, API keys without secrets:
    the file can be committed. `portal plan -f FILE` on it then finds no changes.

    \b
    Examples:
      portal export -o portal.yaml
      portal export --all --json
      portal export --schema > portal-config.schema.json
    """
    from chathq_cli.commands.ascode import _live, _view
    from chathq_cli.errors import UsageError
    from chathq_cli.output import check_destination

    if rt.out.fmt == "csv":
        raise UsageError("--format: export writes YAML, or JSON with --json", param="--format")
    check_destination(output, force=force)
    if schema:
        from chathq_cli.inputs.account_file import json_schema

        with rt.out.to_destination(output, force=force) as out:
            out.write_json(json_schema())
        return
    client = rt.client()
    ids = list(_live.all_accounts(client)) if all_ else [rt.account_id()]
    sections = ("members", "integrations", "api_keys")
    live = [_live.read(client, account, sections) for account in ids]
    document = _live.export_document(live, _live.catalog(client))
    with rt.out.to_destination(output, force=force) as out:
        if out.is_json:
            out.write_json(document)
        else:
            out.value(_view.yaml_text(document).rstrip("\n"))
    rt.out.wrote(output, f"{len(live)} account(s)")
