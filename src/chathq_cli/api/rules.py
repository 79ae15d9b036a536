"""What the CLI and the sandbox must agree on: enum values, ID prefixes, limits, input rules.

The one source for both: the wire models and the sandbox take their values from here, and a
command checks its arguments against the same values before sending (the sandbox answers 422
otherwise). Standard library only, so a command can import it without loading pydantic.
"""

from __future__ import annotations

import re
from typing import Literal, get_args

# --- Enumerations ---------------------------------------------------------------------------
# Each as the Literal type the wire models use and as a tuple of its values (for checks, choices
# and completions); get_args keeps the two the same.
Role = Literal["owner", "admin", "member"]  # strongest first
Theme = Literal["light", "dark", "system"]
Unit = Literal["sms", "calls", "chat", "numbers"]
PlanId = Literal["connect", "interact", "transact"]  # cheapest first
InvitationStatus = Literal["pending", "accepted", "revoked", "expired"]
InviteLinkStatus = Literal["active", "revoked", "expired", "exhausted"]
ApiKeyStatus = Literal["active", "revoked", "expired"]
AccountStatus = Literal["open", "closed"]
SubscriptionStatus = Literal["active", "canceled"]
InvoiceStatus = Literal["paid", "open", "void"]
UsageStatus = Literal["paid", "unpaid"]
GroupBy = Literal["unit", "day", "week", "month"]  # of the usage summary
IntegrationStatus = Literal["enabled", "disabled"]
SettingType = Literal["string", "url", "email", "secret", "enum", "bool"]  # integration settings

ROLES: tuple[Role, ...] = get_args(Role)
THEMES: tuple[Theme, ...] = get_args(Theme)
UNITS: tuple[Unit, ...] = get_args(Unit)
PLANS: tuple[PlanId, ...] = get_args(PlanId)
INVITATION_STATUSES: tuple[InvitationStatus, ...] = get_args(InvitationStatus)
INVITE_LINK_STATUSES: tuple[InviteLinkStatus, ...] = get_args(InviteLinkStatus)
API_KEY_STATUSES: tuple[ApiKeyStatus, ...] = get_args(ApiKeyStatus)
ACCOUNT_STATUSES: tuple[AccountStatus, ...] = get_args(AccountStatus)
SUBSCRIPTION_STATUSES: tuple[SubscriptionStatus, ...] = get_args(SubscriptionStatus)
INVOICE_STATUSES: tuple[InvoiceStatus, ...] = get_args(InvoiceStatus)
USAGE_STATUSES: tuple[UsageStatus, ...] = get_args(UsageStatus)
GROUP_BY: tuple[GroupBy, ...] = get_args(GroupBy)
INTEGRATION_STATUSES: tuple[IntegrationStatus, ...] = get_args(IntegrationStatus)
SETTING_TYPES: tuple[SettingType, ...] = get_args(SettingType)
NOTIFICATION_KEYS = (
    "assigned_conversations",
    "assigned_tickets",
    "notes",
    "reminders",
    "inquiries",
)

# --- IDs and credentials --------------------------------------------------------------------
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
    # Made by the sandbox, never the ID of an object the API returns:
    "session": "ses_",
    "bot": "bot_",
    "avatar": "av_",
}
# Prefixes, not secrets: what a session token and an API key secret start with.
SESSION_TOKEN_PREFIX = "pst_"  # noqa: S105
API_KEY_SECRET_PREFIX = "sk_test_"  # noqa: S105


def id_pattern(kind: str) -> str:
    """The JSON Schema pattern of an ID of `kind` (a key of ID_PREFIXES)."""
    return f"^{ID_PREFIXES[kind]}[A-Za-z0-9]+$"


# --- Limits ---------------------------------------------------------------------------------
NAME_MAX = 100
TEXT_MAX = 500
TAX_ID_MAX = 50
EMAIL_MAX = 254
SETTING_VALUE_MAX = 2000  # one integration setting
PASSWORD_MIN = 10  # a new password; signing in accepts any existing one
PASSWORD_MAX = 1024
CODE_MAX = 64  # e-mailed, TOTP and recovery codes
AVATAR_MAX_BYTES = 5 * 1024 * 1024
INVITE_EMAILS_MAX = 100  # addresses in one invitation request
LINK_MAX_USES = 10_000  # of an invite link; 0 means unlimited
LINK_MAX_DAYS = 90  # how far ahead an invite link may expire
KEY_ROLL_GRACE_MAX_SECONDS = 7 * 24 * 3600  # how long a rolled API key's old secret may live
PAGE_LIMIT_MIN = 1
PAGE_LIMIT_MAX = 1000
PAGE_LIMIT_DEFAULT = 100
CURSOR_MAX = 500  # characters of a `starting_after` cursor

# --- Text -----------------------------------------------------------------------------------
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# The characters no free-text field may hold anywhere (leading and trailing included): the
# Unicode categories Cc (C0/C1 controls, incl. TAB/CR/LF/ESC), Cf (format: zero-width, bidi
# overrides, tags), Zl and Zp (line/paragraph separators), as of Unicode 14 (Python 3.11).
# Fixed here rather than read from `unicodedata` at run time so the rule, the OpenAPI patterns
# built from it and docs/openapi.json do not change with the Python version.
CONTROL_RANGES: tuple[tuple[int, int], ...] = (
    (0x0000, 0x001F), (0x007F, 0x009F), (0x00AD, 0x00AD), (0x0600, 0x0605), (0x061C, 0x061C),
    (0x06DD, 0x06DD), (0x070F, 0x070F), (0x0890, 0x0891), (0x08E2, 0x08E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x2028, 0x202E), (0x2060, 0x2064), (0x2066, 0x206F), (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD), (0x13430, 0x13438),
    (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0001, 0xE0001), (0xE0020, 0xE007F),
)  # fmt: skip
# What str.strip() removes once control characters are excluded: the space separators (Zs).
SPACE_CHARS = r"\u0020\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"


def _escape(cp: int) -> str:
    # \uXXXX and \UXXXXXXXX are read alike by Python's re and Rust's regex (the validators
    # schemathesis and most Python tools use); ECMA-262 readers see the BMP part the same way.
    return f"\\u{cp:04x}" if cp <= 0xFFFF else f"\\U{cp:08x}"


CONTROL_CLASS = "".join(
    _escape(lo) if lo == hi else f"{_escape(lo)}-{_escape(hi)}" for lo, hi in CONTROL_RANGES
)
_CONTROL_RE = re.compile(f"[{CONTROL_CLASS}\ud800-\udfff]")  # + lone surrogates (not text)


def bounded_text_pattern(max_length: int) -> str:
    """A JSON Schema pattern: 1..max_length characters once spaces are trimmed, no control
    characters anywhere. (maxLength cannot say "after trimming".)"""
    space, edge = f"[{SPACE_CHARS}]", f"[^{SPACE_CHARS}{CONTROL_CLASS}]"
    middle = f"[^{CONTROL_CLASS}]{{0,{max_length - 2}}}"
    return f"^{space}*{edge}(?:{middle}{edge})?{space}*$"


NAME_PATTERN = bounded_text_pattern(NAME_MAX)
NO_CONTROL_PATTERN = f"^[^{CONTROL_CLASS}]*$"
IDENTIFIER_PATTERN = r"^[a-z][a-z0-9_]{0,99}$"  # integration types and setting names
# Local part and domain without spaces, controls or a second "@"; a dot in the domain.
_EMAIL_CHAR = f"[^@\\s{CONTROL_CLASS}]"
EMAIL_PATTERN = f"^{_EMAIL_CHAR}+@{_EMAIL_CHAR}+\\.{_EMAIL_CHAR}+$"


def name_problem(value: str) -> str | None:
    """Why `value` is not an acceptable name (account, org, display name, key...), or None.

    Names are 1-100 characters after trimming, with no control characters.
    """
    return text_problem(value, NAME_MAX)


def has_control(value: str) -> bool:
    return _CONTROL_RE.search(value) is not None


def text_problem(value: str, max_length: int = TEXT_MAX) -> str | None:
    """Why `value` is not acceptable free text (an address, a legal name, a tax id, an
    integration setting...), or None: 1..max_length characters after trimming spaces, and no
    control character anywhere, leading and trailing ones included (a name read from a file
    with its newline is refused, not silently cut)."""
    if has_control(value):
        return "must not contain control characters"
    trimmed = value.strip()
    if not trimmed:
        return "must not be empty"
    if len(trimmed) > max_length:
        return f"must be at most {max_length} characters (got {len(trimmed)})"
    return None


def email_problem(value: str) -> str | None:
    """Why `value` is not a plausible e-mail address, or None."""
    if has_control(value):
        return "must not contain control characters"
    if len(value) > EMAIL_MAX or not EMAIL_RE.match(value):
        return "is not a valid e-mail address"
    return None
