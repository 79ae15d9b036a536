"""bash: source portal.bash, set COMP_WORDS/COMP_CWORD, call the registered function, read
COMPREPLY. Expectations come from the live command tree, so new groups are covered too."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from shells_support import SCRIPTS, RealPortal, Spy, silent_port

from support.harness import Cli

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def complete(spy: Spy | RealPortal, *lines: str) -> list[list[str]]:
    """COMPREPLY for each command line (the last word is the one being completed)."""
    script = [f"source {shlex.quote(str(SCRIPTS / 'portal.bash'))}"]
    script.append("func=$(complete -p portal | sed -E 's/.*-F ([^ ]+).*/\\1/')")
    for line in lines:
        words = " ".join(shlex.quote(w) for w in line.split(" "))
        script.append(
            f"COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMPREPLY=(); "
            '"$func"; printf "%s\\n" "${COMPREPLY[*]}"'
        )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        env=spy.env(),
        check=True,
        timeout=60,  # a TAB that waits for a refresh it should not wait for fails here
    )
    assert result.stderr == ""
    return [line.split() for line in result.stdout.splitlines()]


def test_groups_nested_commands_options_and_every_choice(spy: Spy, model) -> None:  # type: ignore[no-untyped-def]
    cases: list[tuple[str, list[str]]] = [("portal ", sorted(model.commands))]
    assert {"auth", "org", "account", "billing", "usage", "config", "sandbox"} <= set(
        model.commands
    )
    for node in model.walk():
        words = " ".join(("portal", *node.path))
        if node.commands:
            cases.append((f"{words} ", sorted(node.commands)))
        options = sorted(n for o in node.options for n in o.names if n.startswith("--"))
        cases.append((f"{words} --", options))
        for option in node.options:
            if option.values.choices:
                cases.append((f"{words} {option.names[0]} ", list(option.values.choices)))
    got = complete(spy, *(line for line, _ in cases))
    for (line, expected), reply in zip(cases, got, strict=True):
        assert sorted(reply) == sorted(expected), line
    assert spy.calls() == [], "completing commands, options and choices ran portal"


def test_prefixes_and_the_equals_form(spy: Spy) -> None:
    got = complete(
        spy,
        "portal acc",
        "portal account sh",
        "portal usage --unit s",
        "portal usage --unit = c",
        "portal usage --unit sms --by ",
        "portal --profile work account li",
        "portal usage --u",
    )
    assert got == [
        ["account"],
        ["show"],
        ["sms"],
        ["calls", "chat"],
        ["day", "week", "month"],
        ["list"],
        ["--unit", "--unpaid", "--until"],
    ]
    assert spy.calls() == []


def test_file_values_complete_as_files(spy: Spy, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "report-2024.csv").write_text("")
    monkeypatch.chdir(tmp_path)
    assert complete(spy, "portal usage --output rep", "portal usage -o rep") == [
        ["report-2024.csv"],
        ["report-2024.csv"],
    ]
    assert spy.calls() == []


def test_dynamic_values_come_from_the_cache_without_running_portal(spy: Spy, cached: Path) -> None:
    got = complete(
        spy, "portal account use ", "portal account show --account a", "portal account list --org "
    )
    assert got == [["acct_demo1"], ["acct_demo1"], ["org_demo1"]]
    assert cached.stat().st_mode & 0o777 == 0o600
    assert spy.calls() == [], "a fresh cache needs no refresh"


def test_the_current_profile_of_the_config_file_picks_the_cache(
    spy: Spy, config_dir: Path, cache_dir: Path
) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    config_dir.mkdir(parents=True, exist_ok=True)
    (config_dir / "config.toml").write_text('current_profile = "work"\n\n[profiles.work]\n')
    _completion_cache.store(cache_dir, "work", {"accounts": [("acct_work1", "Work")]})
    _completion_cache.store(cache_dir, "other", {"accounts": [("acct_other1", "Other")]})
    got = complete(spy, "portal account use ", "portal --profile other account use ")
    assert got == [["acct_work1"], ["acct_other1"]]


def test_a_stale_cache_is_refreshed_in_the_background(spy: Spy, cache_dir: Path) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    stale = time.time() - _completion_cache.TTL - 10
    _completion_cache.store(cache_dir, "default", {"accounts": [("acct_old1", "")]}, now=stale)
    assert complete(spy, "portal account use ") == [["acct_old1"]]
    deadline = time.monotonic() + 10
    while not spy.calls() and time.monotonic() < deadline:
        time.sleep(0.05)  # the spy is started in the background: wait for its one line
    assert spy.calls() == ["__complete refresh --profile default"]


def test_a_cache_past_its_maximum_age_is_not_offered(spy: Spy, cache_dir: Path) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    old = time.time() - _completion_cache.MAX_AGE - 10
    _completion_cache.store(cache_dir, "default", {"accounts": [("acct_old1", "")]}, now=old)
    (cache_dir / "completion" / "default.lock").write_text("")  # no refresh for this test
    assert complete(spy, "portal account use ") == [[]]


def test_plan_names_and_roles_complete_as_arguments(spy: Spy) -> None:
    got = complete(
        spy,
        "portal billing change-plan ",
        "portal billing change-plan t",
        "portal account create Labs --plan ",
        "portal team set-role mem_1 ",
    )
    assert got == [
        ["connect", "interact", "transact"],
        ["transact"],
        ["connect", "interact", "transact"],
        ["owner", "admin", "member"],
    ]
    assert spy.calls() == []


def test_a_profile_under_integrations_is_not_an_integration_type(spy: Spy, cache_dir: Path) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    _completion_cache.store(cache_dir, "default", {"integrations": [("slack", "Slack")]})
    got = complete(spy, "portal integrations configure ", "portal integrations show --profile ")
    assert got == [["slack"], []]


def test_a_cold_cache_is_fetched_on_the_first_tab(
    signed_in: RealPortal, open_accounts: list[str]
) -> None:
    assert [sorted(reply) for reply in complete(signed_in, "portal account use ")] == [
        open_accounts
    ]


def test_a_stale_cache_answers_without_waiting_for_its_refresh(
    tmp_path: Path, cache_dir: Path
) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    stale = time.time() - _completion_cache.TTL - 10
    _completion_cache.store(cache_dir, "default", {"accounts": [("acct_old1", "")]}, now=stale)
    release = tmp_path / "release"
    blocked = Spy(tmp_path / "blocked", blocks_on=release)  # a refresh that never ends
    try:
        assert complete(blocked, "portal account use ") == [["acct_old1"]]
        deadline = time.monotonic() + 10
        while not blocked.calls() and time.monotonic() < deadline:
            time.sleep(0.05)  # started in the background: wait for its one line
        assert blocked.calls() == ["__complete refresh --profile default"]
    finally:
        release.touch()


def test_a_server_that_does_not_answer_offers_nothing_within_the_bound(
    cli: Cli, tmp_path: Path, cache_dir: Path
) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    cli.login()
    server, url = silent_port()
    with server:
        real = RealPortal(tmp_path, cli.env({"PORTAL_HOST": url, "PORTAL_TOKEN": cli.token()}))
        started = time.monotonic()
        assert complete(real, "portal account use ") == [[]]
        took = time.monotonic() - started
    # The refresh gives up after WAIT seconds; the rest is starting Python on a busy machine.
    assert took < _completion_cache.WAIT + 3
    assert (
        "accounts"
        in _completion_cache.read(_completion_cache.cache_path(cache_dir, "default")).sections
    ), "the next TAB must not wait again"


def test_signed_out_offers_nothing_and_starts_nothing_until_a_sign_in(
    spy: Spy, cache_dir: Path, config_dir: Path
) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    _completion_cache.mark_signed_out(cache_dir, "default", now=time.time())
    assert complete(spy, "portal account use ") == [[]]
    assert spy.calls() == []
    config_dir.mkdir(parents=True)
    config = config_dir / "config.toml"
    config.write_text('[profiles.default]\nemail = "owner@demo.chathq.test"\n')
    later = _completion_cache.cache_path(cache_dir, "default").stat().st_mtime + 5
    os.utime(config, (later, later))  # `auth login` wrote it after the refresh
    assert complete(spy, "portal account use ") == [[]]
    assert spy.calls() == [
        f"__complete refresh --profile default --timeout {_completion_cache.WAIT}"
    ]


def test_a_signed_out_refresh_is_remembered(cli: Cli, tmp_path: Path, cache_dir: Path) -> None:
    from chathq_cli.state import completion_cache as _completion_cache

    assert complete(RealPortal(tmp_path, cli.env()), "portal account use ") == [[]]
    cache = _completion_cache.read(_completion_cache.cache_path(cache_dir, "default"))
    assert cache.signed_out is not None and cache.sections == {}
