"""The entry point: --version and --help fast paths, one-line usage errors, the error formats,
and the runtime that sets up each command's Output."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace

import pytest
import typer
from _output_helpers import fresh_process  # noqa: F401 - fixture

from chathq_cli import ISSUES_URL, __version__, errors, output
from chathq_cli import __main__ as entry
from chathq_cli.cli import boundary, environment
from chathq_cli.cli import runtime as _runtime
from chathq_cli.cli.frame import DebugOpt, FormatOpt, JqOpt, JsonOpt
from chathq_cli.cli.hints import hint_for

pytestmark = pytest.mark.usefixtures("fresh_process")


def portal(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = entry.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- fast paths --------------------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(capsys: pytest.CaptureFixture[str], flag: str) -> None:
    assert portal(capsys, flag) == (0, f"portal {__version__}\n", "")


def test_version_after_a_global_flag_goes_through_typer(capsys: pytest.CaptureFixture[str]) -> None:
    assert portal(capsys, "--debug", "--version") == (0, f"portal {__version__}\n", "")


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["account", "--help"],
        ["account", "show", "-h"],
        ["--debug", "--profile", "work", "--no-color", "org", "--help"],
        ["usage", "prices", "--help"],
    ],
    ids=" ".join,
)
def test_help_fast_path_prints_what_typer_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    fast = portal(capsys, *args)
    monkeypatch.setattr(boundary, "_help_fast_path", lambda app, args: None)
    slow = portal(capsys, *args)
    assert fast == slow
    assert fast[0] == 0
    assert fast[1].startswith("Usage: portal")


def test_help_fast_path_leaves_anything_unusual_to_the_parser() -> None:
    from chathq_cli.cli.app import app

    assert boundary._help_fast_path(app, ["account", "--json", "--help"]) is None
    assert boundary._help_fast_path(app, ["acount", "--help"]) is None
    assert boundary._help_fast_path(app, ["account", "show"]) is None


@pytest.mark.parametrize("args", [[], ["account"]], ids=["portal", "portal account"])
def test_no_arguments_shows_help_and_succeeds(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    code, out, err = portal(capsys, *args)
    assert code == 0
    assert out.startswith(f"Usage: portal {' '.join(args)}".rstrip() + " [OPTIONS] COMMAND")
    assert err == ""


# -- usage errors from the parser ---------------------------------------------------------------


def test_bad_choice_is_one_line_naming_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = portal(capsys, "account", "show", "--format", "xml")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: Invalid value for '--format'")
    assert "'xml' is not one of 'table', 'json', 'csv'" in lines[0]
    assert lines[1] == "hint: portal account show --help"


def test_bad_choice_in_json_mode_is_a_json_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = portal(capsys, "account", "show", "--json", "--format", "xml")
    assert code == 2
    assert out == ""
    body = json.loads(err)
    assert body["error"]["type"] == "usage_error"
    assert body["error"]["param"] == "--format"
    assert "'xml'" in body["error"]["message"]


def test_json_errors_also_follow_portal_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_FORMAT", "json")
    code, _, err = portal(capsys, "account", "show", "--no-such-flag")
    assert code == 2
    assert json.loads(err)["error"]["type"] == "usage_error"


def test_unknown_command_suggests_the_right_one(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = portal(capsys, "acount", "list")
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: No such command 'acount'. Did you mean 'account'")
    assert lines[1] == "hint: portal --help"


def test_unknown_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = portal(capsys, "account", "list", "--jsn")
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: No such option: --jsn")
    assert lines[1] == "hint: portal account list --help"


# -- the boundary on a throw-away app -------------------------------------------------------------


def throwaway(exc: BaseException) -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False, rich_markup_mode=None)

    @app.callback()
    def root() -> None:
        """Root."""

    @app.command()
    def boom(debug: DebugOpt = False) -> None:
        raise exc

    return app


def test_unexpected_error_has_no_traceback_without_debug(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert boundary.run(throwaway(RuntimeError("kaput")), ["boom"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("error: unexpected error: RuntimeError: kaput\n")


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    args = ["boom", "--debug"] if how == "flag" else ["boom"]
    if how == "env":
        monkeypatch.setenv("PORTAL_DEBUG", "1")
        environment.set_current(None)  # a new invocation reads the environment afresh
    assert boundary.run(throwaway(RuntimeError("kaput")), args) == 1
    err = capsys.readouterr().err
    assert err.startswith("Traceback (most recent call last):")
    assert "raise exc" in err
    # No "run again with --debug" hint: where to report the bug instead.
    assert err.endswith(
        f"error: unexpected error: RuntimeError: kaput\nhint: please report this at {ISSUES_URL}\n"
    )


def test_a_command_raising_bad_parameter_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert boundary.run(throwaway(typer.BadParameter("must be positive")), ["boom"]) == 2
    assert (
        capsys.readouterr().err
        == "error: Invalid value: must be positive\nhint: portal boom --help\n"
    )


def test_broken_pipe_is_quiet(capsys: pytest.CaptureFixture[str]) -> None:
    assert boundary.run(throwaway(BrokenPipeError()), ["boom"]) == 0
    assert capsys.readouterr().err == ""


def test_an_app_that_fails_to_import_is_reported(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "chathq_cli.cli.app", None)  # makes the import fail
    code, out, err = portal(capsys, "account", "list")
    assert code == 1
    assert out == ""
    assert err.startswith("error: unexpected error: ModuleNotFoundError: ")


def test_system_exit_is_not_swallowed() -> None:
    with pytest.raises(SystemExit):
        boundary.handle_error(SystemExit(5))


# -- runtime(): the command's Output -------------------------------------------------------------


def formatted_app() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False, rich_markup_mode=None)

    @app.callback()
    def root(debug: DebugOpt = False) -> None:
        _runtime.set_global_flags(debug=debug, profile=None, no_color=False)

    @app.command()
    def show(fmt: FormatOpt = None, json_: JsonOpt = False, jq: JqOpt = None) -> None:
        rt = _runtime.runtime(fmt=fmt, json=json_, jq=jq)
        rt.out.object({"id": "acct_1", "debug": rt.settings.debug})

    @app.command()
    def fail(json_: JsonOpt = False) -> None:
        _runtime.runtime(json=json_)
        raise errors.NotFound("no such account", status=404, request_id="req_7", code="not_found")

    return app


def test_runtime_json_flag_sets_the_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert boundary.run(formatted_app(), ["show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"id": "acct_1", "debug": False}
    assert output.current().fmt == "json"


def test_runtime_reads_portal_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_FORMAT", "csv")
    assert boundary.run(formatted_app(), ["show"]) == 0
    assert capsys.readouterr().out == "id,debug\nacct_1,false\n"


def test_runtime_merges_the_root_debug_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert boundary.run(formatted_app(), ["--debug", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["debug"] is True
    assert output.current().debug_enabled


def test_runtime_jq(capsys: pytest.CaptureFixture[str]) -> None:
    assert boundary.run(formatted_app(), ["show", "--jq", ".id"]) == 0
    assert capsys.readouterr().out == "acct_1\n"


def test_runtime_bad_jq_fails_before_the_command_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert boundary.run(formatted_app(), ["show", "--jq", ".["]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    # --jq shapes the data; errors stay text unless --json/--format json asked for JSON.
    assert captured.err.startswith("error: invalid --jq expression: ")


def test_api_errors_in_json_mode(capsys: pytest.CaptureFixture[str]) -> None:
    assert boundary.run(formatted_app(), ["fail", "--json"]) == 6
    assert json.loads(capsys.readouterr().err) == {
        "error": {
            "type": "api_error",
            "code": "not_found",
            "message": "no such account",
            "param": None,
            "request_id": "req_7",
        }
    }


def test_settings_errors_print_in_the_requested_format(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORTAL_HOST", "http://portal.example.com")  # plain http off loopback
    assert boundary.run(formatted_app(), ["show", "--json"]) == 2
    error = json.loads(capsys.readouterr().err)["error"]
    assert error["type"] == "usage_error"
    assert error["param"] == "host"


def test_every_shared_option_alias_exists() -> None:
    from chathq_cli.cli import frame as _options

    for name in [
        "FormatOpt",
        "JsonOpt",
        "JqOpt",
        "DebugOpt",
        "ProfileOpt",
        "NoColorOpt",
        "AccountOpt",
        "OrgOpt",
        "YesOpt",
        "HostOpt",
    ]:
        assert hasattr(_options, name), name


def test_global_flags_reach_commands_annotated_with_the_options() -> None:
    app = typer.Typer()
    seen: dict[str, object] = {}

    @app.callback()
    def root() -> None:
        """Root."""

    @app.command()
    def cmd(jq: JqOpt = None, fmt: FormatOpt = None, debug: DebugOpt = False) -> None:
        seen.update(jq=jq, fmt=fmt, debug=debug)

    assert boundary.run(app, ["cmd", "--jq", ".a", "--format", "csv", "--debug"]) == 0
    assert seen == {"jq": ".a", "fmt": "csv", "debug": True}


# -- Runtime: clients, the current account and org -----------------------------------------------


class StubClient:
    """Stands in for PortalClient where only get_me/get_account/the org listings matter."""

    def __init__(
        self,
        *,
        default_account: str | None = None,
        me_error: Exception | None = None,
        visible_accounts: tuple[str, ...] = (),
    ):
        self.default_account = default_account
        self.me_error = me_error
        self.visible_accounts = visible_accounts
        self.calls: list[str] = []

    def list_orgs(self) -> list[object]:
        self.calls.append("list_orgs")
        return [SimpleNamespace(id="org_acme")]

    def list_accounts(self, org_id: str) -> list[object]:
        self.calls.append(f"list_accounts {org_id}")
        return [SimpleNamespace(id=account) for account in self.visible_accounts]

    def get_me(self) -> object:
        self.calls.append("get_me")
        if self.me_error is not None:
            raise self.me_error
        return SimpleNamespace(default_account_id=self.default_account)

    def get_account(self, account_id: str) -> object:
        self.calls.append(f"get_account {account_id}")
        return SimpleNamespace(org_id="org_acme")


def runtime_with(client: StubClient, **flags: str) -> _runtime.Runtime:
    rt = _runtime.runtime(**flags)  # type: ignore[arg-type]
    rt._client = client  # type: ignore[assignment]
    return rt


def test_account_id_prefers_the_flag() -> None:
    client = StubClient(default_account="acct_default")
    assert runtime_with(client, account="acct_flag").account_id() == "acct_flag"
    assert client.calls == []


def test_account_id_from_portal_account(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_ACCOUNT", "acct_env")
    assert runtime_with(StubClient()).account_id() == "acct_env"


def test_account_id_falls_back_to_the_users_default_without_writing_the_profile() -> None:
    client = StubClient(default_account="acct_default")
    rt = runtime_with(client)
    assert rt.account_id() == "acct_default"
    assert rt.account_id() == "acct_default"
    assert client.calls == ["get_me"]  # asked once per command
    # A command that only reads leaves config.toml alone.
    assert rt.config().get("account", rt.settings.profile) is None
    assert not rt.config().path.exists()


@pytest.mark.parametrize(
    "client",
    [
        StubClient(default_account=None),
        StubClient(me_error=errors.PermissionDenied("API keys cannot", status=403)),
    ],
    ids=["no-default", "api-key"],
)
def test_account_id_without_any_account_is_a_usage_error(client: StubClient) -> None:
    with pytest.raises(errors.UsageError) as caught:
        runtime_with(client).account_id()
    assert caught.value.message == "no account selected"
    assert "portal account use" in (caught.value.hint or "")


def test_an_api_keys_account_is_the_one_account_it_sees_and_is_not_remembered() -> None:
    denied = errors.PermissionDenied("API keys cannot", status=403)
    client = StubClient(me_error=denied, visible_accounts=("acct_key",))
    rt = runtime_with(client)
    assert rt.account_id() == "acct_key"
    assert rt.config().get("account", rt.settings.profile) is None


def test_org_id_prefers_the_flag_then_the_accounts_org() -> None:
    assert runtime_with(StubClient(), org="org_flag").org_id() == "org_flag"
    client = StubClient()
    assert runtime_with(client, account="acct_1").org_id() == "org_acme"
    assert client.calls == ["get_account acct_1"]


def test_client_uses_portal_token_without_touching_the_keyring(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PORTAL_TOKEN", "sk_test_env")
    rt = _runtime.runtime()
    client = rt.client()
    assert rt.client() is client
    client.close()
    assert capsys.readouterr().err == ""


def test_client_uses_the_plain_text_file_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    # Said at `auth login --insecure-storage` and in `auth status`; on every command (a
    # `--json` one in CI included) it was noise.
    rt = _runtime.runtime()
    rt.credentials().set(rt.settings.profile, rt.settings.host, "tok_file", insecure=True)
    rt.client().close()
    assert capsys.readouterr().err == ""


def test_client_without_any_token_asks_to_sign_in() -> None:
    with pytest.raises(errors.AuthRequired) as caught:
        _runtime.runtime().client()
    assert "portal auth login" in (hint_for(caught.value) or "")


def test_signed_out_without_a_keyring_is_not_signed_in_with_the_ways_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from chathq_cli.state import credentials

    def no_keyring(self: object, call: object) -> None:
        raise errors.KeyringUnavailable("the system keyring is not usable: none here")

    monkeypatch.setattr(credentials.CredentialStore, "_keyring", no_keyring)
    for profile in (None, "nosuch"):
        with pytest.raises(errors.NotSignedIn) as caught:
            _runtime.runtime(profile=profile).client()
        assert caught.value.exit_code == errors.ExitCode.AUTH
        assert str(caught.value).startswith("not signed in to ")
        hint = hint_for(caught.value) or ""
        assert "PORTAL_TOKEN" in hint and "portal auth login --insecure-storage" in hint
        assert "none here" in hint


def test_anonymous_client_needs_no_token() -> None:
    rt = _runtime.runtime()
    client = rt.anonymous_client()  # no keyring, no PORTAL_TOKEN: still fine
    assert rt.anonymous_client() is client
    client.close()
