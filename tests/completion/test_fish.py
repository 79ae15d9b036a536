"""fish: `complete -C "portal ..."` after sourcing portal.fish: the candidates fish itself
computes, checked against the live command tree."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from shells_support import SCRIPTS, RealPortal, Spy

pytestmark = pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")

SEP = "@@end@@"


def complete(spy: Spy | RealPortal, *lines: str) -> list[list[str]]:
    """fish's candidates (without descriptions) for each command line."""
    script = [f"source {shlex.quote(str(SCRIPTS / 'portal.fish'))}"]
    for line in lines:
        script.append(f"complete -C {shlex.quote(line)}; echo {SEP}")
    result = subprocess.run(
        ["fish", "--no-config", "-c", "\n".join(script)],
        capture_output=True,
        text=True,
        env=spy.env(),
        check=True,
    )
    assert result.stderr == ""
    blocks = result.stdout.split(SEP + "\n")[:-1]
    return [[row.split("\t")[0] for row in block.splitlines()] for block in blocks]


def test_groups_nested_commands_options_and_choices(spy: Spy, model) -> None:  # type: ignore[no-untyped-def]
    cases: list[tuple[str, list[str]]] = [("portal ", sorted(model.commands))]
    for node in model.walk():
        words = " ".join(("portal", *node.path))
        if node.commands:
            cases.append((f"{words} ", sorted(node.commands)))
        cases.append(
            (f"{words} --", sorted(n for o in node.options for n in o.names if n[:2] == "--"))
        )
        for option in node.options:
            if option.values.choices:
                cases.append((f"{words} {option.names[0]} ", sorted(option.values.choices)))
    got = complete(spy, *(line for line, _ in cases))
    for (line, expected), candidates in zip(cases, got, strict=True):
        assert sorted(candidates) == expected, line
    assert spy.calls() == []


def test_prefixes_descriptions_and_the_equals_form(spy: Spy) -> None:
    got = complete(spy, "portal acc", "portal usage --unit=c", "portal usage --by w")
    assert got == [["account"], ["--unit=calls", "--unit=chat"], ["week"]]
    described = subprocess.run(
        [
            "fish",
            "--no-config",
            "-c",
            f"source {SCRIPTS / 'portal.fish'}; complete -C 'portal acc'",
        ],
        capture_output=True,
        text=True,
        env=spy.env(),
        check=True,
    ).stdout
    assert described.startswith("account\tWork with accounts")
    assert spy.calls() == []


def test_files_and_a_dynamic_value(spy: Spy, cached: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "usage-export.csv").write_text("")
    monkeypatch.chdir(tmp_path)
    got = complete(spy, "portal usage --output usage-", "portal account use ", "portal org use ")
    assert got[0] == ["usage-export.csv"]
    assert got[1] == ["acct_demo1"]
    assert got[2] == ["org_demo1"]  # `org use ORG`
    assert spy.calls() == []


def test_a_cold_cache_is_fetched_on_the_first_tab(
    signed_in: RealPortal, open_accounts: list[str]
) -> None:
    assert [sorted(reply) for reply in complete(signed_in, "portal account use ")] == [
        open_accounts
    ]
