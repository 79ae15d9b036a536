"""`portal integrations configure`: set up an integration or change some of its settings."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import command
from chathq_cli.commands.integrations import _lookup, _settings, _view
from chathq_cli.commands.integrations._lookup import NameArg

if TYPE_CHECKING:
    from chathq_cli.api.integrations import IntegrationType, SettingField
    from chathq_cli.cli.prompts import Prompter
    from chathq_cli.cli.runtime import Runtime

app = typer.Typer()

PROMPT_ATTEMPTS = 3


def _ask(prompts: Prompter, field: SettingField) -> Any:
    """Prompt for one setting: hidden for secrets, choices for enums, yes/no for bools.

    An optional setting can be skipped with Enter (None); a bad answer is asked again.
    """
    from chathq_cli import errors

    if field.type == "bool":
        label = f"{field.label} [y/n]"
    elif field.type == "enum":
        label = f"{field.label} ({'/'.join(field.choices or [])})"
    else:
        label = field.label
    if not field.required:
        label += ", optional (Enter skips)"
    problem = "must not be empty"
    for _ in range(PROMPT_ATTEMPTS):
        try:
            ask = prompts.secret if field.type == "secret" else prompts.text
            answer = ask(label, flag="--from-file")
        except errors.UsageError:
            answer = ""  # an empty answer
        if not answer.strip() and not field.required:
            return None
        ready, problem_now = _settings.value_problem(field, answer)
        if problem_now is None:
            return ready
        problem = problem_now
        prompts.out.warn(f"{field.label} {problem}")
    # Named by the flag that gives this setting without a prompt (secrets only from a file).
    flag = "--from-file" if field.type == "secret" else "--set"
    raise errors.UsageError(f"{flag} {field.name}: {problem}", param=flag)


def _first_setup(
    prompts: Prompter, kind: IntegrationType, settings: dict[str, Any], *, stdin_used: bool
) -> dict[str, Any]:
    """The settings a first configuration still needs, asked on a terminal (all of them,
    optional ones included, when none was given), else a usage error naming them."""
    from chathq_cli import errors

    missing = [f for f in kind.settings_schema if f.required and f.name not in settings]
    can_ask = prompts.can_ask() and not stdin_used
    if can_ask and not settings:
        missing = list(kind.settings_schema)  # a guided set-up
    if missing and not can_ask:
        names = ", ".join(f"{f.name} ({f.label})" for f in missing)
        # The flag that gives the first missing setting (a secret comes only from a file).
        flag = "--from-file" if missing[0].type == "secret" else "--set"
        plural = "s" if len(missing) > 1 else ""
        raise errors.UsageError(
            f"{flag}: missing required setting{plural} for {kind.id}: {names}",
            param=flag,
            hint="pass --set KEY=VALUE (secrets in --from-file FILE, or - for stdin), "
            "or run in a terminal to be asked",
        )
    answers = {field.name: _ask(prompts, field) for field in missing}
    return {name: value for name, value in answers.items() if value is not None}


@command(app, data=True, account=True)
def configure(
    rt: Runtime,
    name: NameArg,
    pairs: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="A setting (repeatable). Secret settings are not taken here: use "
            "--from-file or the prompt.",
            show_default=False,
        ),
    ] = None,
    from_file: Annotated[
        str | None,
        typer.Option(
            "--from-file",
            metavar="FILE",
            help="Settings from a .json or .toml file, or - for stdin (JSON or TOML).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Set up an integration, or change some of its settings.

    The first time, every required setting is needed: on a terminal you are asked for
    the missing ones (for all of them when none is given; secrets without echo);
    otherwise pass them. Later runs change only the settings given and keep the
    others, secrets included. --set wins over the file.

    \b
    Examples:
      portal integrations configure slack
      portal integrations configure slack --set notify_on=all --set channel=#ops
      portal integrations configure webhook --set url=https://hooks.example.com/in
      printf '{"bot_token": "%s"}' "$SLACK_TOKEN" |
        portal integrations configure slack --from-file - \\
          --set workspace=acme --set channel=#support
      portal integrations configure zendesk --from-file zendesk.toml
    """
    from chathq_cli import errors

    ref = _lookup.check_ref(name)
    given = _settings.parse_pairs(pairs or [])
    if from_file == "-":
        rt.prompts.reading("the settings (TOML or JSON)")
    from_file_values = (
        _settings.read_file(from_file, rt.out.env.stdin) if from_file is not None else {}
    )
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _lookup.resolve(client, account_id, ref)
    settings = _settings.checked(kind, from_file_values, "--from-file")
    settings.update(_settings.checked(kind, given, "--set"))

    if found is None:
        settings.update(_first_setup(rt.prompts, kind, settings, stdin_used=from_file == "-"))
    elif not settings:
        raise errors.UsageError(
            f"nothing to change for {kind.id}: pass --set KEY=VALUE or --from-file FILE",
            param="--set",
            hint=f"portal integrations show {kind.id}",
        )

    secret_fields = {f.name for f in kind.settings_schema if f.type == "secret"}
    client.redact_in_debug(str(v) for k, v in settings.items() if k in secret_fields)
    if found is None:
        result = client.create_integration(account_id, kind.id, settings)
        done = "Configured"
    else:
        result = client.update_integration(account_id, found.id, settings)
        done = "Updated"
    _view.show_integration(rt.out, kind, result)
    if found is not None and result.updated_at == found.updated_at:
        # The server changes nothing (and keeps updated_at) for the settings it already has.
        rt.out.info(f"{kind.id} ({result.id}) already has these settings; nothing changed")
    else:
        rt.out.success(f"{done} {kind.id} ({result.id}), {result.status}")
