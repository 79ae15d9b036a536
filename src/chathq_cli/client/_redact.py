"""Redaction for `--debug` lines: no token, password, TOTP code or secret may reach stderr.

Three layers, because one is never enough: sensitive headers and JSON keys are masked by name;
anything that looks like a portal token (`pst_...`, `sk_...`) is masked by shape; and the
client's own bearer token is masked wherever it appears verbatim. URLs get the same care
wherever they appear (request line, JSON values, free text): a join link or a billing-portal
link is a bearer credential in its path, so the secret segment and secret query values go.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote

REDACTED = "[redacted]"
BODY_LIMIT = 500

SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
# Matched as whole keys...
SENSITIVE_KEYS = frozenset(
    {"code", "totp_code", "recovery_codes", "otpauth_uri", "api_key", "authorization"}
)
# ...and as parts of keys (`new_password`, `bot_token`, `client_secret`, ...).
SENSITIVE_KEY_PARTS = ("password", "token", "secret")
TOKEN_SHAPE = re.compile(r"(?<![A-Za-z0-9])(?:pst|sk)_[A-Za-z0-9_\-]{8,}")

# Query (and fragment) keys whose value is a credential, on top of the sensitive JSON keys:
# one-time codes, API keys and the signatures of pre-signed URLs (`X-Amz-Signature`).
SENSITIVE_QUERY_KEYS = frozenset({"code", "key", "sig", "signature", "otp", "auth"})
SENSITIVE_QUERY_KEY_PARTS = ("signature", "credential")
# The segment after these is the secret itself: `/join/<token>`, `/billing/portal/<token>`.
SECRET_PATH_WORDS = frozenset({"join", "portal"})
# A path segment that was generated rather than named: long, URL-safe, with a digit or a capital
# (`token_urlsafe` output, hex digests). Object IDs (`acct_` + 16 hex) are what a debugging user
# looks for, so they stay.
SECRET_SEGMENT = re.compile(r"^(?=[A-Za-z0-9_\-]*[A-Z0-9])[A-Za-z0-9_\-]{16,}$")
OBJECT_ID = re.compile(r"^[a-z]+_[0-9a-f]{16}$")
# A URL in free text; trailing punctuation belongs to the sentence, not the URL.
URL_IN_TEXT = re.compile(r"https?://[^\s\"'<>]*[^\s\"'<>.,;:!?)\]}]")


def is_sensitive_key(key: str) -> bool:
    lowered = key.lower()
    return lowered in SENSITIVE_KEYS or any(part in lowered for part in SENSITIVE_KEY_PARTS)


def redact_json(value: Any, *, in_error: bool = False) -> Any:
    """A copy of a JSON value with sensitive fields masked.

    The error envelope's `code` (`totp_required`, ...) is what a debugging user needs, so it
    is kept there; everywhere else `code` is a one-time code and masked.
    """
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for key, item in value.items():
            if key == "code" and in_error and isinstance(item, str):
                result[key] = item
            elif is_sensitive_key(str(key)) and item is not None:
                result[key] = REDACTED
            else:
                result[key] = redact_json(item, in_error=key == "error")
        return result
    if isinstance(value, list):
        return [redact_json(item, in_error=in_error) for item in value]
    if isinstance(value, str):
        return redact_urls(value)
    return value


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (name, REDACTED if name.lower() in SENSITIVE_HEADERS else value) for name, value in headers
    ]


def redact_url(url: str) -> str:
    """`url` with its secret parts masked: the password of its user info, a token-shaped path
    segment (or the one after `/join/`, `/portal/`), and the values of sensitive query and
    fragment keys (`?token=`, `?code=`, `#access_token=`). The rest is kept byte for byte.

    Split by hand rather than with urlsplit, which rejects some of what it would be shown (a
    bracketed marker in the user info of an already masked URL, a malformed IPv6 host).
    """
    rest, hash_sign, fragment = url.partition("#")
    rest, question_mark, query = rest.partition("?")
    scheme, slashes, rest = rest.rpartition("://") if "://" in rest else ("", "", rest)
    authority, slash, path = rest.partition("/") if slashes else ("", "", rest)
    user, at, host = authority.rpartition("@")
    if at and ":" in user:
        authority = f"{user.partition(':')[0]}:{REDACTED}@{host}"
    if "=" in fragment:
        fragment = _redact_pairs(fragment)
    elif _is_secret_segment(fragment):
        fragment = REDACTED
    return (
        f"{scheme}{slashes}{authority}{slash}{_redact_path(path)}"
        f"{question_mark}{_redact_pairs(query)}{hash_sign}{fragment}"
    )


def redact_urls(text: str) -> str:
    """`text` with every http(s) URL in it passed through redact_url."""
    if "://" not in text:
        return text
    return URL_IN_TEXT.sub(lambda match: redact_url(match.group()), text)


def _redact_path(path: str) -> str:
    segments = path.split("/")
    for index, segment in enumerate(segments):
        after_word = index > 0 and segments[index - 1].lower() in SECRET_PATH_WORDS
        # A raw "[" is never part of a path: it is the marker of a segment already masked.
        if segment and not segment.startswith("[") and (after_word or _is_secret_segment(segment)):
            segments[index] = REDACTED
    return "/".join(segments)


def _is_secret_segment(segment: str) -> bool:
    segment = unquote(segment)
    return bool(SECRET_SEGMENT.match(segment)) and not OBJECT_ID.match(segment)


def _redact_pairs(query: str) -> str:
    """Mask the values of sensitive keys in `a=1&b=2`, leaving the encoding of the rest alone."""
    if not query:
        return query
    pairs = []
    for pair in query.split("&"):
        key, sep, value = pair.partition("=")
        if sep and value and _is_sensitive_query_key(unquote(key.replace("+", " "))):
            pair = f"{key}={REDACTED}"
        pairs.append(pair)
    return "&".join(pairs)


def _is_sensitive_query_key(key: str) -> bool:
    lowered = key.lower()
    return (
        is_sensitive_key(key)
        or lowered in SENSITIVE_QUERY_KEYS
        or any(part in lowered for part in SENSITIVE_QUERY_KEY_PARTS)
    )


def describe_body(content: bytes, content_type: str, limit: int = BODY_LIMIT) -> str | None:
    """A redacted, truncated rendering of a body for the debug log; None when empty.

    Only JSON is ever shown; anything else (multipart uploads, PDFs) is described by size,
    because it cannot be redacted field by field.
    """
    if not content:
        return None
    if "json" not in content_type.lower():
        return f"[{len(content)} bytes of {content_type or 'unknown content'}]"
    try:
        parsed = json.loads(content)
    except ValueError:
        return f"[{len(content)} bytes of malformed JSON]"
    text = json.dumps(redact_json(parsed), ensure_ascii=False, separators=(",", ":"))
    if len(text) > limit:
        text = f"{text[:limit]}… ({len(text)} chars)"
    return text


class Redactor:
    """Masks known secret strings and token-shaped words in a finished debug line."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Longest first, so a secret containing another one is masked whole.
        self._secrets: list[str] = []
        self.add(secrets)

    def add(self, secrets: Iterable[str | None]) -> None:
        """Also mask these values (secret settings the caller knows about, whatever their key)."""
        found = set(self._secrets) | {s for s in secrets if s and len(s) >= 4}
        self._secrets = sorted(found, key=len, reverse=True)

    def __call__(self, line: str) -> str:
        for secret in self._secrets:
            line = line.replace(secret, REDACTED)
        return TOKEN_SHAPE.sub(REDACTED, redact_urls(line))
