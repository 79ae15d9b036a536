"""E-mail addresses and team references as people type them for `portal team`: the list of
addresses to invite (arguments or --from-file), MEMBER (an ID or an address) and the IDs of
invitations and invite links. Checked whole before any request, naming the parameter.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from chathq_cli.inputs.names import shown

_ID_BODY = re.compile(r"[A-Za-z0-9]{1,64}")


def address_problem(value: str) -> str | None:
    """Why `value` is not an address to invite, or None (the server's rule, plus Unicode's
    control and format characters)."""
    from chathq_cli.api import rules

    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        return "contains control characters"
    return rules.email_problem(value)


def check_id(value: str, kind: str, param: str, what: str) -> str:
    """`value` trimmed, if it is an ID of `kind` (a key of `rules.ID_PREFIXES`: "member",
    "invitation", "invite_link"): the prefix, then 1-64 letters and digits."""
    from chathq_cli import errors
    from chathq_cli.api.rules import ID_PREFIXES

    value = value.strip()
    prefix = ID_PREFIXES[kind]
    if not (value.startswith(prefix) and _ID_BODY.fullmatch(value.removeprefix(prefix))):
        raise errors.UsageError(
            f"{param} must be {what} id ({prefix}...), got {shown(value)}", param=param
        )
    return value


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
        return "id", check_id(ref, "member", "MEMBER", "a member")
    if "@" in ref:
        problem = address_problem(ref)
        if problem:
            raise errors.UsageError(f"MEMBER {shown(ref)} {problem}", param="MEMBER")
        return "email", ref.lower()
    raise errors.UsageError(
        f"MEMBER must be a member id (mem_...) or an e-mail address, got {shown(ref)}",
        param="MEMBER",
    )
