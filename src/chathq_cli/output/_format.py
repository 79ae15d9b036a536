"""Pure formatting helpers: money, times, cells, safe JSON. No terminal, no Rich."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

ColumnKind = Literal["text", "money", "time", "int", "bool", "id"]
Overflow = Literal["fold", "ellipsis"]


@dataclass(frozen=True)
class Column:
    """One column of a list (or one field of an object view).

    The hints below only shape the table on a terminal (see `_layout`, which also infers what
    a column holds from its key: IDs, e-mail addresses, times, names); TSV, CSV and JSON always
    carry every column in full.

    - `priority`: 1 is essential (always shown); a narrow terminal leaves out the columns with
      the highest number first, the rightmost first among equals. Default: 1 for the row's
      `id` and a list's first column; 2 for names, e-mail addresses, money and other text;
      3 for other IDs, numbers and booleans; 4 for times.
    - `min_width`: the narrowest a text column may become before columns are left out
      (default 10, never less than its header).
    - `overflow`: what a text cell too long for its column does. Default: a name folds at
      word boundaries, other text stays on one line cut with "…". "fold": wrap onto more
      lines; "ellipsis": one line, cut with "…". IDs, e-mail addresses, times and numbers
      are never cut nor wrapped.
    """

    key: str  # dotted path into the row dict, e.g. "price.amount" or "plan"
    header: str
    kind: ColumnKind = "text"
    priority: int | None = None
    min_width: int | None = None
    overflow: Overflow | None = None


# C0/C1 controls, DEL and the bidirectional overrides: what a hostile server string could use
# to move the cursor, recolour the terminal or visually reorder text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_CONTROL_KEEP_NEWLINE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# What stays inert yet meaningful in a text stream that is also data: newline and tab. CSV
# cells and `--jq` strings keep them (CSV quotes them; jq's @tsv needs tabs); CR is escaped
# because a bare CR on a terminal moves the cursor back and lets later text overwrite earlier.
_CONTROL_KEEP_LAYOUT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
# Inside JSON strings json.dumps already escapes C0; these it leaves raw with ensure_ascii=False.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape_char(match: re.Match[str]) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def escape_control(text: str, *, keep_newlines: bool = False) -> str:
    """Make `text` inert on a terminal: control characters become visible escapes."""
    pattern = _CONTROL_KEEP_NEWLINE if keep_newlines else _CONTROL
    return pattern.sub(_escape_char, text)


def escape_control_keep_layout(text: str) -> str:
    """Like `escape_control`, but newlines and tabs stay: for CSV text and `--jq` strings."""
    return _CONTROL_KEEP_LAYOUT.sub(_escape_char, text)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def dumps(data: Any, *, indent: int | None = None) -> str:
    """JSON text that is safe to show on a terminal and still valid JSON."""
    separators = (",", ": ") if indent is not None else (",", ":")
    text = json.dumps(
        data, indent=indent, ensure_ascii=False, separators=separators, default=_json_default
    )
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_money(amount: str | Decimal, currency: str = "usd") -> str:
    """`$1,234.56`, `-$3.00`, `1,234.56 EUR`. Decimal only: a float would already be inexact."""
    if isinstance(amount, float):
        raise TypeError("money must be a Decimal or a decimal string, not a float")
    value = amount if isinstance(amount, Decimal) else Decimal(amount)
    exponent = value.normalize().as_tuple().exponent
    # Cents always; more places only when the amount has them (unit prices like $0.0125).
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    digits = f"{abs(value):,.{places}f}"
    sign = "-" if value < 0 else ""
    if currency.lower() == "usd":
        return f"{sign}${digits}"
    return f"{sign}{digits} {currency.upper()}"


def format_time(value: str) -> str:
    """RFC 3339 -> `2026-11-15 12:00 UTC` for people; anything unparsable is shown as given."""
    if len(value) == 10:  # a bare date stays a date
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def get_path(row: Mapping[str, Any], key: str) -> Any:
    """`row["price"]["amount"]` for key "price.amount"; None when any step is missing."""
    # Rows are plain dicts from JSON; `isinstance(x, dict)` is several times cheaper than the
    # Mapping ABC check, which matters at a million rows of an export.
    if "." not in key:
        return row.get(key) if isinstance(row, dict | Mapping) else None
    value: Any = row
    for part in key.split("."):
        if not isinstance(value, dict | Mapping):
            return None
        value = value.get(part)
    return value


def _money_parts(row: Mapping[str, Any], column: Column) -> tuple[Any, str] | None:
    value = get_path(row, column.key)
    if isinstance(value, Mapping):
        return value.get("amount"), str(value.get("currency") or "usd")
    if value is None:
        return None
    currency = "usd"
    if column.key.endswith(".amount"):
        currency = str(get_path(row, column.key[: -len("amount")] + "currency") or "usd")
    return value, currency


def money_currency(row: Mapping[str, Any], column: Column) -> str:
    """The currency code of a money cell for machines (`usd`); empty when there is no amount."""
    parts = _money_parts(row, column)
    return "" if parts is None or parts[0] is None else parts[1]


def table_cell(row: Mapping[str, Any], column: Column) -> str:
    """A cell for people (Rich table, key/value view): money with its symbol, short times."""
    if column.kind == "money":
        parts = _money_parts(row, column)
        if parts is None or parts[0] is None:
            return "-"
        try:
            return format_money(str(parts[0]), parts[1])
        except (InvalidOperation, TypeError):
            return escape_control(str(parts[0]))
    value = get_path(row, column.key)
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if column.kind == "time" and isinstance(value, str):
        return escape_control(format_time(value))
    if column.kind == "int" and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Mapping | list):
        return escape_control(dumps(value))
    return escape_control(str(value))


def plain_cell(row: Mapping[str, Any], column: Column) -> str:
    """A cell for machines (CSV, TSV): money as a plain decimal, times as RFC 3339.

    A money column's currency is a cell of its own (`money_currency`; the rule: `_machine`).
    """
    if column.kind == "money":
        parts = _money_parts(row, column)
        value: Any = None if parts is None else parts[0]
    else:
        value = get_path(row, column.key)
    if value is None:
        return ""
    if type(value) is str:  # the common case, first
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping | list):
        return dumps(value)
    return str(value)


def infer_columns(obj: Mapping[str, Any]) -> list[Column]:
    """Columns for an object shown without an explicit field list: every top-level key."""
    columns = []
    for key, value in obj.items():
        kind: ColumnKind = "text"
        if isinstance(value, Mapping) and "amount" in value and "currency" in value:
            kind = "money"
        elif key.endswith("_at") and isinstance(value, str):
            kind = "time"
        elif key == "id":
            kind = "id"
        # The keys come from the server: made terminal-safe like any value.
        header = escape_control(key.replace("_", " ").capitalize())
        columns.append(Column(key=key, header=header, kind=kind))
    return columns
