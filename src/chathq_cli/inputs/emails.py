"""E-mail addresses and team references as people type them for `portal team`: the list of
addresses to invite (arguments or --from-file) and MEMBER (an ID or an address). Checked whole
before any request, naming the parameter; IDs are checked by inputs/ids.py.
"""

from __future__ import annotations

import unicodedata
from typing import Literal

from chathq_cli.inputs.names import shown


def address_problem(value: str) -> str | None:
    """Why `value` is not an address to invite, or None (the server's rule, plus Unicode's
    control and format characters)."""
    from chathq_cli.api import rules

    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        return "contains control characters"
    return rules.email_problem(value)


def read_addresses(text: str, source: str) -> list[tuple[str, str]]:
    """(address, where) pairs from a --from-file text: one address a line; blank lines, spaces
    and `#` comments (from a `#` to the end of the line) ignored."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        address = line.split("#", 1)[0].strip()
        if address:
            found.append((address, f"{source} line {number}"))
    return found


def check_addresses(entries: list[tuple[str, str]]) -> list[str]:
    """The addresses, lower-cased (the API compares them so), or a UsageError naming the first
    malformed or repeated one and where it came from. Nothing is sent unless all are good."""
    from chathq_cli import errors

    if not entries:
        raise errors.UsageError(
            "no address to invite: give EMAIL arguments or --from-file FILE", param="EMAIL"
        )
    first_seen: dict[str, str] = {}
    for address, where in entries:
        problem = address_problem(address)
        param = "--from-file" if " line " in where else "EMAIL"
        if problem:
            raise errors.UsageError(
                f"{where}: {shown(address)} {problem}; nothing was sent", param=param
            )
        key = address.lower()
        if key in first_seen:
            raise errors.UsageError(
                f"{shown(address)} is listed twice ({first_seen[key]} and {where}); "
                "nothing was sent",
                param=param,
            )
        first_seen[key] = where
    return list(first_seen)


def member_ref(ref: str) -> tuple[Literal["id", "email"], str]:
    """MEMBER as ("id", "mem_...") or ("email", lower-cased address), checked before any
    request."""
    from chathq_cli import errors
    from chathq_cli.api.rules import ID_PREFIXES

    ref = ref.strip()
    if ref.startswith(ID_PREFIXES["member"]):
        from chathq_cli.inputs.ids import check_id

        return "id", check_id(ref, "member", "MEMBER")
    if "@" in ref:
        problem = address_problem(ref)
        if problem:
            raise errors.UsageError(f"MEMBER {shown(ref)} {problem}", param="MEMBER")
        return "email", ref.lower()
    raise errors.UsageError(
        f"MEMBER must be a member id (mem_...) or an e-mail address, got {shown(ref)}",
        param="MEMBER",
    )
