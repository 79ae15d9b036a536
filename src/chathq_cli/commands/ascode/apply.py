"""`portal apply`: make the accounts what the files (or a saved plan) say."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import YesOpt, command
from chathq_cli.commands.ascode.plan import FileOpt

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()


@command(app, "apply")
def apply(
    rt: Runtime,
    plan_file: Annotated[
        str | None, typer.Argument(metavar="PLAN", help="A plan saved by plan --out.")
    ] = None,
    files: FileOpt = [],  # noqa: B006 - Typer reads the default; never mutated
    yes: YesOpt = False,
    allow_removals: Annotated[
        bool, typer.Option("--allow-removals", help="Allow removing members, integrations, keys.")
    ] = False,
    max_removals: Annotated[
        int | None, typer.Option("--max-removals", metavar="N", help="Refuse more removals.")
    ] = None,
    secrets_out: Annotated[
        str | None,
        typer.Option(
            "--secrets-out", metavar="FILE", help="Write new keys' secrets to FILE (0600)."
        ),
    ] = None,
) -> None:
    """Make the accounts what the files say: shows the plan, asks, then applies it.

    Invitations and changes come before removals; removals need --allow-removals; the last
    owner is never removed or demoted (exit 7); a saved plan whose live state changed is
    refused (exit 7). New API keys' secrets are printed once (or written to --secrets-out).

    \b
    Examples:
      portal apply -f portal.yaml
      portal apply -f portal.yaml --yes --allow-removals --max-removals 3
      portal apply plan.json --yes --secrets-out new-keys.json
    """
    from chathq_cli.commands.ascode import _apply, _compute, _view

    _apply.check_arguments(plan_file, files, max_removals, secrets_out)
    rt.prompts.can_confirm(yes=yes)
    computed = _compute.from_saved(rt, plan_file) if plan_file else _compute.from_files(rt, files)
    if not computed.plan.changes:
        rt.out.info("No changes: the live state matches.")
        return
    env = _compute.environment()
    _apply.check_plan(computed, env, allow_removals=allow_removals, max_removals=max_removals)
    rt.out.say(_view.text(computed.plan))
    rt.prompts.confirm(_view.question(computed.plan), yes=yes)
    _compute.check_unchanged(rt, computed)
    done = _apply.run(rt, computed, _apply.Secrets(rt, secrets_out), env)
    rt.out.success(f"Applied {_view.count(done)}.")
