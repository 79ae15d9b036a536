"""The checked-in manual (docs/reference.md, docs/man/) is what scripts/gen_docs.py makes of
the live command tree, and it covers every command."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_docs", ROOT / "scripts" / "gen_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_docs"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_checked_in_manual_matches_a_fresh_generation(gen: ModuleType) -> None:
    for path, text in gen.render_all().items():
        assert (ROOT / path).read_text() == text, f"run `make docs`: {path} is stale"
    pages = {p.name for p in (ROOT / "docs" / "man").glob("*.1")}
    assert pages == {p.name for p in gen.render_all() if p.suffix == ".1"}


def test_every_command_has_its_section_usage_and_man_page(gen: ModuleType) -> None:
    reference = (ROOT / "docs" / "reference.md").read_text()
    root = gen.tree()
    for node in list(root.walk())[1:]:
        assert f"\n## {node.name}\n" in reference
        assert node.usage.startswith(node.name)
        page = ROOT / "docs" / "man" / f"portal-{node.path[0]}.1"
        if len(node.path) > 1:
            assert f".SS {gen._roff(node.name)}\n" in page.read_text()
    team = next(node for node in root.children if node.path == ("team",))
    assert "portal team invite ana@example.com --role admin" in team.examples
