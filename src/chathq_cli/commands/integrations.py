"""`portal integrations`: the catalog of integration types and this account's configuration.

Each type has a `settings_schema` (fields of type string, url, email, secret, enum, bool).
Values are checked against it before anything is sent. Secret settings are write-only: they
are never taken on the command line, and they come back as the server's mask (`••••last4`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from chathq_cli.cli.frame import YesOpt, command

if TYPE_CHECKING:
    from chathq_cli.api.integrations import Integration, IntegrationType, SettingField
    from chathq_cli.cli.runtime import Runtime
    from chathq_cli.client import PortalClient
    from chathq_cli.output import Column, Output

app = typer.Typer(
    help="Connect the account to other services: Slack, Zendesk, Salesforce, webhooks...",
    no_args_is_help=True,
)

NameArg = Annotated[
    str,
    typer.Argument(
        metavar="NAME", help="Integration type (slack, webhook, ...) or its ID (intg_...)."
    ),
]

NOT_CONFIGURED = "not_configured"
VALUE_MAX = 2000
FILE_MAX = 1024 * 1024
PROMPT_ATTEMPTS = 3
_TRUE = ("true", "yes", "y", "on", "1")
_FALSE = ("false", "no", "n", "off", "0")


# -- finding things -----------------------------------------------------------------------------


def _check_ref(ref: str) -> str:
    """NAME as given: a type (matched case-insensitively) or an ID; no control characters."""
    from chathq_cli.inputs.names import check_name, not_blank

    not_blank(ref, "NAME")
    clean = check_name(ref, "NAME")
    return clean if clean.startswith("intg_") else clean.lower()


def _catalog(client: PortalClient) -> dict[str, IntegrationType]:
    return {kind.id: kind for kind in client.list_integration_types()}


def _resolve(
    client: PortalClient, account_id: str, ref: str
) -> tuple[IntegrationType, Integration | None]:
    """The type NAME means and this account's integration of it (None: not configured)."""
    from chathq_cli import errors
    from chathq_cli.inputs.names import shown

    catalog = _catalog(client)
    if ref.startswith("intg_"):
        found = client.get_integration(account_id, ref)
        return catalog[found.type], found
    kind = catalog.get(ref)
    if kind is None:
        raise errors.UsageError(
            f"unknown integration type {shown(ref)}; valid types: {', '.join(catalog)}",
            param="NAME",
        )
    configured = next((i for i in client.list_integrations(account_id) if i.type == kind.id), None)
    return kind, configured


def _configured(kind: IntegrationType, found: Integration | None) -> Integration:
    from chathq_cli import errors

    if found is None:
        raise errors.NotFound(
            f"{kind.id} is not configured on this account",
            status=404,
            code="resource_missing",
            param="NAME",
            hint=f"portal integrations configure {kind.id}",
        )
    return found


# -- presenting ---------------------------------------------------------------------------------


def _entry(kind: IntegrationType, found: Integration | None) -> dict[str, Any]:
    """A catalog entry (the API's integration_type) with this account's status and integration."""
    data = kind.model_dump(mode="json")
    data["status"] = found.status if found is not None else NOT_CONFIGURED
    data["integration"] = found.model_dump(mode="json") if found is not None else None
    return data


def _field_hint(field: SettingField) -> str:
    kind = f"one of {'|'.join(field.choices or [])}" if field.type == "enum" else field.type
    return f"({'required' if field.required else 'optional'}, {kind})"


def _show(out: Output, kind: IntegrationType, found: Integration | None) -> None:
    """One type and its configuration: key/value lines for people, the entry for scripts."""
    from chathq_cli.output import Column

    if out.is_json:
        out.object(_entry(kind, found))
        return
    settings = found.settings if found is not None else {}
    dumped = found.model_dump(mode="json") if found is not None else {}
    view: dict[str, Any] = {
        "type": kind.id,
        "name": kind.name,
        "description": kind.description,
        "status": found.status if found is not None else NOT_CONFIGURED,
        "id": found.id if found is not None else None,
        "created_at": dumped.get("created_at"),
        "updated_at": dumped.get("updated_at"),
        "settings": {
            field.name: settings.get(field.name, None if found else _field_hint(field))
            for field in kind.settings_schema
        },
    }
    if out.fmt == "table":
        view["status"] = view["status"].replace("_", " ")
    columns = [
        Column("type", "Type"),
        Column("name", "Name"),
        Column("description", "Description"),
        Column("status", "Status"),
        Column("id", "ID", "id"),
        *(Column(f"settings.{f.name}", f.label) for f in kind.settings_schema),
        Column("created_at", "Created", "time"),
        Column("updated_at", "Updated", "time"),
    ]
    out.object(view, columns)


def _show_integration(out: Output, kind: IntegrationType, found: Integration) -> None:
    """After a change: the API's integration object for scripts, the key/value view for people."""
    if out.is_json:
        out.object(found.model_dump(mode="json"))
    else:
        _show(out, kind, found)


def _list_columns(out: Output) -> list[Column]:
    import shutil

    from chathq_cli.output import Column

    columns = [
        Column("id", "Type"),
        Column("name", "Name"),
        Column("status", "Status"),
        Column("integration.id", "ID", "id"),
    ]
    width = out.env.columns or shutil.get_terminal_size().columns
    if not out.is_terminal_table or width >= 120:
        columns.append(Column("description", "Description"))
    return columns


# -- settings: parsing and checking -------------------------------------------------------------


def _parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """`--set KEY=VALUE` pairs; a value is never echoed (it may be a pasted secret)."""
    import re

    from chathq_cli import errors
    from chathq_cli.inputs.names import shown

    found: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            looks_like_key = re.fullmatch(r"[A-Za-z0-9_]{1,40}", pair.strip())
            got = f" (got {shown(pair)})" if looks_like_key else ""
            raise errors.UsageError(f"--set takes KEY=VALUE, with an '='{got}", param="--set")
        if not key:
            raise errors.UsageError("--set needs a KEY before the '='", param="--set")
        if key in found:
            raise errors.UsageError(f"--set {shown(key)} is given twice", param="--set")
        found[key] = value
    return found


def _read_file(path: str, stdin: IO[str]) -> dict[str, Any]:
    """Settings from a JSON or TOML file (by extension), or from stdin with `-`."""
    import json
    import tomllib
    from pathlib import Path

    from chathq_cli import errors
    from chathq_cli.inputs.names import shown

    def bad(message: str) -> errors.UsageError:
        return errors.UsageError(f"--from-file: {message}", param="--from-file")

    if path == "-":
        text = stdin.read(FILE_MAX + 1)
        name, as_json = "standard input", text.lstrip().startswith("{")
    else:
        file = Path(path)
        suffix = file.suffix.lower()
        if suffix not in (".json", ".toml"):
            raise bad(f"{shown(path)} must be a .json or .toml file (or - for stdin)")
        name, as_json = shown(path), suffix == ".json"
        try:
            if file.stat().st_size > FILE_MAX:
                raise bad(f"{name} is larger than 1 MiB")
            text = file.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise bad(f"no such file: {name}") from None
        except IsADirectoryError:
            raise bad(f"{name} is a directory") from None
        except PermissionError:
            raise bad(f"cannot read {name}: permission denied") from None
        except UnicodeDecodeError:
            raise bad(f"{name} is not UTF-8 text") from None
        except OSError as exc:
            raise bad(f"cannot read {name}: {exc.strerror or exc}") from None
    if len(text) > FILE_MAX:
        raise bad(f"{name} is larger than 1 MiB")
    try:
        data = json.loads(text) if as_json else tomllib.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"{name} is not valid JSON: {exc.msg} (line {exc.lineno})") from None
    except tomllib.TOMLDecodeError as exc:
        raise bad(f"{name} is not valid TOML: {exc}") from None
    if not isinstance(data, dict):
        raise bad(f'{name} must hold an object of settings, like {{"channel": "#support"}}')
    return data


def _value_problem(field: SettingField, value: Any) -> tuple[Any, str | None]:
    """`value` made ready to send for `field` (same rules as the server), or why it is not."""
    from urllib.parse import urlsplit

    from chathq_cli.api import rules

    if field.type == "bool":
        if isinstance(value, bool):
            return value, None
        word = str(value).strip().lower() if isinstance(value, str) else None
        if word in _TRUE:
            return True, None
        if word in _FALSE:
            return False, None
        return None, "must be true or false (yes/no, on/off, 1/0)"
    if isinstance(value, int) and not isinstance(value, bool) and field.type == "string":
        value = str(value)
    if not isinstance(value, str):
        return None, "must be text"
    text = value.strip()
    if not text:
        return None, "must not be empty"
    if len(text) > VALUE_MAX:
        return None, f"must be at most {VALUE_MAX} characters"
    if any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in text):
        return None, "must not contain control characters"
    if field.type == "url":
        parts = urlsplit(text)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in text:
            return None, "must be an http(s) URL, like https://example.com/hook"
    elif field.type == "email":
        problem = rules.email_problem(text)
        if problem:
            return None, problem
    elif field.type == "enum":
        choices = field.choices or []
        match = next((c for c in choices if c.lower() == text.lower()), None)
        if match is None:
            return None, "must be one of " + ", ".join(choices)
        text = match
    return text, None


def _checked(kind: IntegrationType, values: Mapping[str, Any], source: str) -> dict[str, Any]:
    """`values` (from `source`: --set or --from-file) checked against the schema."""
    from chathq_cli import errors
    from chathq_cli.inputs.names import shown

    schema = {field.name: field for field in kind.settings_schema}
    clean: dict[str, Any] = {}
    for key, value in values.items():
        field = schema.get(key)
        if field is None:
            raise errors.UsageError(
                f"{source}: unknown setting {shown(key)} for {kind.id}; "
                f"valid settings: {', '.join(schema)}",
                param=source,
            )
        if source == "--set" and field.type == "secret":
            raise errors.UsageError(
                f"--set {key}: {field.label} is a secret and is not taken on the command line; "
                "put it in --from-file FILE (- reads stdin)",
                param="--set",
            )
        ready, problem = _value_problem(field, value)
        if problem:
            got = "" if field.type == "secret" or not isinstance(value, str) else shown(value)
            raise errors.UsageError(
                f"{source} {key}: {problem}" + (f" (got {got})" if got else ""), param=source
            )
        clean[key] = ready
    return clean


def _ask(out: Output, field: SettingField) -> Any:
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
            answer = out.prompt(label, hidden=field.type == "secret", flag="--from-file")
        except errors.UsageError:
            answer = ""  # an empty answer
        if not answer.strip() and not field.required:
            return None
        ready, problem_now = _value_problem(field, answer)
        if problem_now is None:
            return ready
        problem = problem_now
        out.warn(f"{field.label} {problem}")
    raise errors.UsageError(f"{field.name}: {problem}", param=field.name)


# -- commands -----------------------------------------------------------------------------------


@command(app, "list", data=True, account=True)
def list_(rt: Runtime) -> None:
    """List the integration types, with this account's status for each.

    Status is `not configured`, `enabled` or `disabled`.

    \b
    Examples:
      portal integrations list
      portal integrations list --jq '.[] | select(.status == "enabled") | .id'
      portal integrations list --format csv
    """
    client = rt.client()
    account_id = rt.account_id()
    catalog = client.list_integration_types()
    configured = {found.type: found for found in client.list_integrations(account_id)}
    rows = [_entry(kind, configured.get(kind.id)) for kind in catalog]
    if rt.out.is_terminal_table:
        for row in rows:
            row["status"] = row["status"].replace("_", " ")
    rt.out.list(rows, _list_columns(rt.out))


@command(app, data=True, account=True)
def show(rt: Runtime, name: NameArg) -> None:
    """Show an integration type, its settings and this account's configuration.

    Secret settings show as the server's mask (••••last4). For a type that is not
    configured, each setting says whether it is required and what it takes.

    \b
    Examples:
      portal integrations show slack
      portal integrations show intg_0123456789abcdef --json
      portal integrations show webhook --jq .integration.settings.url
    """
    ref = _check_ref(name)
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _resolve(client, account_id, ref)
    _show(rt.out, kind, found)
    if found is None:
        rt.out.hint(f"portal integrations configure {kind.id}")


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

    ref = _check_ref(name)
    given = _parse_pairs(pairs or [])
    from_file_values = _read_file(from_file, rt.out.env.stdin) if from_file is not None else {}
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _resolve(client, account_id, ref)
    settings = _checked(kind, from_file_values, "--from-file")
    settings.update(_checked(kind, given, "--set"))

    if found is None:
        missing = [f for f in kind.settings_schema if f.required and f.name not in settings]
        can_ask = rt.out.env.stdin_isatty and not rt.out.no_prompt and from_file != "-"
        if can_ask and not settings:
            # Nothing given on a terminal: a guided set-up, optional settings included.
            missing = list(kind.settings_schema)
        if missing and not can_ask:
            names = ", ".join(f"{f.name} ({f.label})" for f in missing)
            raise errors.UsageError(
                f"missing required setting{'s' if len(missing) > 1 else ''} for {kind.id}: {names}",
                param=missing[0].name,
                hint="pass --set KEY=VALUE (secrets in --from-file FILE, or - for stdin), "
                "or run in a terminal to be asked",
            )
        for field in missing:
            answer = _ask(rt.out, field)
            if answer is not None:
                settings[field.name] = answer
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
    _show_integration(rt.out, kind, result)
    rt.out.success(f"{done} {kind.id} ({result.id}), {result.status}")


@command(app, data=True, account=True)
def enable(rt: Runtime, name: NameArg) -> None:
    """Turn a configured integration on.

    \b
    Examples:
      portal integrations enable webhook
      portal integrations enable intg_0123456789abcdef --json
    """
    _set_status(rt, name, enable=True)


@command(app, data=True, account=True)
def disable(rt: Runtime, name: NameArg) -> None:
    """Turn an integration off; its settings are kept.

    \b
    Examples:
      portal integrations disable slack
      portal integrations disable intg_0123456789abcdef --json
    """
    _set_status(rt, name, enable=False)


def _set_status(rt: Runtime, name: str, *, enable: bool) -> None:
    ref = _check_ref(name)
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _resolve(client, account_id, ref)
    current = _configured(kind, found)
    if enable:
        result = client.enable_integration(account_id, current.id)
    else:
        result = client.disable_integration(account_id, current.id)
    if rt.out.fmt != "table":
        _show_integration(rt.out, kind, result)
    rt.out.success(f"{kind.id} ({result.id}) is {result.status}")


@command(app, data=True, account=True)
def remove(rt: Runtime, name: NameArg, yes: YesOpt = False) -> None:
    """Remove an integration from the account, with its settings (secrets included).

    \b
    Examples:
      portal integrations remove webhook
      portal integrations remove intg_0123456789abcdef --yes
    """
    ref = _check_ref(name)
    client = rt.client()
    account_id = rt.account_id()
    kind, found = _resolve(client, account_id, ref)
    current = _configured(kind, found)
    rt.out.confirm(
        f"Remove {kind.name} ({current.id}) from this account? "
        "Its settings, secrets included, are deleted.",
        yes=yes,
    )
    client.delete_integration(account_id, current.id)
    if rt.out.fmt != "table":
        rt.out.object({"id": current.id, "object": "integration", "deleted": True})
    rt.out.success(f"Removed {kind.id} ({current.id})")
