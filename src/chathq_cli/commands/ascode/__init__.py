"""`portal export`, `portal plan`, `portal apply`: accounts as code (SPEC §9).

Three top-level commands, merged into the root app by `cli/app.py` (this Typer has no name).
The file is the truth, `plan` shows the difference (exit 9 when there is one), `apply` makes
it so: the document and its checks are in `inputs/account_file.py`, the pure planner in
`_diff.py`, the live state in `_live.py`, the rendering in `_view.py`.
"""

from __future__ import annotations

import typer

from chathq_cli.commands.ascode import apply, export, plan

app = typer.Typer()

app.add_typer(export.app)
app.add_typer(plan.app)
app.add_typer(apply.app)
