"""Integration settings as people give them, checked against a schema as plain functions."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from chathq_cli import errors
from chathq_cli.api.integrations import IntegrationType, SettingField
from chathq_cli.commands.integrations import _settings

KIND = IntegrationType(
    id="demo",
    name="Demo",
    description="A type for tests",
    settings_schema=[
        SettingField(name="url", label="URL", type="url", required=True),
        SettingField(name="to", label="E-mail", type="email"),
        SettingField(name="token", label="Token", type="secret", required=True),
        SettingField(name="mode", label="Mode", type="enum", choices=["all", "mentions"]),
        SettingField(name="on", label="On", type="bool"),
        SettingField(name="note", label="Note", type="string"),
    ],
)
FIELDS = {field.name: field for field in KIND.settings_schema}


def test_parse_pairs() -> None:
    assert _settings.parse_pairs(["a=1", " b =x=y", "c="]) == {"a": "1", "b": "x=y", "c": ""}


@pytest.mark.parametrize(
    ("pairs", "says"),
    [
        (["channel"], "with an '='"),
        (["=x"], "needs a KEY"),
        (["a=1", "a=2"], "given twice"),
    ],
)
def test_parse_pairs_refuses_naming_set(pairs: list[str], says: str) -> None:
    with pytest.raises(errors.UsageError) as caught:
        _settings.parse_pairs(pairs)
    assert caught.value.param == "--set"
    assert says in caught.value.message


@pytest.mark.parametrize(
    ("name", "value", "ready"),
    [
        ("on", "yes", True),
        ("on", "OFF", False),
        ("on", True, True),
        ("mode", "ALL", "all"),
        ("note", 42, "42"),
        ("note", "  padded  ", "padded"),
        ("url", "https://hooks.example.com/in", "https://hooks.example.com/in"),
        ("to", "ops@example.com", "ops@example.com"),
    ],
)
def test_value_problem_accepts(name: str, value: Any, ready: Any) -> None:
    assert _settings.value_problem(FIELDS[name], value) == (ready, None)


@pytest.mark.parametrize(
    ("name", "value", "problem"),
    [
        ("on", "maybe", "true or false"),
        ("note", "", "must not be empty"),
        ("note", "x" * (_settings.VALUE_MAX + 1), "at most"),
        ("note", "a\x1bb", "control characters"),
        ("url", "ftp://example.com", "http(s) URL"),
        ("mode", "some", "one of all, mentions"),
        ("note", ["a"], "must be text"),
    ],
)
def test_value_problem_refuses(name: str, value: Any, problem: str) -> None:
    ready, found = _settings.value_problem(FIELDS[name], value)
    assert ready is None and found is not None and problem in found


def test_checked_refuses_unknown_settings_and_secrets_on_the_command_line() -> None:
    with pytest.raises(errors.UsageError) as unknown:
        _settings.checked(KIND, {"nope": "x"}, "--from-file")
    assert unknown.value.param == "--from-file"
    with pytest.raises(errors.UsageError) as secret:
        _settings.checked(KIND, {"token": "s3cret"}, "--set")
    assert secret.value.param == "--set"
    assert "s3cret" not in secret.value.message
    assert _settings.checked(KIND, {"token": "s3cret"}, "--from-file") == {"token": "s3cret"}


def test_read_file_by_extension_and_from_stdin(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text('url = "https://x.test"\n', encoding="utf-8")
    (tmp_path / "s.json").write_text('{"on": true}', encoding="utf-8")
    empty = io.StringIO("")
    assert _settings.read_file(str(tmp_path / "s.toml"), empty) == {"url": "https://x.test"}
    assert _settings.read_file(str(tmp_path / "s.json"), empty) == {"on": True}
    assert _settings.read_file("-", io.StringIO('{"a": 1}')) == {"a": 1}
    assert _settings.read_file("-", io.StringIO('a = "b"')) == {"a": "b"}


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("s.yaml", "a: 1", "must be a .json or .toml file"),
        ("s.json", "[1]", "must hold an object"),
        ("s.json", "{", "not valid JSON"),
        ("s.toml", "= 1", "not valid TOML"),
        ("missing.json", None, "no such file"),
    ],
)
def test_read_file_refuses_naming_from_file(
    tmp_path: Path, name: str, content: str | None, says: str
) -> None:
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    with pytest.raises(errors.UsageError) as caught:
        _settings.read_file(str(tmp_path / name), io.StringIO(""))
    assert caught.value.param == "--from-file"
    assert says in caught.value.message
