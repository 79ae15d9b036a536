"""The command frame: every command is registered and framed, and the shared flags behave alike.

These run `portal` in-process (the `portal` fixture) against the real sandbox.
"""

from __future__ import annotations

import inspect
import json
import pkgutil
from typing import Any

import pytest

import chathq_cli.commands
from chathq_cli.cli import app as app_module
from support.demo import OWNER
from support.inprocess import Portal

# Commands that need no Runtime: they talk to no portal and read no profile.
UNFRAMED = {("sandbox", "serve"), ("help",)}


def _command_modules() -> set[str]:
    return {
        info.name
        for info in pkgutil.iter_modules(chathq_cli.commands.__path__)
        if not info.name.startswith("_")
    }


def test_every_module_in_commands_is_registered() -> None:
    assert _command_modules() == set(app_module.GROUPS)


def _leaf_commands() -> list[tuple[tuple[str, ...], Any]]:
    import typer.main

    root = typer.main.get_command(app_module.create_app())
    found: list[tuple[tuple[str, ...], Any]] = []

    def walk(path: tuple[str, ...], command: Any) -> None:
        subcommands = getattr(command, "commands", None)
        if path and command.callback is not None and getattr(command, "params", None):
            found.append((path, command))
        for name, sub in (subcommands or {}).items():
            walk((*path, name), sub)

    walk((), root)
    return found


@pytest.mark.parametrize(
    ("path", "command"), _leaf_commands(), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_goes_through_the_frame(path: tuple[str, ...], command: Any) -> None:
    if path in UNFRAMED:
        pytest.skip("runs no Runtime by design")
    options = {opt for param in command.params for opt in getattr(param, "opts", [])}
    assert {"--debug", "--no-color"} <= options, path
    # Framed callbacks wrap the command's own function (functools.wraps).
    own = inspect.signature(inspect.unwrap(command.callback)).parameters
    assert next(iter(own)) == "rt", f"{path}: the frame hands the Runtime as first parameter"
    # A data command has all three output flags or, like `portal api`, only --jq.
    assert {"--format", "--json"} <= options or "--format" not in options, path


def test_shared_flags_work_after_the_command(portal: Portal) -> None:
    portal.sign_in()
    shown = portal.run("account", "show", "--json", "--debug", "--no-color")
    assert json.loads(shown.stdout)["object"] == "account"
    assert "> GET http://" in shown.stderr  # --debug logs requests on stderr


def test_json_contradicting_format_is_a_usage_error(portal: Portal) -> None:
    portal.sign_in()
    result = portal.run("account", "list", "--json", "--format", "csv", exit_code=2)
    assert result.stdout == ""
    assert result.stderr.startswith("error: --json contradicts --format csv")


def test_jq_contradicting_format_is_a_usage_error(portal: Portal) -> None:
    result = portal.run("org", "list", "--jq", ".[]", "--format", "table", exit_code=2)
    assert "--jq" in result.stderr


def test_portal_format_env_yields_to_a_flag(portal: Portal) -> None:
    portal.sign_in()
    piped = portal.run("org", "list", "--format", "table", env={"PORTAL_FORMAT": "json"})
    assert piped.stdout.splitlines()[0].split("\t")[:2] == ["ID", "Name"]
    as_json = portal.run("org", "list", env={"PORTAL_FORMAT": "json"})
    assert isinstance(json.loads(as_json.stdout), list)


def test_errors_are_json_when_json_was_asked_for(portal: Portal) -> None:
    result = portal.run("account", "show", "--json", exit_code=4)
    error = json.loads(result.stderr)["error"]
    assert error["type"] == "authentication_error" or error["code"]


def test_a_group_callback_does_not_run_before_its_subcommand(portal: Portal) -> None:
    # `portal usage prices` must not run `portal usage`'s body (which needs an account).
    portal.sign_in()
    portal.run("config", "set", "account", "acct_doesnotexist0000000")
    prices = portal.json("usage", "prices")
    assert {p["unit"] for p in prices} == {"sms", "calls", "chat", "numbers"}


def test_in_process_runs_do_not_leak_into_each_other(portal: Portal) -> None:
    portal.sign_in(OWNER)
    portal.run("account", "show", "--json")
    plain = portal.run("org", "list")  # no --json: the previous run's format is gone
    assert not plain.stdout.startswith("[")
