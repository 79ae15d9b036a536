"""`portal api`'s fields and headers as people type them, like `gh api`.

`-f KEY=VALUE` adds a string, `-F KEY=VALUE` a typed value (true/false/null, numbers, @FILE);
`a[b]=v` nests and `a[]=v` appends. `-H 'Name: value'` adds a header. Everything is checked
here, before any request, naming the flag.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from chathq_cli import errors

_KEY = re.compile(r"^([^\[\]=]+)((?:\[[^\[\]]*\])*)$")
_BRACKET = re.compile(r"\[([^\[\]]*)\]")


def split_field(raw: str, flag: str) -> tuple[list[str], str]:
    """`a[b][]=v` -> (["a", "b", ""], "v"); an empty part means "append to a list"."""
    key, sep, value = raw.partition("=")
    match = _KEY.match(key.strip())
    if not sep or not match:
        raise errors.UsageError(f"{flag} expects KEY=VALUE, got {raw!r}", param=flag)
    parts = [match.group(1), *_BRACKET.findall(match.group(2))]
    if "" in parts[:-1]:
        raise errors.UsageError(f"{flag}: '[]' may only end a key, got {key!r}", param=flag)
    return parts, value


def typed_value(value: str, read_stdin: Callable[[], str]) -> Any:
    """Like `gh api -F`: true/false/null and numbers become JSON values; @file reads a file."""
    if value in ("true", "false"):
        return value == "true"
    if value == "null":
        return None
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    if re.fullmatch(r"-?\d+\.\d+", value):
        return float(value)
    if value.startswith("@"):
        source = value[1:]
        if source == "-":
            return read_stdin()
        try:
            with open(source, encoding="utf-8") as handle:
                return handle.read()
        except UnicodeDecodeError:
            # Not the boundary's "standard input is not valid UTF-8": the file is named here.
            raise errors.UsageError(
                f"-F: {shown_path(source)} is not UTF-8 text", param="-F"
            ) from None
        except OSError as exc:
            raise errors.UsageError(
                f"-F: cannot read {shown_path(source)}: {exc.strerror}", param="-F"
            ) from exc
    return value


def shown_path(path: str, limit: int = 80) -> str:
    """A file name quoted for a message, escaped so that it prints as one line of text.

    Bytes that are not UTF-8 reach Python as lone surrogates (PEP 383); they show as `\\xff`,
    the byte itself, and control characters as their escapes. A long path keeps its end, where
    the file's own name is.
    """

    def escaped(text: str) -> str:
        chars = []
        for char in text:
            if "\udc80" <= char <= "\udcff":
                chars.append(f"\\x{ord(char) - 0xDC00:02x}")
            elif not char.isprintable():
                chars.append(repr(char)[1:-1])
            else:
                chars.append(char)
        return "".join(chars)

    if len(path) <= limit:
        return f"'{escaped(path)}'"
    return f"'{escaped(path[:20])}…{escaped(path[20 - limit :])}'"


def _assign(body: dict[str, Any], parts: list[str], value: Any, flag: str) -> None:
    target: Any = body
    for part in parts[:-1]:
        target = target.setdefault(part, {})
        if not isinstance(target, dict):
            raise errors.UsageError(f"{flag}: {part!r} is both a value and an object", param=flag)
    target[parts[-1]] = value


def build_fields(
    raw_fields: list[str], typed_fields: list[str], read_stdin: Callable[[], str]
) -> dict[str, Any]:
    """Merge -f (strings) and -F (typed) into one JSON object, supporting `a[b]` and `a[]`."""
    body: dict[str, Any] = {}
    pairs = [("-f", raw, False) for raw in raw_fields] + [("-F", raw, True) for raw in typed_fields]
    for flag, raw, typed in pairs:
        parts, text = split_field(raw, flag)
        value = typed_value(text, read_stdin) if typed else text
        if parts[-1] == "":
            parent: Any = body
            for part in parts[:-2]:
                parent = parent.setdefault(part, {})
            existing = parent.setdefault(parts[-2], []) if isinstance(parent, dict) else None
            if not isinstance(existing, list):
                raise errors.UsageError(f"{flag}: {parts[-2]!r} is not a list", param=flag)
            existing.append(value)
        else:
            _assign(body, parts, value, flag)
    return body


def field_flags(raw_fields: list[str], typed_fields: list[str]) -> dict[str, str]:
    """Each top-level key and the flag that first gave it (-f or -F), to name it in errors."""
    flags: dict[str, str] = {}
    for flag, raws in (("-f", raw_fields), ("-F", typed_fields)):
        for raw in raws:
            flags.setdefault(split_field(raw, flag)[0][0], flag)
    return flags


def as_params(fields: dict[str, Any], flags: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Query parameters from fields: lists repeat the key (`unit=sms&unit=calls`).

    `flags` (from field_flags) says which flag gave each key, for the error on a nested one.
    """

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)

    params: list[tuple[str, str]] = []
    for key, value in fields.items():
        if isinstance(value, dict):
            flag = (flags or {}).get(key, "-f")
            raise errors.UsageError(
                f"{flag}: {key!r} is an object; query parameters must be flat", param=flag
            )
        for item in value if isinstance(value, list) else [value]:
            params.append((key, text(item)))
    return params


def parse_headers(raw_headers: list[str]) -> dict[str, str]:
    """`-H 'Name: value'` headers by name; a malformed or unsafe one is a UsageError."""
    headers: dict[str, str] = {}
    for raw in raw_headers:
        name, sep, value = raw.partition(":")
        if not sep or not name.strip() or any(ch.isspace() for ch in name.strip()):
            raise errors.UsageError(f"-H expects 'Name: value', got {raw!r}", param="-H")
        # A CR/LF would split the header into two (header injection); other controls and
        # non-ASCII are not valid in a header field either (RFC 9110 5.5).
        if any(not 0x20 <= ord(ch) < 0x7F for ch in name + value.strip() if ch != "\t"):
            raise errors.UsageError(
                f"-H {name.strip()!r}: headers may hold printable ASCII only "
                "(no line breaks or control characters)",
                param="-H",
            )
        headers[name.strip()] = value.strip()
    return headers
