"""Typer's (Click's) usage errors as portal's: one line, the parameter as the user typed it.

Click reports a bad option by its declaration and a bad argument by its Python name, and
formats choices over several lines; a user needs the flag (`--unit`) or the metavar of the
usage line (`MEMBER`), one line, and where a misplaced flag goes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from chathq_cli import errors

# "Choose from:\n\tlight,\n\tdark" and the like: Click's multi-line lists, folded into one line.
_FOLD = re.compile(r"\s*\n\s*")


def param_name(param: Any) -> str | None:
    """What the user typed for `param`: its long flag for an option, its metavar (as the usage
    line shows it, `MEMBER`) for an argument."""
    if param is None:
        return None
    if getattr(param, "param_type_name", "") == "argument":
        metavar = getattr(param, "metavar", None) or (param.name or "").upper()
        return str(metavar).rstrip(".")
    opts = list(getattr(param, "opts", None) or [])
    long_opts = [opt for opt in opts if opt.startswith("--")]
    if long_opts or opts:
        return str((long_opts or opts)[0])
    name = getattr(param, "name", None)
    return str(name) if name else None


def one_line(message: str) -> str:
    return _FOLD.sub(" ", message.strip())


def translate(exc: Any, args: Sequence[str]) -> errors.UsageError:
    """`exc`, a Click UsageError raised while parsing `args`, as portal's UsageError."""
    ctx: Any = getattr(exc, "ctx", None)
    command_path = ctx.command_path if ctx is not None else "portal"
    hint = f"{command_path} --help"
    param = param_name(getattr(exc, "param", None))
    # Typer 0.29 validates values with pydantic, whose messages start with "Value error, ".
    message = one_line(exc.format_message().replace("Value error, ", ""))
    option = getattr(exc, "option_name", None)
    if type(exc).__name__ == "NoSuchOption" and option and _is_group(ctx):
        # `portal --json account list`: the flag exists, after the command it belongs to.
        leaf = _command_words(ctx, args)
        where = f"`{' '.join(['portal', *leaf, option])}`" if leaf else "the command"
        message = f"{option} goes after the command: {where}"
        hint = f"{' '.join(['portal', *leaf])} --help" if leaf else hint
        param = option
    elif param is None and option:
        param = option
    return errors.UsageError(message, hint=hint, param=param)


def _is_group(ctx: Any) -> bool:
    return ctx is not None and hasattr(ctx.command, "list_commands")


def _command_words(ctx: Any, args: Sequence[str]) -> list[str]:
    """The command words of `args` (`account list` of `portal --json account list`): the
    words that name commands, followed down the command tree from the root."""
    root = ctx.find_root()
    command: Any = root.command
    words: list[str] = []
    for arg in args:
        if arg.startswith("-"):
            continue
        sub = command.get_command(root, arg) if hasattr(command, "get_command") else None
        if sub is None:
            if words:
                break
            continue  # before the first command word: the value of a root-level flag
        words.append(arg)
        command = sub
    return words
