"""Write docs/openapi.json from the sandbox app (the API contract, checked in).

python scripts/export_openapi.py           # regenerate
python scripts/export_openapi.py --check   # exit 1 when the checked-in file differs
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from chathq_cli.sandbox.app import create_app

TARGET = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


def render() -> str:
    app = create_app(seed="empty")
    return json.dumps(app.openapi(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--output", type=Path, default=TARGET)
    args = parser.parse_args()
    text = render()
    if not args.check:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
        return 0
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if current == text:
        print(f"{args.output} is up to date")
        return 0
    diff = list(
        difflib.unified_diff(
            current.splitlines(), text.splitlines(), "checked-in", "generated", lineterm="", n=1
        )
    )
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    print(f"{args.output} is out of date: {added} lines added, {removed} removed", file=sys.stderr)
    print("\n".join(diff[:60]), file=sys.stderr)
    print("run: python scripts/export_openapi.py", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
