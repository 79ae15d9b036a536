"""The generated scripts: up to date, shipped, printed by `portal completion`, and the cache
they read (per profile, 0600, no secret, refreshed by listings and `portal __complete`)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from types import ModuleType

import pytest
from shells_support import ROOT, SCRIPTS

from chathq_cli.state import completion_cache as _completion_cache
from support.demo import OWNER
from support.inprocess import Portal

SHELLS = {
    "bash": "portal.bash",
    "zsh": "portal.zsh",
    "fish": "portal.fish",
    "powershell": "portal.ps1",
}


def test_checked_in_scripts_match_a_fresh_generation(gen: ModuleType) -> None:
    rendered = gen.render_all()
    for name, text in rendered.items():
        assert (SCRIPTS / name).read_text() == text, f"run `make completions`: {name} is stale"


def test_the_scripts_are_stored_once() -> None:
    # completions/ is the one copy; the wheel gets it through pyproject's force-include.
    assert not (ROOT / "src" / "chathq_cli" / "completions").exists()


def test_every_command_and_option_of_the_live_app_is_in_every_script(model) -> None:  # type: ignore[no-untyped-def]
    for name in SHELLS.values():
        text = (SCRIPTS / name).read_text()
        for node in model.walk():
            assert f"'{node.key}'" in text or not node.key, (name, node.key)
            for option in node.options:
                for flag in option.names:
                    assert f"{node.key}|{flag}" in text or flag in text, (name, flag)


@pytest.mark.parametrize("shell", sorted(SHELLS))
def test_portal_completion_prints_the_shipped_script(portal: Portal, shell: str) -> None:
    result = portal.run("completion", shell)
    assert result.stdout == (SCRIPTS / SHELLS[shell]).read_text()
    assert result.stderr == ""


def test_an_unknown_shell_is_a_usage_error(portal: Portal) -> None:
    result = portal.run("completion", "tcsh", exit_code=2)
    assert result.stdout == ""
    assert result.stderr.startswith("error: ")


def test_powershell_script_structure(model) -> None:  # type: ignore[no-untyped-def]
    """pwsh is not packaged for Debian: no PowerShell runs here, so this checks what can be
    checked without it. Brackets balance outside strings, every table is ordinal
    (case-sensitive: -f and -F differ), and every command path is in it."""
    text = (SCRIPTS / "portal.ps1").read_text()
    assert "Register-ArgumentCompleter -Native -CommandName 'portal', 'portal.exe'" in text
    code = re.sub(r"'(?:[^']|'')*'|\"(?:[^\"`]|`.)*\"|#[^\n]*", "", text)
    for opening, closing in ("{}", "()", "[]"):
        assert code.count(opening) == code.count(closing), opening
    assert "@{" not in code  # PowerShell's @{} ignores the case of keys
    for table in ("PortalCommands", "PortalOptions", "PortalValueOptions", "PortalArguments"):
        assert (
            f"${table} = [System.Collections.Hashtable]::new([System.StringComparer]::Ordinal)"
            in text
        )
    for node in model.walk():
        if node.commands:
            assert f"$PortalCommands['{node.key}'] = '{' '.join(node.commands)}'" in text


# --- the cache -------------------------------------------------------------------------------


def test_store_writes_a_private_file_of_safe_entries(cache_dir: Path) -> None:
    hostile = [
        ("acct_ok1", "Acme\tSales\nEvil"),
        ("acct_$(touch pwned)", "x"),
        ("acct_semi;rm", "x"),
        ("", "empty"),
        ("acct_ok1", "duplicate"),
        ("acct_long", "n" * 500),
    ]
    _completion_cache.store(cache_dir, "default", {"accounts": hostile}, now=1_700_000_000)
    path = _completion_cache.cache_path(cache_dir, "default")
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    cache = _completion_cache.read(path)
    fetched, entries = cache.sections["accounts"]
    assert fetched == 1_700_000_000
    assert entries == [("acct_ok1", "Acme Sales Evil"), ("acct_long", "n" * 80)]


def test_a_partial_listing_adds_without_making_the_section_fresh(cache_dir: Path) -> None:
    _completion_cache.store(cache_dir, "default", {"accounts": [("acct_a1", "A")]}, now=100)
    _completion_cache.store(
        cache_dir, "default", {"accounts": [("acct_b1", "B")]}, complete=False, now=200
    )
    cache = _completion_cache.read(_completion_cache.cache_path(cache_dir, "default"))
    assert cache.sections["accounts"] == (100, [("acct_b1", "B"), ("acct_a1", "A")])


def test_account_scoped_kinds_are_dropped_when_the_account_changes(cache_dir: Path) -> None:
    _completion_cache.store(cache_dir, "p", {"members": [("mem_a1", "a")]}, account="acct_a1")
    _completion_cache.store(cache_dir, "p", {"orgs": [("org_x1", "X")]}, account="acct_b1")
    cache = _completion_cache.read(_completion_cache.cache_path(cache_dir, "p"))
    assert cache.account == "acct_b1"
    assert "members" not in cache.sections
    assert cache.sections["orgs"][1] == [("org_x1", "X")]


def test_store_never_fails_a_command(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    _completion_cache.store(blocker, "default", {"orgs": [("org_a1", "A")]})  # no exception


def test_listing_commands_feed_the_cache(portal: Portal, cache_dir: Path) -> None:
    portal.sign_in(OWNER)
    orgs = portal.json("org", "list")
    accounts = portal.json("account", "list", "--all-orgs")
    cache = _completion_cache.read(_completion_cache.cache_path(cache_dir, "default"))
    assert [v for v, _ in cache.sections["orgs"][1]] == [o["id"] for o in orgs]
    assert {v for v, _ in cache.sections["accounts"][1]} == {a["id"] for a in accounts}


def test_complete_refresh_fills_every_kind_without_a_secret(
    portal: Portal, cache_dir: Path
) -> None:
    token = portal.sign_in(OWNER)
    result = portal.run("__complete", "refresh")
    assert result.stdout == result.stderr == ""
    path = _completion_cache.cache_path(cache_dir, "default")
    text = path.read_text()
    assert token not in text and "sk_" not in text
    cache = _completion_cache.read(path)
    assert cache.account and cache.account.startswith("acct_")
    for kind in _completion_cache.KINDS:
        fetched, entries = cache.sections[kind]
        assert time.time() - fetched < 60
        assert entries, kind
    assert all(v.startswith("mem_") for v, _ in cache.sections["members"][1])
    assert all(v.startswith("key_") for v, _ in cache.sections["secrets"][1])
    assert not _completion_cache.lock_path(cache_dir, "default").exists()


def test_complete_refresh_signed_out_stores_empty_sections_quietly(
    portal: Portal, cache_dir: Path
) -> None:
    result = portal.run("__complete", "refresh")
    assert result.stdout == result.stderr == ""
    cache = _completion_cache.read(_completion_cache.cache_path(cache_dir, "default"))
    assert all(entries == [] for _, entries in cache.sections.values())


def test_a_running_refresh_is_not_started_twice(portal: Portal, cache_dir: Path) -> None:
    portal.sign_in(OWNER)
    lock = _completion_cache.lock_path(cache_dir, "default")
    lock.parent.mkdir(parents=True)
    lock.write_text("")
    portal.run("__complete", "refresh")
    assert not _completion_cache.cache_path(cache_dir, "default").exists()


def test_the_hidden_command_is_not_listed(portal: Portal) -> None:
    assert "__complete" not in portal.run("--help").stdout
