"""`portal plan`: what `portal apply` would change."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import ForceOpt, command
from chathq_cli.errors import ExitCode

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()

FileOpt = Annotated[
    list[str],
    typer.Option(
        "--file", "-f", metavar="FILE", help="An account file (YAML or JSON); repeat to merge."
    ),
]


@command(app, "plan", data=True)
def plan(
    rt: Runtime,
    files: FileOpt,
    out_path: Annotated[
        Path | None,
        typer.Option("--out", metavar="PLAN", help="Save the plan (no secrets) for apply."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Show what apply would change to make the accounts what the files say.

    Grouped by account and section: + invite or create, ~ change, - remove or revoke.
    Exit 0 when the live state matches, 9 when there are changes (for CI), 2 for a bad
    file (FILE:LINE:COLUMN). A ${VAR} setting is compared by its last 4 characters.

    \b
    Examples:
      portal plan -f portal.yaml
      portal plan -f team.yaml -f integrations.yaml --out plan.json
      portal plan -f portal.yaml --json --jq '.summary'
    """
    from chathq_cli.commands.ascode import _compute, _view
    from chathq_cli.output import check_destination

    check_destination(out_path, force=force, param="--out")
    computed = _compute.from_files(rt, files)
    saved = _view.document(
        computed.plan_id, computed.plan, computed.fingerprints, computed.sections
    )
    if out_path is not None:
        with rt.out.to_destination(out_path, force=force, param="--out") as out:
            out.write_json(saved)
        rt.out.wrote(out_path, "the plan")
    if rt.out.is_json:
        rt.out.write_json(saved)
    elif rt.out.fmt == "csv":
        rt.out.list(_view.rows(computed.plan), _view.columns())
    else:
        rt.out.value(_view.text(computed.plan))
    if computed.plan.changes:
        raise typer.Exit(ExitCode.CHANGES_PENDING)  # not an error: a signal for CI
