"""`portal help [COMMAND]...`, the help topics, `portal version`, and what every --help offers."""

from __future__ import annotations

import pytest

from chathq_cli import ISSUES_URL, __version__
from chathq_cli.cli.app import GROUPS, REGISTERED_BY, ROOT_LEVEL, SINGLE
from support.inprocess import Portal


def flag_help(portal: Portal, capsys: pytest.CaptureFixture[str], *words: str) -> str:
    """`portal WORDS... --help`: Click echoes help to the process's stdout, not the harness's."""
    capsys.readouterr()
    portal.run(*words, "--help")
    return capsys.readouterr().out


@pytest.mark.parametrize(
    "words",
    [(), ("team",), ("team", "link", "create"), ("api",), ("help",), ("usage",)],
    ids=lambda words: " ".join(words) or "root",
)
def test_help_command_prints_what_help_flag_prints(
    portal: Portal, capsys: pytest.CaptureFixture[str], words: tuple[str, ...]
) -> None:
    by_command = portal.run("help", *words).stdout
    by_flag = flag_help(portal, capsys, *words)
    assert by_command == by_flag
    assert by_command.startswith(f"Usage: {' '.join(['portal', *words])}")


def test_help_of_an_unknown_command_is_a_usage_error_with_a_suggestion(portal: Portal) -> None:
    result = portal.run("help", "team", "lnk", exit_code=2)
    assert result.stdout == ""
    assert result.stderr == (
        "error: No such command 'lnk'. Did you mean 'link'?\nhint: portal team --help\n"
    )


def test_help_past_a_leaf_command_is_a_usage_error(portal: Portal) -> None:
    result = portal.run("help", "account", "list", "extra", exit_code=2)
    assert result.stderr.splitlines()[0] == "error: portal account list has no subcommand 'extra'"


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("environment", "PORTAL_RETRY_TOTAL_TIMEOUT"),
        ("exit-codes", "  130  interrupted"),
        ("formatting", "--jq EXPR"),
    ],
)
def test_topics(portal: Portal, topic: str, expected: str) -> None:
    result = portal.run("help", topic)
    assert expected in result.stdout
    assert result.stderr == ""


def test_config_help_names_every_key_of_config_toml(
    portal: Portal, capsys: pytest.CaptureFixture[str]
) -> None:
    from chathq_cli.state.config_file import CONFIG_KEYS

    text = portal.run("help", "config").stdout
    assert text == flag_help(portal, capsys, "config")
    listed = {line.split()[0] for line in text.splitlines() if line.startswith("    ")}
    assert {*CONFIG_KEYS, "current_profile"} <= listed


def test_version_command_is_the_version_flag(portal: Portal) -> None:
    assert portal.run("version").stdout == portal.run("--debug", "--version").stdout
    assert portal.run("version").stdout == f"portal {__version__}\n"


WORDS = [g for g in GROUPS if g not in SINGLE and g not in ROOT_LEVEL]
WORDS += [word for word, module in REGISTERED_BY.items() if module in ROOT_LEVEL]


@pytest.mark.parametrize("word", WORDS)
def test_every_group_help_has_examples(portal: Portal, word: str) -> None:
    text = portal.run("help", word).stdout
    examples = text.partition("Examples:\n")[2].splitlines()
    assert examples and examples[0].strip().startswith(f"portal {word}"), text


def test_root_help_says_where_to_learn_more_and_report_bugs(portal: Portal) -> None:
    text = portal.run("help").stdout
    for topic in ("environment", "exit-codes", "formatting", "config"):
        assert f"portal help {topic}" in text
    assert "docs/reference.md" in text
    assert text.rstrip().endswith(f"Report a bug: {ISSUES_URL}")
