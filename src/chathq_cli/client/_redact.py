"""Redaction for `--debug` lines: no token, password, TOTP code or secret may reach stderr.

Three layers, because one is never enough: sensitive headers and JSON keys are masked by name;
anything that looks like a portal token (`pst_...`, `sk_...`) is masked by shape; and the
client's own bearer token is masked wherever it appears verbatim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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
    return value


def redact_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (name, REDACTED if name.lower() in SENSITIVE_HEADERS else value) for name, value in headers
    ]


def redact_url(url: str) -> str:
    """Mask sensitive query parameters (`?token=...`)."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    masked = [(k, REDACTED if is_sensitive_key(k) else v) for k, v in pairs]
    return urlunsplit(parts._replace(query=urlencode(masked, safe="[]")))


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
        return TOKEN_SHAPE.sub(REDACTED, line)
