"""Passwords, tokens, TOTP and recovery codes for the sandbox.

Passwords are stored with scrypt (sandbox-sized parameters: n=2**14, r=8, p=1); session
tokens, API key secrets, recovery and e-mailed codes only as SHA-256 hashes. TOTP is RFC 6238
(HMAC-SHA1, 30 s steps) implemented here so the test-suite can check it against the RFC's own
test vectors.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import secrets
import struct
from datetime import datetime
from urllib.parse import quote

from chathq_cli.api.rules import API_KEY_SECRET_PREFIX, SESSION_TOKEN_PREFIX

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
TOTP_STEP = 30
TOTP_DIGITS = 6
RECOVERY_CODE_COUNT = 10


@functools.lru_cache(maxsize=64)
def _scrypt(password: str, salt: bytes) -> bytes:
    # Cached so re-seeding (`/_sandbox/reset`, one app per test) hashes the demo password once.
    return hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = _scrypt(password, salt)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    return hmac.compare_digest(_scrypt(password, salt).hex(), digest_hex)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_session_token() -> str:
    return SESSION_TOKEN_PREFIX + secrets.token_urlsafe(24)  # 24 bytes -> 32 URL-safe characters


def new_api_key_secret() -> str:
    return API_KEY_SECRET_PREFIX + secrets.token_urlsafe(24)


def new_code(digits: int = 6) -> str:
    """A short numeric code for e-mail (password reset, e-mail change)."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def new_link_token() -> str:
    return secrets.token_urlsafe(18)


# --- TOTP (RFC 6238) -------------------------------------------------------------------------


def new_totp_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def _secret_bytes(secret_b32: str) -> bytes:
    padded = secret_b32.upper() + "=" * (-len(secret_b32) % 8)
    return base64.b32decode(padded)


def hotp(key: bytes, counter: int, digits: int = TOTP_DIGITS) -> str:
    """RFC 4226 HOTP with HMAC-SHA1."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def totp_counter(at: datetime | float) -> int:
    seconds = at.timestamp() if isinstance(at, datetime) else at
    return int(seconds // TOTP_STEP)


def totp(secret: str | bytes, at: datetime | float, digits: int = TOTP_DIGITS) -> str:
    """The code for `at`. `secret` is base32 text (as enrolled) or the raw key bytes."""
    key = secret if isinstance(secret, bytes) else _secret_bytes(secret)
    return hotp(key, totp_counter(at), digits)


def totp_match(secret: str, code: str, at: datetime) -> int | None:
    """The counter (time step) `code` is valid for at `at`, ±1 step, or None."""
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == TOTP_DIGITS):
        return None
    key = _secret_bytes(secret)
    now = totp_counter(at)
    for counter in (now, now - 1, now + 1):
        if hmac.compare_digest(hotp(key, counter), code):
            return counter
    return None


def otpauth_uri(secret: str, email: str, issuer: str = "ChatHQ") -> str:
    label = quote(f"{issuer}:{email}")
    return (
        f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}"
        f"&algorithm=SHA1&digits={TOTP_DIGITS}&period={TOTP_STEP}"
    )


def new_recovery_codes() -> list[str]:
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return [
        "-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
        for _ in range(RECOVERY_CODE_COUNT)
    ]


def normalise_recovery_code(code: str) -> str:
    return code.strip().lower()
