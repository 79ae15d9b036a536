"""Write docs/portal-config.schema.json: the JSON Schema of an account file (SPEC §9), for
editors (`# yaml-language-server: $schema=...`). `portal export --schema` prints the same.

python scripts/export_config_schema.py           # regenerate
python scripts/export_config_schema.py --check   # exit 1 when the checked-in file differs
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from chathq_cli.api.account_file import json_schema

TARGET = Path(__file__).resolve().parent.parent / "docs" / "portal-config.schema.json"


def render() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args()
    text = render()
    if not args.check:
        TARGET.write_text(text, encoding="utf-8")
        print(f"wrote {TARGET}")
        return 0
    current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
    if current == text:
        print(f"{TARGET} is up to date")
        return 0
    diff = difflib.unified_diff(
        current.splitlines(), text.splitlines(), "checked-in", "generated", lineterm="", n=1
    )
    print(f"{TARGET} is out of date", file=sys.stderr)
    print("\n".join(list(diff)[:60]), file=sys.stderr)
    print("run: python scripts/export_config_schema.py", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
