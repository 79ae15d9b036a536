"""One real `python -m chathq_cli` run per command group against the sandbox: the console
entry point, the file keyring the child reads, the environment and the exit code, group by
group. What each group does is tested in-process (tests/commands/); the groups not listed have
a real-process test of their own here (billing, me, secrets, usage)."""

from __future__ import annotations

import pytest

from support.harness import DEMO_PASSWORD, OWNER, Cli, Sandbox

pytestmark = pytest.mark.e2e


def test_auth_login_and_status_through_the_console_entry_point(cli: Cli) -> None:
    login = cli.login(OWNER, DEMO_PASSWORD)
    assert f"Signed in to {cli.sandbox.url} as {OWNER}" in login.stderr
    status = cli.run("auth", "status", "--json").json()
    assert status["user"] == OWNER
    assert cli.token() in cli.keyring_file.read_text()  # the child used the test keyring


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (("account", "show", "--json"), lambda out, me: out["id"] == me["default_account_id"]),
        (("org", "list", "--json"), lambda out, me: {o["name"] for o in out} >= {"Acme"}),
        (("api", "me"), lambda out, me: out["email"] == me["email"]),
        (("team", "list", "--json"), lambda out, me: me["email"] in {m["email"] for m in out}),
        (("integrations", "list", "--json"), lambda out, me: "slack" in {i["id"] for i in out}),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else "",
)
def test_each_group_answers_from_a_real_process(
    cli: Cli, sandbox: Sandbox, args: tuple[str, ...], check: object
) -> None:
    token = cli.sign_in(OWNER)
    me = sandbox.get("me", token)
    result = cli.run(*args)
    assert callable(check) and check(result.json(), me), result.describe()


def test_config_and_completion_need_no_sign_in(cli: Cli) -> None:
    assert cli.run("config", "path").stdout.strip() == str(cli.config_dir / "config.toml")
    script = cli.run("completion", "bash").stdout
    assert "complete" in script and "portal" in script
