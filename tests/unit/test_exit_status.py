"""One test per exit code: each error class raised by a throw-away command, through the boundary."""

from __future__ import annotations

from typing import Annotated

import pytest
import typer
from _output_helpers import fresh_process  # noqa: F401 - fixture

from chathq_cli import ISSUES_URL, errors
from chathq_cli.cli.boundary import run
from chathq_cli.errors import ExitCode

pytestmark = pytest.mark.usefixtures("fresh_process")


def app_raising(exc: BaseException | None) -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False, rich_markup_mode=None)

    @app.callback()
    def root() -> None:
        """Throw-away root."""

    @app.command()
    def boom(limit: Annotated[int, typer.Option("--limit")] = 1) -> None:
        if exc is not None:
            raise exc

    return app


def exit_code_of(exc: BaseException | None, *args: str) -> int:
    return run(app_raising(exc), ["boom", *args])


def api(cls: type[errors.ApiError], status: int) -> errors.ApiError:
    return cls(f"status {status}", status=status, request_id="req_1")


def test_ok(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code_of(None) == ExitCode.OK == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "exc",
    [
        api(errors.ServerError, 500),
        errors.NetworkError("could not reach http://127.0.0.1:1", hint="is the sandbox running?"),
        errors.PortalError("generic failure"),
    ],
    ids=["server-500", "network", "generic"],
)
def test_failure(exc: errors.PortalError, capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code_of(exc) == ExitCode.FAILURE == 1
    assert capsys.readouterr().err.startswith(f"error: {exc.message}\n")


def test_failure_for_an_unexpected_exception(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code_of(ZeroDivisionError("division by zero")) == ExitCode.FAILURE
    assert capsys.readouterr().err == (
        "error: unexpected error: ZeroDivisionError: division by zero\n"
        "hint: run the command again with --debug to see the traceback, and report it at "
        f"{ISSUES_URL}\n"
    )


@pytest.mark.parametrize(
    "exc",
    [errors.UsageError("bad name", param="name"), api(errors.InvalidRequest, 422)],
    ids=["cli-usage", "api-422"],
)
def test_usage(exc: errors.PortalError, capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code_of(exc) == ExitCode.USAGE == 2
    assert capsys.readouterr().err == f"error: {exc.message}\n"


def test_usage_for_a_bad_flag_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code_of(None, "--limit", "many") == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.startswith("error: Invalid value for '--limit': ")
    assert err.endswith("\nhint: portal boom --help\n")
    assert err.count("\n") == 2  # one error line, one hint line: no usage block, no panel


def test_cancelled(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        exit_code_of(errors.Cancelled("cancelled; nothing was changed")) == ExitCode.CANCELLED == 3
    )
    assert capsys.readouterr().err == "error: cancelled; nothing was changed\n"


@pytest.mark.parametrize(
    "exc",
    [
        errors.AuthRequired("not signed in to http://127.0.0.1:8787", hint="portal auth login"),
        errors.KeyringUnavailable("the system keyring is not usable"),
        api(errors.Unauthenticated, 401),
    ],
    ids=["not-signed-in", "keyring", "api-401"],
)
def test_auth(exc: errors.PortalError) -> None:
    assert exit_code_of(exc) == ExitCode.AUTH == 4


def test_permission() -> None:
    assert exit_code_of(api(errors.PermissionDenied, 403)) == ExitCode.PERMISSION == 5


def test_not_found() -> None:
    assert exit_code_of(api(errors.NotFound, 404)) == ExitCode.NOT_FOUND == 6


def test_conflict() -> None:
    assert exit_code_of(api(errors.Conflict, 409)) == ExitCode.CONFLICT == 7


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limited_or_unavailable(status: int) -> None:
    exc = api(errors.api_error_class(status), status)
    assert exit_code_of(exc) == ExitCode.RATE_LIMITED == 8


@pytest.mark.parametrize("exc", [KeyboardInterrupt(), typer.Abort()], ids=["ctrl-c", "abort"])
def test_interrupted(exc: BaseException, capsys: pytest.CaptureFixture[str]) -> None:
    assert exit_code_of(exc) == ExitCode.INTERRUPTED == 130
    assert "Traceback" not in capsys.readouterr().err


def test_conflict_of_a_plan() -> None:
    assert exit_code_of(errors.PlanConflict("state changed")) == ExitCode.CONFLICT == 7


def test_changes_pending_is_a_code_without_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    # `portal plan` ends so when there is a difference: a signal for CI, not a failure.
    assert exit_code_of(typer.Exit(ExitCode.CHANGES_PENDING)) == ExitCode.CHANGES_PENDING == 9
    assert capsys.readouterr().err == ""


def test_typer_exit_keeps_its_code() -> None:
    assert exit_code_of(typer.Exit(3)) == 3


def test_every_exit_code_has_a_test() -> None:
    tested = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 130}
    assert {int(code) for code in ExitCode} == tested
