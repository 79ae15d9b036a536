"""`portal completion SHELL`: print the shell completion script shipped with portal.

The scripts are generated from the command tree by scripts/gen_completions.py and stored
once, in the repository's completions/; a wheel carries them as package data
(chathq_cli/completions/), and an editable install reads completions/ itself.
`portal __complete refresh` (hidden) refills the completion cache the scripts read; the
scripts start it in the background, or wait for it (`--timeout`) when a section was never
fetched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chathq_cli.cli.frame import command

if TYPE_CHECKING:
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer(
    help=(
        "Print the shell completion script for bash, zsh, fish or PowerShell.\n\n"
        "\b\nExamples:\n"
        "  portal completion bash > ~/.local/share/bash-completion/completions/portal\n"
        "  portal completion zsh > ~/.zfunc/_portal\n"
        "  portal completion fish > ~/.config/fish/completions/portal.fish\n"
        "  portal completion powershell >> $PROFILE"
    ),
    no_args_is_help=True,
)

# Hidden: `portal __complete refresh`, started by the completion scripts.
internal = typer.Typer(hidden=True, no_args_is_help=True)


def _script(rt: Runtime, name: str) -> None:
    rt.out.value(script_text(name).rstrip("\n"))


def script_text(name: str) -> str:
    """A completion script: the wheel's package data, else the source tree's completions/."""
    from importlib.resources import files
    from pathlib import Path

    packaged = files("chathq_cli") / "completions" / name
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    source_tree = Path(__file__).resolve().parents[3] / "completions" / name
    return source_tree.read_text(encoding="utf-8")


@command(app, "bash", profile=False, settings=False)
def bash(rt: Runtime) -> None:
    """Print the bash completion script.

    \b
    Install for your user (bash-completion loads it on first TAB):
      portal completion bash > ~/.local/share/bash-completion/completions/portal
    Or load it from ~/.bashrc:
      source <(portal completion bash)
    """
    _script(rt, "portal.bash")


@command(app, "zsh", profile=False, settings=False)
def zsh(rt: Runtime) -> None:
    """Print the zsh completion script.

    \b
    Install it as _portal in a directory on $fpath, before compinit runs:
      mkdir -p ~/.zfunc && portal completion zsh > ~/.zfunc/_portal
      # in ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit
    """
    _script(rt, "portal.zsh")


@command(app, "fish", profile=False, settings=False)
def fish(rt: Runtime) -> None:
    """Print the fish completion script.

    \b
    Install it where fish loads completions on demand:
      portal completion fish > ~/.config/fish/completions/portal.fish
    """
    _script(rt, "portal.fish")


@command(app, "powershell", profile=False, settings=False)
def powershell(rt: Runtime) -> None:
    """Print the PowerShell completion script.

    \b
    Load it from your profile:
      portal completion powershell >> $PROFILE
    """
    _script(rt, "portal.ps1")


@command(internal, "refresh")
def refresh(
    rt: Runtime,
    timeout: Annotated[
        float | None,
        typer.Option(
            "--timeout",
            min=0.1,
            max=60,
            metavar="SECONDS",
            help="Give up after this long (the keyring and every request included).",
        ),
    ] = None,
) -> None:
    """Refill the completion cache of the profile (names and IDs offered on TAB)."""
    from chathq_cli.cli.completion_feed import refresh as refill

    refill(rt, timeout=timeout)
