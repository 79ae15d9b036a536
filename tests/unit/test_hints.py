"""The hint table at the error boundary: facts raised by client/ and credentials.py, advice here.

Also the in-process path for a token that cannot be used (exit 4, never echoed) and a
PORTAL_TOKEN the server rejects (the hint says to fix or unset it, not to sign in again).
"""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import pytest
import respx
from _output_helpers import fresh_process  # noqa: F401 - fixture

from chathq_cli import __main__ as entry
from chathq_cli import errors
from chathq_cli.cli import boundary
from chathq_cli.cli.hints import HINTS, hint_for
from chathq_cli.state.credentials import CredentialStore

pytestmark = pytest.mark.usefixtures("fresh_process")

HOST = "http://127.0.0.1:8787"
ME_401 = {"error": {"type": "authentication_error", "code": "invalid_token", "message": "bad"}}


def unauthenticated(code: str = "invalid_token", source: str | None = "keyring"):
    return errors.Unauthenticated("bad", status=401, code=code, token_source=source)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (unauthenticated(source="env"), "PORTAL_TOKEN"),
        (unauthenticated(source="keyring"), "portal auth login"),
        (unauthenticated(source="file"), "portal auth login"),
        (unauthenticated(source=None), "portal auth login"),
        (errors.MalformedToken("env", "a line break"), "PORTAL_TOKEN"),
        (errors.MalformedToken("keyring", "a line break"), "portal auth login"),
        (errors.MalformedToken("file", "a space", where="/x"), "portal auth login"),
        (errors.NotSignedIn(HOST), "`portal auth login`"),
        (errors.KeyringUnavailable("locked"), "--insecure-storage"),
        (errors.RateLimited("slow", status=429, retry_after=3), "try again in 3 s"),
        (errors.RateLimited("slow", status=503), "try again in a moment"),
        (errors.ServerError("boom", status=500), "--debug"),
        (errors.NetworkError("could not reach", host=HOST), "portal config get host"),
    ],
    ids=lambda value: type(value).__name__ if isinstance(value, BaseException) else "",
)
def test_hint_for_each_row(exc: errors.PortalError, expected: str) -> None:
    assert expected in (hint_for(exc) or "")


def test_a_rejected_portal_token_does_not_say_sign_in_again() -> None:
    hint = hint_for(unauthenticated(source="env")) or ""
    assert "unset" in hint
    assert "auth login" not in hint


@pytest.mark.parametrize(
    "exc",
    [
        unauthenticated(code="totp_required", source="env"),  # the command asks for the code
        unauthenticated(code="invalid_credentials"),
        errors.MalformedToken(None, "a line break"),  # pasted on stdin: the message says it
        errors.ServerError("unexpected response", status=200),  # not a server failure
        errors.NotFound("no such account", status=404),
        errors.UsageError("bad flag"),
        ValueError("not ours"),
    ],
    ids=repr,
)
def test_no_hint(exc: BaseException) -> None:
    assert hint_for(exc) is None


def test_specific_rows_come_before_the_classes_they_narrow() -> None:
    """First match wins: a class row must not precede a row for one of its subclasses."""
    classes = [
        row.matches
        for row in HINTS
        if isinstance(row.matches, type) and row.code is None and row.command is None
    ]
    for i, earlier in enumerate(classes):
        for later in classes[i + 1 :]:
            assert not issubclass(later, earlier), f"{later.__name__} is shadowed by {earlier}"


def test_the_boundary_adds_the_tables_hint_only_when_the_error_has_none(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert boundary.handle_error(errors.NotSignedIn(HOST)) == errors.ExitCode.AUTH
    assert capsys.readouterr().err == (
        f"error: not signed in to {HOST}\n"
        "hint: sign in with `portal auth login`, or set PORTAL_TOKEN (CI)\n"
    )

    own = errors.NetworkError("could not reach it", hint="is the sandbox running?")
    assert boundary.handle_error(own) == errors.ExitCode.FAILURE
    assert capsys.readouterr().err.endswith("hint: is the sandbox running?\n")


def test_rejected_portal_token_end_to_end(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORTAL_TOKEN", "sk_test_revoked")
    with respx.mock(base_url=HOST) as api:
        api.get("/v1/accounts/acct_1").mock(return_value=httpx.Response(401, json=ME_401))
        code = entry.main(["account", "show", "--account", "acct_1"])
    err = capsys.readouterr().err
    assert code == errors.ExitCode.AUTH
    assert err.startswith("error: bad\nhint: the token comes from PORTAL_TOKEN")
    assert "auth login" not in err


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        ("sk_test_abc\r\nX-Injected: 1", "a line break"),
        ("sk_test_abc\n", "a line break"),
        ("sk_test_\x1b[2Jabc", "a control character"),
        ("sk_test_ümlaut", "a non-ASCII character"),
        ("sk_test_\udcffbytes", "bytes that are not valid UTF-8"),
        ("sk_test abc", "a space"),
    ],
)
def test_malformed_portal_token_is_exit_4_and_never_echoed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], token: str, problem: str
) -> None:
    monkeypatch.setenv("PORTAL_TOKEN", token)
    with respx.mock(base_url=HOST) as api:  # nothing may be sent
        code = entry.main(["account", "show", "--account", "acct_1"])
        assert api.calls.call_count == 0
    captured = capsys.readouterr()
    assert code == errors.ExitCode.AUTH
    assert captured.err.splitlines() == [
        f"error: the token in PORTAL_TOKEN is malformed: it contains {problem}",
        "hint: set PORTAL_TOKEN to the token alone (as `portal auth token` prints it), or unset it",
    ]
    assert "sk_test" not in captured.err + captured.out


@pytest.mark.parametrize("insecure", [False, True], ids=["keyring", "file"])
def test_malformed_stored_token_names_where_it_is_stored(
    capsys: pytest.CaptureFixture[str], config_dir, insecure: bool
) -> None:
    store = CredentialStore(config_dir=config_dir)
    store.set("default", HOST, "pst_stored\r\nX-Injected: 1", insecure=insecure)
    for args in (["account", "show", "--account", "acct_1"], ["auth", "token"]):
        assert entry.main(args) == errors.ExitCode.AUTH
        captured = capsys.readouterr()
        where = str(store.file) if insecure else "the system keyring"
        assert f"error: the token in {where} is malformed: it contains a line break" in captured.err
        assert "hint: replace it: sign in again with `portal auth login`" in captured.err
        assert "pst_stored" not in captured.err + captured.out


def test_logout_removes_a_malformed_stored_token(
    capsys: pytest.CaptureFixture[str], config_dir
) -> None:
    store = CredentialStore(config_dir=config_dir)
    store.set("default", HOST, "pst_stored\nbroken")
    assert entry.main(["auth", "logout"]) == 0
    assert store.get("default", HOST) is None
    assert "pst_stored" not in capsys.readouterr().err


def test_a_command_row_applies_to_that_command_and_below_only() -> None:
    from chathq_cli.cli.hints import Hint

    row = Hint(errors.Conflict, "make someone an owner", code="last_owner", command="team")
    last_owner = errors.Conflict("last owner", status=409, code="last_owner")
    assert row.applies(last_owner, "team remove")
    assert row.applies(last_owner, "team")
    assert not row.applies(last_owner, "teams")
    assert not row.applies(last_owner, "account close")
    assert not row.applies(errors.Conflict("other", status=409, code="other"), "team remove")


def test_explain_rewords_and_hints_from_the_row(monkeypatch: pytest.MonkeyPatch) -> None:
    from chathq_cli.cli import hints

    row = hints.Hint(
        errors.Conflict,
        "portal team set-role MEMBER owner",
        code="last_owner",
        command="team remove",
        message="cannot remove: {message}",
    )
    monkeypatch.setattr(hints, "HINTS", (row, *hints.GENERAL))
    exc = errors.Conflict("they are the last owner", status=409, code="last_owner")
    hints.explain(exc, "team remove")
    assert (str(exc), exc.hint) == (
        "cannot remove: they are the last owner",
        "portal team set-role MEMBER owner",
    )
    own = errors.Conflict("x", status=409, code="last_owner", hint="the raiser's own")
    hints.explain(own, "team remove")
    assert own.hint == "the raiser's own"


def test_the_frame_tells_the_boundary_which_command_ran(
    portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chathq_cli.cli import hints
    from support.demo import OWNER

    only_show = hints.Hint(errors.NotFound, "from the org show row", command="org show")
    monkeypatch.setattr(hints, "HINTS", (only_show, *hints.GENERAL))
    portal.sign_in(OWNER)
    shown = portal.run("org", "show", "--org", "org_0000000000000000", exit_code=6)
    assert shown.stderr.splitlines()[-1] == "hint: from the org show row"
    other = portal.run("org", "update", "--name", "X", "--org", "org_0000000000000000", exit_code=6)
    assert "from the org show row" not in other.stderr


# Per-command advice lives in the table (cli/hints.py), not in the command modules: a command
# raises facts, the boundary words the next step. Context managers that are no error wrappers
# are listed here with the reason they stay.
COMMANDS = Path(__file__).resolve().parents[2] / "src" / "chathq_cli" / "commands"
NOT_ERROR_WRAPPERS = {
    # Fetches the next page of usage records on a thread while the current one is written.
    "usage/listing.py:_prefetched",
}


def _rewording_in(path: Path, root: Path = COMMANDS) -> list[str]:
    found = []
    where = path.relative_to(root).as_posix()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr in ("hint", "message", "param"):
                found.append(f"{where}:{node.lineno} assigns .{target.attr}")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            decorators = [ast.unparse(d) for d in node.decorator_list]
            wrapper = any(d.endswith("contextmanager") for d in decorators)
            if wrapper and f"{where}:{node.name}" not in NOT_ERROR_WRAPPERS:
                found.append(f"{where}:{node.lineno} @contextmanager {node.name}")
    return found


def test_no_command_module_rewords_errors_or_sets_hints() -> None:
    offenders = [line for path in sorted(COMMANDS.rglob("*.py")) for line in _rewording_in(path)]
    assert offenders == []


def test_the_scan_finds_a_rewording_wrapper(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from contextlib import contextmanager\n"
        "@contextmanager\n"
        "def explained():\n"
        "    try:\n"
        "        yield\n"
        "    except Exception as exc:\n"
        "        exc.hint = 'x'\n"
        "        raise\n",
        encoding="utf-8",
    )
    assert _rewording_in(probe, tmp_path) == [
        "probe.py:3 @contextmanager explained",
        "probe.py:7 assigns .hint",
    ]


def _api(cls: type[errors.ApiError], code: str, status: int) -> errors.ApiError:
    return cls("refused", status=status, code=code)


@pytest.mark.parametrize(
    ("command", "exc", "expected"),
    [
        ("billing invoices", _api(errors.PermissionDenied, "insufficient_role", 403), "owner role"),
        ("secrets list", _api(errors.NotFound, "resource_missing", 404), "portal secrets list"),
        ("account show", _api(errors.NotFound, "resource_missing", 404), "may be closed"),
        ("account use", _api(errors.NotFound, "account_name_unknown", 404), "--all-orgs"),
        ("account list", _api(errors.NotFound, "resource_missing", 404), None),
        ("me profile", _api(errors.PermissionDenied, "api_key_not_allowed", 403), "sign-in"),
        ("me 2fa enable", _api(errors.PermissionDenied, "x", 403), "two-factor settings"),
        ("me delete", _api(errors.Conflict, "sole_owner", 409), "team set-role"),
        ("team link revoke", _api(errors.NotFound, "resource_missing", 404), "team link list"),
    ],
)
def test_a_command_row_gives_its_advice(
    command: str, exc: errors.ApiError, expected: str | None
) -> None:
    from chathq_cli.cli.hints import explain

    explain(exc, command, {})
    assert exc.hint == expected or (expected is not None and expected in (exc.hint or ""))


def test_a_row_rewords_with_the_arguments_and_names_the_param() -> None:
    from chathq_cli.cli.hints import explain

    conflict = errors.Conflict("it is expired, not pending", status=409, code="x")
    explain(conflict, "team invitations revoke", {"ID": "inv_1"})
    assert str(conflict) == "cannot revoke invitation inv_1: it is expired, not pending"
    key = errors.PermissionDenied("forbidden", status=403, code="api_key_not_allowed")
    explain(key, "secrets add", {})
    assert str(key) == "an API key cannot manage API keys; sign in as a person"
    code = errors.InvalidRequest("bad code", status=400, code="invalid_code", param="code")
    explain(code, "me email confirm", {})
    assert (code.param, "expire" in (code.hint or "")) == ("CODE", True)
