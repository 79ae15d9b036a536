"""What the families of `portal me` share: the --password-stdin option of a sensitive change
(the password, then a two-factor code, read from successive stdin lines)."""

from __future__ import annotations

from typing import Annotated

import typer

PasswordStdinOpt = Annotated[
    bool,
    typer.Option(
        "--password-stdin",
        help="Read the password from stdin (a two-factor code may follow on the next line).",
    ),
]
