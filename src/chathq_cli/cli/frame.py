"""The command frame: options shared by every command, declared once, and `command()`.

A command declares only its own parameters and receives a ready `Runtime`::

    @command(app, "show", data=True, account=True)
    def show(rt: Runtime, verbose: Annotated[bool, typer.Option("--verbose")] = False) -> None:
        rt.out.object(...)

`command()` appends the shared options the command asked for (`data`: --format/--json/--jq
and --no-pager;
`account`, `org`, `host`; always --debug, --no-color and, unless `profile=False`, --profile)
to the signature Typer reads, and turns their values into the Runtime before the body runs.
Environment variables (PORTAL_FORMAT included) are read by `settings.load_settings()`, so that
flag > env > config file holds in one place; the format itself is decided by
`output.choose_format`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

if TYPE_CHECKING:
    pass

OUTPUT_PANEL = "Output"
GLOBAL_PANEL = "Global options"

FormatChoice = Literal["table", "json", "csv"]

FormatOpt = Annotated[
    FormatChoice | None,
    typer.Option(
        "--format",
        help="Output format: table (a terminal; TSV when piped), json or csv. Env: PORTAL_FORMAT.",
        rich_help_panel=OUTPUT_PANEL,
        show_default=False,
    ),
]
JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Shorthand for --format json.", rich_help_panel=OUTPUT_PANEL),
]
JqOpt = Annotated[
    str | None,
    typer.Option(
        "--jq",
        metavar="EXPR",
        help="Filter the JSON output with a jq expression (implies --json).",
        rich_help_panel=OUTPUT_PANEL,
        show_default=False,
    ),
]
NoPagerOpt = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Do not page output longer than the screen. Env: PORTAL_PAGER=cat.",
        rich_help_panel=OUTPUT_PANEL,
    ),
]
DebugOpt = Annotated[
    bool,
    typer.Option(
        "--debug",
        help="Log HTTP requests (secrets redacted) and show tracebacks. Env: PORTAL_DEBUG.",
        rich_help_panel=GLOBAL_PANEL,
    ),
]
ProfileOpt = Annotated[
    str | None,
    typer.Option(
        "--profile",
        metavar="NAME",
        help="Configuration profile to use. Env: PORTAL_PROFILE.",
        rich_help_panel=GLOBAL_PANEL,
        show_default=False,
    ),
]
NoColorOpt = Annotated[
    bool,
    typer.Option(
        "--no-color",
        help="Disable colour. Env: NO_COLOR, PORTAL_NO_COLOR.",
        rich_help_panel=GLOBAL_PANEL,
    ),
]
NoInputOpt = Annotated[
    bool,
    typer.Option(
        "--no-input",
        help="Never prompt: fail instead, naming the flag or input to give. Env: PORTAL_NO_PROMPT.",
        rich_help_panel=GLOBAL_PANEL,
    ),
]
AccountOpt = Annotated[
    str | None,
    typer.Option(
        "--account",
        metavar="ACCOUNT",
        help="Account ID for this command. Env: PORTAL_ACCOUNT.",
        show_default=False,
    ),
]
OrgOpt = Annotated[
    str | None,
    typer.Option(
        "--org",
        metavar="ORG",
        help="Organization ID for this command. Env: PORTAL_ORG.",
        show_default=False,
    ),
]
YesOpt = Annotated[
    bool,
    typer.Option("--yes", "-y", help="Do not ask for confirmation."),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Replace the output file if it exists."),
]
HostOpt = Annotated[
    str | None,
    typer.Option(
        "--host",
        metavar="URL",
        help="Portal API URL. Env: PORTAL_HOST.",
        rich_help_panel=GLOBAL_PANEL,
        show_default=False,
    ),
]


# The shared options by the names the frame gives them in a command's signature (prefixed, so
# they never clash with a command's own parameters), with the runtime() argument each feeds.
_SHARED: dict[str, tuple[str, Any, Any]] = {
    "frame_format": ("fmt", FormatOpt, None),
    "frame_json": ("json", JsonOpt, False),
    "frame_jq": ("jq", JqOpt, None),
    "frame_no_pager": ("no_pager", NoPagerOpt, False),
    "frame_account": ("account", AccountOpt, None),
    "frame_org": ("org", OrgOpt, None),
    "frame_host": ("host", HostOpt, None),
    "frame_debug": ("debug", DebugOpt, False),
    "frame_profile": ("profile", ProfileOpt, None),
    "frame_no_color": ("no_color", NoColorOpt, False),
    "frame_no_input": ("no_input", NoInputOpt, False),
}

DataKind = Literal[False, True, "jq"]
_CONTEXT = "frame_context"


def command(
    app: typer.Typer,
    name: str | None = None,
    *,
    data: DataKind = False,
    account: bool = False,
    org: bool = False,
    host: bool = False,
    profile: bool = True,
    settings: bool = True,
    callback: bool = False,
    **typer_kwargs: Any,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register `fn(rt, **own_params)` on `app` as a command (or, `callback=True`, as its
    callback), with the shared options `framed()` adds. `settings=False` is for commands that
    need nothing of the profile (printing a completion script): a broken config.toml or a bad
    PORTAL_HOST must not stop them."""

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        wrapped = framed(
            data=data, account=account, org=org, host=host, profile=profile, settings=settings
        )(fn)
        if callback:
            return app.callback(**typer_kwargs)(wrapped)
        return app.command(name, **typer_kwargs)(wrapped)

    return register


def framed(
    *,
    data: DataKind = False,
    account: bool = False,
    org: bool = False,
    host: bool = False,
    profile: bool = True,
    settings: bool = True,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """`fn(rt, **own_params)` as a Typer callback taking its own parameters plus the shared ones.

    `data=True` adds --format/--json/--jq (commands that print data), `data="jq"` only --jq
    (`portal api`, whose data is always JSON). A framed group callback runs its body only when
    no subcommand follows (`portal usage`, not `portal usage prices`).
    """
    wanted = {
        "frame_format": data is True,
        "frame_json": data is True,
        "frame_jq": bool(data),
        "frame_no_pager": bool(data),
        "frame_account": account,
        "frame_org": org,
        "frame_host": host,
        "frame_debug": True,
        "frame_profile": profile,
        "frame_no_color": True,
        "frame_no_input": True,
    }
    shared = [name for name, on in wanted.items() if on]
    return lambda fn: _frame(fn, shared, settings)


def _frame(fn: Callable[..., None], shared: list[str], settings: bool) -> Callable[..., None]:
    own = list(inspect.signature(fn).parameters.values())[1:]  # the first one is `rt`
    own = [p.replace(annotation=_resolve(p.annotation, fn)) for p in own]
    contexts = [p.name for p in own if p.annotation is typer.Context]
    clash = {p.name for p in own} & {*_SHARED, _CONTEXT}
    if clash:
        raise TypeError(f"{fn.__qualname__}: parameter names reserved by the frame: {clash}")
    extra = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=_SHARED[name][1],
            default=_SHARED[name][2],
        )
        for name in shared
    ]

    @functools.wraps(fn)
    def framed(**kwargs: Any) -> None:
        flags = {_SHARED[name][0]: kwargs.pop(name) for name in shared}
        # Only commands that print data page it (the pager's place is not runtime()'s).
        paged = "frame_no_pager" in shared and not flags.pop("no_pager")
        # Typer fills only the first Context parameter: the command's own, when it has one.
        context = kwargs[contexts[0]] if contexts else kwargs.pop(_CONTEXT)
        if any(kwargs[name].invoked_subcommand for name in contexts):
            return  # a group callback, and a subcommand will do the work
        from chathq_cli.cli import environment
        from chathq_cli.cli.runtime import runtime

        # What ran, for the hints table at the boundary ("team remove", "usage").
        environment.current().command = context.command_path.partition(" ")[2]
        environment.current().arguments = {
            (param.metavar or (param.name or "").upper()): str(kwargs[param.name])
            for param in context.command.params
            if param.param_type_name == "argument" and kwargs.get(param.name or "") is not None
        }
        rt = runtime(**flags, with_settings=settings)
        if paged and rt.out.env.stdout_isatty:  # piped output is never paged
            rt.out.page_with(environment.pager(rt.settings.pager), environment.pager_variables())
        try:
            fn(rt, **kwargs)
        finally:
            rt.out.end_paging()

    # Typer hands a parameter annotated typer.Context the command's context.
    context_param = inspect.Parameter(
        _CONTEXT, inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context
    )
    params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + extra
    if not contexts:
        params.append(context_param)
    framed.__signature__ = inspect.Signature(params, return_annotation=None)  # type: ignore[attr-defined]
    framed.__annotations__ = {p.name: p.annotation for p in params}
    return framed


def _resolve(annotation: Any, fn: Callable[..., Any]) -> Any:
    """An annotation written as a string (`from __future__ import annotations`), evaluated."""
    if isinstance(annotation, str):
        return eval(annotation, fn.__globals__)  # noqa: S307 - the command module's own source
    return annotation
