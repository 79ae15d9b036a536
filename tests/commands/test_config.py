"""`portal config` in-process: reading and writing config.toml by key. Each bad key or value is
one line, exit 2 naming KEY or VALUE, and leaves the file as it was; the user's comments and
layout survive every change."""

from __future__ import annotations

import json
import os
import stat
import tomllib
from pathlib import Path

import pytest

from support.demo import OWNER
from support.harness import assert_one_line_error
from support.inprocess import Portal

KEYS = [
    "host",
    "email",
    "org",
    "account",
    "format",
    "no_color",
    "no_prompt",
    "keyring_timeout",
    "pager",
]
HAND_WRITTEN = """\
# My portal settings
current_profile = "default"

[preferences]
keyring_timeout = 5.0  # the keyring is slow on this laptop

# The EU portal
[profiles.default]
email = "owner@demo.chathq.test"
"""


@pytest.fixture
def hand_written(config_dir: Path) -> Path:
    config_dir.mkdir(parents=True)
    path = config_dir / "config.toml"
    path.write_text(HAND_WRITTEN)
    return path


def test_set_get_unset(portal: Portal, config_dir: Path) -> None:
    result = portal.run("config", "set", "format", "csv")
    assert "Set format to csv" in result.stderr
    portal.run("config", "set", "no_color", "on")
    portal.run("config", "set", "account", "acct_123abc", "--profile", "work")
    assert portal.run("config", "get", "format").stdout == "csv\n"
    assert portal.run("config", "get", "no_color").stdout == "true\n"
    assert portal.run("config", "get", "account").stdout == ""
    assert portal.run("config", "get", "account", "--profile", "work").stdout == "acct_123abc\n"
    portal.run("config", "unset", "format")
    assert portal.run("config", "get", "format").stdout == ""
    path = config_dir / "config.toml"
    assert tomllib.loads(path.read_text()) == {
        "preferences": {"no_color": True},
        "profiles": {"work": {"account": "acct_123abc"}},
    }
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_list_in_every_format(portal: Portal) -> None:
    portal.run("config", "set", "format", "json")
    listed = portal.run("config", "list", "--format", "table").stdout.splitlines()
    data = portal.json("config", "list")
    assert list(data) == KEYS
    assert (data["format"] == "json" and data["host"] == portal.sandbox.url) or data["host"]
    csv = portal.run("config", "list", "--format", "csv").stdout.splitlines()
    assert csv[0] == ",".join(KEYS)
    assert listed[4].split("\t") == ["format", "json"]


def test_list_labels_each_row_with_the_key_that_config_set_takes(portal: Portal) -> None:
    rows = portal.run("config", "list", "--format", "table").stdout.splitlines()
    assert [row.split("\t")[0] for row in rows] == KEYS
    wide = portal.run("config", "list", "--format", "table", tty=True).stdout
    assert "no_color" in wide and "No color" not in wide


def test_path_prints_the_config_file(portal: Portal, config_dir: Path) -> None:
    assert portal.run("config", "path").stdout == f"{config_dir / 'config.toml'}\n"


@pytest.mark.parametrize(
    ("args", "mentions"),
    [
        (("set", "colour", "red"), "KEY"),
        (("set", "token", "pst_abc"), "KEY"),
        (("get", "password"), "KEY"),
        (("unset", "nope"), "KEY"),
        (("set", "format", "xml"), "VALUE"),
        (("set", "host", "http://example.com"), "VALUE"),
        (("set", "keyring_timeout", "soon"), "VALUE"),
        (("set", "account", "acct_\x1b[31m"), "VALUE"),
        (("set", "email", "owner@"), "VALUE"),
        (("set", "org", "acct_123"), "VALUE"),
    ],
)
def test_a_bad_key_or_value_is_one_line_and_changes_nothing(
    portal: Portal, hand_written: Path, args: tuple[str, ...], mentions: str
) -> None:
    result = portal.run("config", *args, exit_code=2)
    line = assert_one_line_error(result, mentions=mentions)
    assert "\x1b" not in result.stderr
    assert args[1] in line
    assert hand_written.read_text() == HAND_WRITTEN


def test_set_keeps_the_comments_and_layout(portal: Portal, hand_written: Path) -> None:
    portal.run("config", "set", "format", "csv")
    portal.run("config", "set", "keyring_timeout", "7")
    portal.run("config", "set", "account", "acct_123abc")
    portal.run("config", "unset", "email")
    assert hand_written.read_text() == (
        "# My portal settings\n"
        'current_profile = "default"\n'
        "\n"
        "[preferences]\n"
        "keyring_timeout = 7.0  # the keyring is slow on this laptop\n"
        'format = "csv"\n'
        "\n"
        "# The EU portal\n"
        "[profiles.default]\n"
        'account = "acct_123abc"\n'
    )


def test_remembering_a_profile_keeps_the_comments(portal: Portal, hand_written: Path) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "use", "Acme Sales")
    text = hand_written.read_text()
    assert text.startswith("# My portal settings\n")
    assert "# the keyring is slow on this laptop\n\n# The EU portal\n" in text
    assert tomllib.loads(text)["profiles"]["default"]["account"].startswith("acct_")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('profiles = "x"\n', "profiles"),
        ('preferences = "dark"\n', "preferences"),
        ("current_profile = 7\n", "current_profile"),
        ('[profiles]\ndefault = "x"\n', "profiles.default"),
    ],
)
def test_a_section_of_the_wrong_type_is_exit_2_naming_key_and_file(
    portal: Portal, config_dir: Path, text: str, key: str
) -> None:
    config_dir.mkdir(parents=True)
    path = config_dir / "config.toml"
    path.write_text(text)
    for args in (("config", "list"), ("config", "set", "format", "json"), ("auth", "list")):
        result = portal.run(*args, exit_code=2)
        line = assert_one_line_error(result, mentions=key)
        assert str(path) in line
    error = json.loads(portal.run("config", "list", "--json", exit_code=2).stderr)["error"]
    assert error["param"] == key
    assert path.read_text() == text


def test_a_config_dir_that_takes_no_files_is_one_line_exit_2(portal: Portal) -> None:
    result = portal.run(
        "config", "set", "format", "json", env={"PORTAL_CONFIG_DIR": "/proc/self"}, exit_code=2
    )
    line = assert_one_line_error(result, mentions="/proc/self/config.toml")
    assert "unexpected" not in line
