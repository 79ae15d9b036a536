"""KEY=VALUE arguments (`portal me notifications set notes=off`, `--set KEY=VALUE`): split,
keys normalised and checked, repeats caught. Values are never echoed in a message: a value may
be a pasted secret."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable

from chathq_cli import errors
from chathq_cli.inputs.names import shown

# The words people use for a switch, in either case.
SWITCH_WORDS = {"on": True, "off": False, "true": True, "false": False, "yes": True, "no": False}
# What a key alone looks like: safe to echo when its '=' is missing (a longer or odder word may
# be a secret pasted without its key).
_KEY_ALONE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def snake_key(key: str) -> str:
    """`Assigned-Tickets` -> `assigned_tickets`: keys as people type them, as the API names them."""
    return key.strip().lower().replace("-", "_")


def parse_pairs(
    items: Iterable[str],
    param: str,
    *,
    keys: Collection[str] | None = None,
    normalise: Callable[[str], str] = str.strip,
    form: str = "KEY=VALUE",
) -> dict[str, str]:
    """`["a=1", "b=2"]` -> {"a": "1", "b": "2"}, in the order given.

    `param` is what the user typed (`--set`, `KEY=VALUE`) and starts every message. With `keys`,
    any other key is refused, listing the valid ones. A key given twice is refused unless both
    values are the same. `form` is the shape named when the '=' is missing.
    """
    found: dict[str, str] = {}
    for item in items:
        raw_key, sep, value = item.partition("=")
        key = normalise(raw_key)
        if not sep:
            got = f" (got {shown(item)})" if _KEY_ALONE.fullmatch(item.strip()) else ""
            raise errors.UsageError(f"{param} takes {form}, with an '='{got}", param=param)
        if not key:
            raise errors.UsageError(f"{param} needs a KEY before the '='", param=param)
        if keys is not None and key not in keys:
            raise errors.UsageError(
                f"{param}: unknown key {shown(raw_key.strip())}; valid keys: {', '.join(keys)}",
                param=param,
            )
        if key in found and found[key] != value:
            raise errors.UsageError(
                f"{param}: {key} is given twice with different values", param=param
            )
        found[key] = value
    return found


def parse_switch(value: str) -> bool | None:
    """on/off, true/false, yes/no (any case, spaces around) as a bool; None for anything else."""
    return SWITCH_WORDS.get(value.strip().lower())


def parse_switches(items: Iterable[str], param: str, keys: Collection[str]) -> dict[str, bool]:
    """`["notes=off", "Assigned-Tickets=on"]` -> {"notes": False, "assigned_tickets": True}.

    Keys are compared as snake_key() makes them; every value must be a switch word.
    """
    items = list(items)
    if not items:
        raise errors.UsageError(
            f"{param}: give at least one KEY=on|off (keys: {', '.join(keys)})", param=param
        )
    switches: dict[str, bool] = {}
    for item in items:  # one at a time: `notes=on notes=ON` is a repeat, not a conflict
        ((key, value),) = parse_pairs(
            [item], param, keys=keys, normalise=snake_key, form="KEY=on|off"
        ).items()
        flag = parse_switch(value)
        if flag is None:
            raise errors.UsageError(
                f"{param}: {key} takes on or off, not {shown(value)}", param=param
            )
        if switches.get(key, flag) != flag:
            raise errors.UsageError(f"{param}: {key} is given both on and off", param=param)
        switches[key] = flag
    return switches
