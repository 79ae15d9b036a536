"""The one error boundary: run the Typer app and map everything it raises to a message and an
exit code, through one ordered table.

This is the only place that catches broad exceptions. `chathq_cli.__main__.main()` answers
`--version` before anything is imported and hands every other command line to `main()` here.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

    import typer

    from chathq_cli.cli.environment import Environment
    from chathq_cli.output import Output

    Handler = Callable[[BaseException], int]

_HELP = ("-h", "--help")
_ROOT_FLAGS = ("--debug", "--no-color", "--no-input")

# The command line of this process, for the Output that reports errors raised before a
# command's runtime() has set up its own.
_args: list[str] = []


def main(argv: Sequence[str] | None = None, env: Environment | None = None) -> int:
    """Run `portal` with `argv` (default: sys.argv[1:]) and return the exit code.

    `env` supplies the streams, TTY flags and HTTP transport (tests run commands in-process
    with one); None means this process's own.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    from chathq_cli import output
    from chathq_cli.cli import environment

    environment.set_current(env)
    output.set_current(None)

    # pydantic looks for third-party plugins (an importlib.metadata scan of every installed
    # package, ~10-20 ms) the first time it builds a model; portal uses none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    global _args
    _args = args
    try:
        _check_encoding(args)
        from chathq_cli.cli.app import create_app

        app = create_app(_command_word(args))
        fast = _help_fast_path(app, args)
    except BaseException as exc:  # noqa: BLE001 - the boundary: report, never a raw traceback
        return handle_error(exc)
    return fast if fast is not None else run(app, args)


def run(app: typer.Typer, args: Sequence[str], prog_name: str = "portal") -> int:
    """Invoke a Typer app inside the error boundary (also used by tests with throw-away apps)."""
    global _args
    _args = list(args)
    try:
        import typer.main

        command = typer.main.get_command(app)
        # Not command.main(): on a closed pipe (`portal usage --all | head -1`) it swallows the
        # EPIPE and calls sys.exit(1). Making the context and invoking it ourselves leaves
        # every exception, BrokenPipeError included, to this boundary.
        with command.make_context(prog_name, list(args)) as ctx:
            result = command.invoke(ctx)
    except BaseException as exc:  # noqa: BLE001 - the boundary maps, or re-raises, everything
        return handle_error(exc)
    return result if isinstance(result, int) else 0


def handle_error(exc: BaseException) -> int:
    """Print `exc` through the current Output and return its exit code."""
    from chathq_cli.cli import environment

    environment.note_error(exc)
    for exc_type, handler in _handlers():
        if isinstance(exc, exc_type):
            return handler(exc)
    raise exc  # SystemExit, GeneratorExit: not ours to swallow


_HANDLERS: tuple[tuple[type[BaseException], Handler], ...] | None = None


def _handlers() -> tuple[tuple[type[BaseException], Handler], ...]:
    global _HANDLERS
    if _HANDLERS is None:
        _HANDLERS = _build_handlers()
    return _HANDLERS


def _build_handlers() -> tuple[tuple[type[BaseException], Handler], ...]:
    import typer

    from chathq_cli import errors

    # Typer vendors Click as the private `typer._click`, and we never import Click. Its
    # exceptions are reachable through the public `typer.BadParameter`, whose bases are the
    # vendored UsageError (bad flag/value, missing argument, unknown command) and
    # ClickException (e.g. a file that cannot be opened).
    bases = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
    click_usage_error: type[BaseException] = bases["UsageError"]
    click_exception: type[BaseException] = bases["ClickException"]

    # Ordered: the first match wins, so every subclass comes before its base class.
    return (
        (errors.PortalError, _portal_error),
        (click_usage_error, _usage_error),
        (click_exception, _click_error),
        (typer.Exit, _exit),
        (typer.Abort, _interrupted),
        (KeyboardInterrupt, _interrupted),
        (BrokenPipeError, _broken_pipe),
        (UnicodeError, _not_utf8),
        (Exception, _unexpected),
    )


def _out() -> Output:
    from chathq_cli import output

    if not output.has_current():
        # No command got as far as runtime(): bad flags, an unknown command, a broken import.
        # Report in the format the command line asked for.
        output.set_current(_early_output(_args))
    return output.current()


def _check_encoding(args: Sequence[str]) -> None:
    """Refuse an argument that is not valid UTF-8, naming it, before anything else runs.

    Python hands such bytes over as lone surrogates (PEP 383); left alone they would fail
    deep inside a request or a file write as an "unexpected error".
    """
    for index, arg in enumerate(args):
        if not any("\udc80" <= ch <= "\udcff" for ch in arg):
            continue
        from chathq_cli import errors

        if arg.startswith("--") and "=" in arg:
            param = arg.partition("=")[0]
        elif index > 0 and args[index - 1].startswith("-"):
            param = args[index - 1]
        else:
            param = f"argument {index + 1}"
        key, at, path = arg.partition("=@")
        if at and not any("\udc80" <= ch <= "\udcff" for ch in key):
            # `api -F key=@FILE`: a file name is no secret, and naming it tells which one.
            from chathq_cli.inputs.fields import shown_path

            raise errors.UsageError(
                f"{param}: the file name {shown_path(path)} is not valid UTF-8", param=param
            )
        raise errors.UsageError(f"{param}: the value is not valid UTF-8", param=param)


def _command_word(args: Sequence[str]) -> str | None:
    """The group or command named after the root options (`portal --debug account show`)."""
    words = iter(args)
    for word in words:
        if word in _ROOT_FLAGS or word.startswith("--profile="):
            continue
        if word == "--profile":
            next(words, None)
            continue
        return None if word.startswith("-") else word
    return None


def _help_fast_path(app: typer.Typer, args: Sequence[str]) -> int | None:
    """`portal [GROUP [COMMAND]] --help` (and `portal help ...`, `portal version`), rendered
    without parsing the parents' options.

    Typer 0.29 builds a pydantic TypeAdapter for every option it processes (even an absent
    one), so the regular path for `portal account --help` imports pydantic for the root
    callback's options: ~80 ms for nothing. Help needs only the command tree. Anything but
    the plain shape (command names, root flags, then --help) takes the regular path.
    """
    from chathq_cli.cli.app import plain_command

    plain = plain_command(list(args))
    if plain is not None:  # `portal help ...`, `portal version`
        plain()
        return 0
    if not args or args[-1] not in _HELP:
        return None
    import typer
    import typer.main

    command: Any = typer.main.get_command(app)
    ctx = command.context_class(command, info_name="portal", **command.context_settings)
    tokens = list(args[:-1])
    while tokens:
        word = tokens.pop(0)
        if ctx.parent is None and word in _ROOT_FLAGS:
            continue
        if ctx.parent is None and word == "--profile" and tokens:
            tokens.pop(0)
            continue
        get_subcommand = getattr(ctx.command, "get_command", None)
        sub = get_subcommand(ctx, word) if get_subcommand is not None else None
        if sub is None:
            return None  # not a plain help request: let the parser report the problem
        ctx = sub.context_class(sub, info_name=word, parent=ctx, **sub.context_settings)
    typer.echo(ctx.get_help(), color=ctx.color)
    return 0


def _portal_error(exc: BaseException) -> int:
    from chathq_cli import errors
    from chathq_cli.cli import environment
    from chathq_cli.cli.hints import explain

    # The raiser knows the facts; the table knows the advice (and a raiser's own hint wins).
    explain(exc, environment.current().command, environment.current().arguments)
    _out().error(exc)
    return int(exc.exit_code if isinstance(exc, errors.PortalError) else errors.ExitCode.FAILURE)


def _usage_error(exc: BaseException) -> int:
    from chathq_cli import errors

    if type(exc).__name__ == "NoArgsIsHelpError":
        # `portal` or `portal account` alone: show the help, as gh does, and succeed.
        help_text = exc.format_message()  # type: ignore[attr-defined]
        if help_text:  # Rich help mode has printed it already
            _out().value(help_text)
        return 0
    from chathq_cli.cli.usage_errors import translate

    error = translate(exc, _args)
    error.__cause__ = exc
    _out().error(error)
    return int(errors.ExitCode.USAGE)


def _click_error(exc: BaseException) -> int:
    from chathq_cli import errors

    error = errors.PortalError(exc.format_message())  # type: ignore[attr-defined]
    error.__cause__ = exc
    _out().error(error)
    return int(getattr(exc, "exit_code", errors.ExitCode.FAILURE))


def _exit(exc: BaseException) -> int:
    return int(getattr(exc, "exit_code", 0))


def _interrupted(exc: BaseException) -> int:
    from chathq_cli import errors

    # Said, so that a stop is not mistaken for the end of the work; notes say what was kept
    # (an export's FILE.part) and how to go on.
    notes = [str(note) for note in getattr(exc, "__notes__", ())]
    out = _out()
    if out.json_errors:
        error = errors.PortalError("interrupted", code="interrupted", hint="; ".join(notes) or None)
        out.error(error)
    else:
        out.info("interrupted")
        for note in notes:
            out.hint(note)
    return int(errors.ExitCode.INTERRUPTED)


def _broken_pipe(exc: BaseException) -> int:
    # The reader (`| head`) stopped reading: it has what it wanted, so this is not a failure.
    # Point stdout at /dev/null so the interpreter's final flush does not fail again.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


def _not_utf8(exc: BaseException) -> int:
    # Bytes that are not UTF-8 on stdin (--password-stdin, --input -, --from-file -), or
    # such a value from the environment reaching a request.
    from chathq_cli import errors

    where = "standard input" if isinstance(exc, UnicodeDecodeError) else "a value"
    error = errors.UsageError(f"{where} is not valid UTF-8 text")
    error.__cause__ = exc
    _out().error(error)
    return int(errors.ExitCode.USAGE)


def _unexpected(exc: BaseException) -> int:
    from chathq_cli import ISSUES_URL, errors

    out = _out()
    # A bug in portal: say where to report it (with the traceback --debug shows).
    hint = (
        f"please report this at {ISSUES_URL}"
        if out.debug_enabled
        else f"run the command again with --debug to see the traceback, and report it at "
        f"{ISSUES_URL}"
    )
    error = errors.PortalError(f"unexpected error: {type(exc).__name__}: {exc}", hint=hint)
    error.__cause__ = exc
    out.error(error)
    return int(errors.ExitCode.FAILURE)


def _early_output(args: Sequence[str]) -> Output:
    """An Output for errors raised before a command's runtime() has run (bad flags etc.)."""
    from chathq_cli import errors
    from chathq_cli.cli import environment
    from chathq_cli.output import Output

    scanned = list(args[: args.index("--")] if "--" in args else args)
    fmt: str | None = environment.preferred_format()
    for i, arg in enumerate(scanned):
        if arg == "--format" and i + 1 < len(scanned):
            fmt = scanned[i + 1]
        elif arg.startswith("--format="):
            fmt = arg.partition("=")[2]
    debug = "--debug" in scanned or environment.is_true("PORTAL_DEBUG")
    options: dict[str, Any] = {
        "no_color": "--no-color" in scanned or environment.wants_plain(),
        "debug": debug,
        "env": environment.current().terminal(),
    }
    try:
        return Output(
            fmt=fmt if fmt in environment.FORMATS else None,  # type: ignore[arg-type]
            json="--json" in scanned,
            **options,
        )
    except errors.UsageError:  # contradicting format flags: the error itself says so
        return Output(**options)
