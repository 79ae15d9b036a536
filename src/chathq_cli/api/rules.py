"""Input rules shared by the CLI (checked before sending) and the sandbox (422 otherwise).

Pure functions with no third-party imports, so a command can check its arguments without
loading pydantic.
"""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 100
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
ROLES = ("owner", "admin", "member")
THEMES = ("light", "dark", "system")
UNITS = ("sms", "calls", "chat", "numbers")
PLANS = ("connect", "interact", "transact")
NOTIFICATION_KEYS = (
    "assigned_conversations",
    "assigned_tickets",
    "notes",
    "reminders",
    "inquiries",
)
ID_PREFIXES = {
    "user": "usr_",
    "org": "org_",
    "account": "acct_",
    "member": "mem_",
    "invitation": "inv_",
    "invite_link": "ilink_",
    "integration": "intg_",
    "api_key": "key_",
    "subscription": "sub_",
    "payment_method": "pm_",
    "invoice": "in_",
    "usage_record": "ur_",
}


def name_problem(value: str) -> str | None:
    """Why `value` is not an acceptable name (account, org, display name, key...), or None.

    Names are 1-100 characters after trimming, with no control characters.
    """
    trimmed = value.strip()
    if not trimmed:
        return "must not be empty"
    if len(trimmed) > NAME_MAX:
        return f"must be at most {NAME_MAX} characters (got {len(trimmed)})"
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in trimmed):
        return "must not contain control characters"
    return None


def email_problem(value: str) -> str | None:
    """Why `value` is not a plausible e-mail address, or None."""
    if len(value) > 254 or not EMAIL_RE.match(value):
        return "is not a valid e-mail address"
    return None
