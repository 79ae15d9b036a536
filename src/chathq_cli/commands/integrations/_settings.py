"""Settings as people give them (--set KEY=VALUE, --from-file FILE), checked against a type's
settings_schema with the same rules as the server, before anything is sent."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import IO, TYPE_CHECKING, Any

from chathq_cli.api import rules

if TYPE_CHECKING:
    from chathq_cli.api.integrations import IntegrationType, SettingField

VALUE_MAX = rules.SETTING_VALUE_MAX
FILE_MAX = 1024 * 1024
_TRUE = ("true", "yes", "y", "on", "1")
_FALSE = ("false", "no", "n", "off", "0")


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
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


def read_file(path: str, stdin: IO[str]) -> dict[str, Any]:
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


def value_problem(field: SettingField, value: Any) -> tuple[Any, str | None]:
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


def checked(kind: IntegrationType, values: Mapping[str, Any], source: str) -> dict[str, Any]:
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
        ready, problem = value_problem(field, value)
        if problem:
            got = "" if field.type == "secret" or not isinstance(value, str) else shown(value)
            raise errors.UsageError(
                f"{source} {key}: {problem}" + (f" (got {got})" if got else ""), param=source
            )
        clean[key] = ready
    return clean
