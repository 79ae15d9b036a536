"""The root Typer app of `portal`: global options and the command groups.

Only this module imports `chathq_cli.commands`. The command modules keep their module level
light, so building this app (what `--help` and argument errors need) stays fast.

Typer turns the whole command tree into Click commands before it dispatches (~35 ms for every
group, against ~7 ms for one), so `create_app(command)` builds the root with just the group
the command line names; `app` (every group) is built on first use, for `portal --help`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from chathq_cli import ISSUES_URL, __version__
from chathq_cli.cli import runtime as _runtime
from chathq_cli.cli.frame import DebugOpt, NoColorOpt, NoInputOpt, ProfileOpt

HELP = """\
The administrative command line of the ChatHQ portal.

Sign in with `portal auth login`, then manage organizations, accounts, usage and settings.
Data goes to stdout (a table on a terminal, TSV when piped, or --format json/csv); messages
and errors go to stderr.
"""

# "\b" keeps Click from re-wrapping the example block into one paragraph.
EPILOG = f"""\
\b
Examples:
  portal auth login
  portal account list --json
  portal usage --unit sms --unpaid
  portal sandbox serve

\b
Learn more:
  portal help COMMAND...     the same as `portal COMMAND... --help`
  portal help environment    the variables portal reads
  portal help exit-codes     what each exit code means
  portal help formatting     --format, --json, --jq, TSV, CSV, dates
  portal help config         the keys of config.toml and profiles
  man portal, docs/reference.md: the reference manual of every command

\b
Report a bug: {ISSUES_URL}
"""


def _root() -> typer.Typer:
    return typer.Typer(
        name="portal",
        help=HELP,
        epilog=EPILOG,
        no_args_is_help=True,
        # Never render locals in a traceback (they can hold a token); the boundary prints errors.
        pretty_exceptions_enable=False,
        # Plain help: `portal --help` ~115 ms vs ~210 ms with Rich panels (the minimal Typer app
        # --help, Rich, is ~155 ms; SPEC §7 allows 1.15x of it). Also keeps Rich off that path.
        rich_markup_mode=None,
        # Typer's completion installer would add start-up cost to every command.
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def _version(value: bool) -> None:
    # `portal --version` is answered in __main__ before Typer loads; this covers e.g.
    # `portal --debug --version`.
    if value:
        from chathq_cli import output
        from chathq_cli.cli import environment

        output.Output(env=environment.current().terminal()).value(f"portal {__version__}")
        raise typer.Exit()


def main(
    debug: DebugOpt = False,
    profile: ProfileOpt = None,
    no_color: NoColorOpt = False,
    no_input: NoInputOpt = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    _runtime.set_global_flags(debug=debug, profile=profile, no_color=no_color, no_input=no_input)


# The command line's words, in the order `portal --help` lists them: module, how it registers.
GROUPS = (
    "auth",
    "org",
    "account",
    "team",
    "integrations",
    "secrets",
    "ascode",
    "billing",
    "usage",
    "me",
    "config",
    "api",
    "sandbox",
    "completion",
    "help",
)
# Commands registered by another word's module, with that module.
REGISTERED_BY = {
    "__complete": "completion",
    "version": "help",
    "export": "ascode",
    "plan": "ascode",
    "apply": "ascode",
}
# Modules that register single commands (not groups): word -> function names it registers.
SINGLE = {"api": {"api": "api"}, "help": {"help": "help_", "version": "version"}}
# Modules whose commands join the root's (no group word of their own).
ROOT_LEVEL = frozenset({"ascode"})


def create_app(command: str | None = None) -> typer.Typer:
    """The root app with every group, or only with `command`'s when that names one."""
    from importlib import import_module

    root = _root()
    root.callback()(main)
    command = REGISTERED_BY.get(command or "", command)
    for name in (command,) if command in GROUPS else GROUPS:
        module = import_module(f"chathq_cli.commands.{name}")
        if name in SINGLE:  # `portal api [METHOD] PATH`, `portal help`, `portal version`
            for word, function in SINGLE[name].items():
                root.command(word)(getattr(module, function))
        elif name in ROOT_LEVEL:  # `portal export`, `portal plan`, `portal apply`
            root.add_typer(module.app)
        else:
            root.add_typer(module.app, name=name)
        if name == "completion":
            root.add_typer(module.internal, name="__complete", hidden=True)
    return root


def plain_command(args: list[str]) -> Callable[[], None] | None:
    """`portal help [WORD]...` or `portal version` as a plain call, or None for anything else.

    What they print needs no option parsing, and Typer's parsing of any command line costs a
    pydantic import (~80 ms): the boundary calls them directly, as it renders `--help`.
    """
    if not args or any(arg.startswith("-") for arg in args):
        return None
    from importlib import import_module

    # Loaded by name, as create_app() loads every command module.
    module = import_module("chathq_cli.commands.help")
    if args == ["version"]:
        version: Callable[[], None] = module.version
        return version
    if args[0] == "help":
        return lambda: module.help_(args[1:])
    return None


def __getattr__(name: str) -> typer.Typer:
    # `chathq_cli.cli.app.app`: the whole app, built when first asked for (tests, tooling).
    if name == "app":
        globals()["app"] = full = create_app()
        return full
    raise AttributeError(name)
