"""Helpers for the output and boundary tests: an Env on StringIO streams, a reset fixture."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pytest

from chathq_cli import output
from chathq_cli.cli import environment
from chathq_cli.cli import runtime as _runtime
from chathq_cli.output import Column, Env, Output


def make_env(
    *,
    stdin: str = "",
    stdin_isatty: bool = False,
    stdout_isatty: bool = False,
    stderr_isatty: bool = False,
    columns: int | None = 100,
) -> Env:
    return Env(
        stdin=io.StringIO(stdin),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdin_isatty=stdin_isatty,
        stdout_isatty=stdout_isatty,
        stderr_isatty=stderr_isatty,
        columns=columns,
    )


def make_output(*, env: Env | None = None, **kwargs: Any) -> tuple[Output, Env]:
    env = env or make_env()
    return Output(env=env, **kwargs), env


def stdout_of(env: Env) -> str:
    assert isinstance(env.stdout, io.StringIO)
    return env.stdout.getvalue()


def stderr_of(env: Env) -> str:
    assert isinstance(env.stderr, io.StringIO)
    return env.stderr.getvalue()


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Per-process state of the CLI (the current Output, the root flags) starts empty."""
    monkeypatch.setattr(output, "_current", None)
    monkeypatch.setattr(environment, "_current", environment.Environment())
    monkeypatch.setattr(_runtime, "global_flags", _runtime.GlobalFlags())
    yield


# Sample tables shared by the layout and column tests.
ACCT = "acct_" + "7Kq2mZ9xWb4RtY1pLs0N"  # IDs are a prefix and 20 characters
ORG = "org_" + "Hc3Vn8Qd2Jf6Uy0TgA5e"
SGR = re.compile(r"\x1b\[[0-9;]*m")  # a colour or style escape sequence
ACCOUNT_ROW = {
    "id": ACCT,
    "name": "Acme Production Messaging (EMEA customer support and sales)",
    "org_id": ORG,
    "plan": "transact",
    "role": "owner",
    "status": "active",
    "created_at": "2026-11-15T12:00:00Z",
}
PLAN_COLUMNS = [
    Column("id", "ID"),
    Column("name", "Name"),
    Column("price.amount", "Price per month", "money"),
    Column("message_limit", "Messages per month", "int"),
    Column("bot_limit", "Bots", "int"),
    Column("features", "Features"),
]
PLAN_ROWS = [
    {
        "id": "transact",
        "name": "Transact",
        "price": {"amount": "1499.00", "currency": "usd"},
        "message_limit": 1_000_000,
        "bot_limit": 50,
        "features": ["shared inbox", "AI agents", "payments", "webhooks", "priority support"],
    }
]
