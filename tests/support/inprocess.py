"""Run `portal` in this process: `main(argv, Environment)` with StringIO streams.

Most command tests use this (the `portal` fixture): a run costs milliseconds instead of a
Python start-up, against the same real sandbox on loopback that the subprocess tests use.
The subprocess (`cli`), pty and real-keyring layers stay for what only they can show: the
console script, a real terminal, a real Secret Service.
"""

from __future__ import annotations

import io
import traceback
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

import keyring
import pytest

from chathq_cli import output
from chathq_cli.__main__ import main
from chathq_cli.cli import environment
from chathq_cli.output import Env
from support.demo import OWNER, SANDBOX_NOW
from support.harness import LoginByPassword, Result, Sandbox

if TYPE_CHECKING:
    import httpx

KEYRING_SERVICE = "chathq-cli"
# For fault tests: enough attempts to get through 30% faults, and no long waits between them.
FAST_RETRIES = {"PORTAL_RETRY_ATTEMPTS": "10", "PORTAL_RETRY_MAX_DELAY": "0.05"}


class InProcessResult(Result):
    """A Result that also carries the exception the error boundary handled, if any."""

    error: BaseException | None = None

    def describe(self) -> str:
        text = super().describe()
        if self.error is not None:
            trace = "".join(traceback.format_exception(self.error))
            text += f"\n--- exception handled by the boundary ---\n{trace}"
        return text


class Portal(LoginByPassword):
    """`portal.run(*args, exit_code=0, stdin=None, tty=False, columns=100, env=None)`.

    The isolation fixture (tests/conftest.py) has already given this test its own config
    directory, HOME and in-memory keyring; this points PORTAL_HOST at the sandbox.
    """

    def __init__(self, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sandbox = sandbox
        self._monkeypatch = monkeypatch
        monkeypatch.setenv("PORTAL_HOST", sandbox.url)

    def run(
        self,
        *args: str,
        exit_code: int | None = 0,
        stdin: str | None = None,
        tty: bool = False,
        columns: int = 100,
        env: Mapping[str, str | None] | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> InProcessResult:
        """Run `portal *args`; fail the test unless it exits with `exit_code` (None: any).

        tty=True makes stdin, stdout and stderr look like a terminal `columns` wide (prompts
        read their answers from `stdin`). `env` sets (or, with None, removes) variables for
        this run only.
        """
        term = Env(
            stdin=io.StringIO(stdin or ""),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
            stdin_isatty=tty,
            stdout_isatty=tty,
            stderr_isatty=tty,
            columns=columns,
            # The sandbox's clock, for relative dates typed (`--since 7d`) and shown ("3 days ago").
            clock=lambda: datetime.fromisoformat(SANDBOX_NOW),
        )
        with pytest.MonkeyPatch.context() as patch:
            for key, value in (env or {}).items():
                if value is None:
                    patch.delenv(key, raising=False)
                else:
                    patch.setenv(key, value)
            code = main(list(args), environment.Environment(term=term, transport=transport))
        result = InProcessResult(tuple(args), code, _text(term.stdout), _text(term.stderr))
        result.error = environment.current().error
        # This run's streams must not outlive it (a later test's Output would write to them).
        environment.set_current(None)
        output.set_current(None)
        if exit_code is not None and code != exit_code:
            pytest.fail(f"expected exit code {exit_code}\n{result.describe()}", pytrace=False)
        return result

    def sign_in(self, email: str = OWNER, profile: str = "default") -> str:
        """A session token from the API, stored where `portal auth login` keeps it."""
        token = self.sandbox.sign_in(email)
        keyring.set_password(KEYRING_SERVICE, f"{profile}@{self.sandbox.url}", token)
        return token

    def stored_tokens(self) -> list[str]:
        """Every token in this test's keyring."""
        backend: Any = keyring.get_keyring()
        return list(getattr(backend, "passwords", {}).values())

    def json(self, *args: str, **kwargs: Any) -> Any:
        """`portal *args --json`, parsed."""
        return self.run(*args, "--json", **kwargs).json()


def _text(stream: Any) -> str:
    return str(stream.getvalue())
