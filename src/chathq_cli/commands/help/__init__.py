"""`portal help [COMMAND]... | TOPIC` and `portal version`.

`portal help team link create` prints exactly what `portal team link create --help` prints;
`portal help environment` (exit-codes, formatting) prints a topic. Neither needs a profile,
settings or the network, so they are not framed: they load nothing `portal --help` does not.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from chathq_cli.commands.help._topics import TOPICS

app = typer.Typer()


def help_(
    words: Annotated[
        list[str] | None,
        typer.Argument(metavar="[COMMAND]... | TOPIC", show_default=False),
    ] = None,
) -> None:
    """Show help for portal, for a command, or on a topic: environment, exit-codes, formatting.

    \b
    Examples:
      portal help team link create
      portal help environment
      portal help exit-codes
      portal help formatting
      portal help config
    """
    words = words or []
    if len(words) == 1 and words[0] in TOPICS:
        _print(TOPICS[words[0]]())
    else:
        _print(command_help(words))


def version() -> None:
    """Show portal's version (the same as `portal --version`).

    \b
    Examples:
      portal version
    """
    from chathq_cli import __version__

    _print(f"portal {__version__}")


def command_help(words: list[str]) -> str:
    """The `--help` text of the command `words` names; an unknown word is a usage error with
    the same suggestion `portal WORD...` gives ("Did you mean ...?")."""
    import typer.main

    from chathq_cli.cli.app import create_app

    root: Any = typer.main.get_command(create_app(words[0] if words else None))
    ctx = root.context_class(root, info_name="portal", **root.context_settings)
    for word in words:
        if not hasattr(ctx.command, "get_command"):
            ctx.fail(f"{ctx.command_path} has no subcommand {word!r}")
        # resolve_command raises Click's usage error, with the suggestion, for a wrong word.
        _, sub, _ = ctx.command.resolve_command(ctx, [word])
        ctx = sub.context_class(sub, info_name=word, parent=ctx, **sub.context_settings)
    return str(ctx.get_help())


def _print(text: str) -> None:
    from chathq_cli import output
    from chathq_cli.cli import environment

    output.Output(env=environment.current().terminal()).value(text)
