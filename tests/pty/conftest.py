"""Reuses the end-to-end harness (tests/e2e/e2e_harness.py): `sandbox`, `cli` fixtures."""

from __future__ import annotations

import sys
from pathlib import Path

_E2E = str(Path(__file__).resolve().parents[1] / "e2e")
if _E2E not in sys.path:
    sys.path.insert(0, _E2E)

from e2e_harness import _fresh_sandbox, cli, sandbox  # noqa: E402  (needs the path above)

__all__ = ["_fresh_sandbox", "cli", "sandbox"]
