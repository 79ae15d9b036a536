"""Fixtures of the end-to-end tests: see e2e_harness.py (`sandbox`, `cli`)."""

from __future__ import annotations

import sys
from pathlib import Path

# The harness module sits next to this file; make it importable whatever pytest's import mode.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from e2e_harness import _fresh_sandbox, cli, sandbox  # noqa: E402  (needs the path above)

__all__ = ["_fresh_sandbox", "cli", "sandbox"]
