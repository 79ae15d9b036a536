"""`--no-input` on every command (and right after `portal`), like PORTAL_NO_PROMPT=1: a command
that would ask fails with exit 2 naming the flag to pass, even at a terminal."""

from __future__ import annotations

import json

import pytest

from support.demo import OWNER


@pytest.mark.parametrize(
    "args",
    [
        ["secrets", "revoke", "CI deploy", "--no-input"],
        ["--no-input", "secrets", "revoke", "CI deploy"],
    ],
    ids=" ".join,
)
def test_no_input_refuses_to_ask_at_a_terminal(portal, args) -> None:
    portal.sign_in(OWNER)
    before = portal.run("secrets", "list", "--json").json()
    result = portal.run(*args, "--json", tty=True, exit_code=2)
    assert json.loads(result.stderr)["error"]["param"] == "--yes"
    assert portal.run("secrets", "list", "--json").json() == before


def test_every_command_takes_no_input() -> None:
    from typer.main import get_command

    from chathq_cli.cli.app import create_app

    def leaves(command, path=()):
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            yield path, command
            return
        for name, sub in subcommands.items():
            yield from leaves(sub, (*path, name))

    missing = [
        " ".join(path)
        for path, command in leaves(get_command(create_app()))
        if not any("--no-input" in p.opts for p in command.params)
    ]
    # The server in the foreground, help and the version: they ask nothing, read no profile.
    assert missing == ["help", "version", "sandbox serve"]


def test_one_meaning_per_flag_name() -> None:
    """--host is the portal API's URL and --now means "at once", wherever they appear."""
    from typer.main import get_command

    from chathq_cli.cli.app import create_app

    def commands(command, path=()):
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            yield path, command
            return
        for name, sub in subcommands.items():
            yield from commands(sub, (*path, name))

    helps: dict[str, set[str]] = {}
    for _, command in commands(get_command(create_app())):
        for param in command.params:
            for flag in ("--host", "--now"):
                if flag in getattr(param, "opts", ()):
                    helps.setdefault(flag, set()).add(param.help or "")
    assert helps["--host"] == {"Portal API URL. Env: PORTAL_HOST."}
    assert len(helps["--now"]) == 1
