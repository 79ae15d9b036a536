from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import Email, Request, Response, Timestamp
from chathq_cli.api.me import User


class SessionCreate(Request):
    email: Email
    password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX)
    totp_code: str | None = Field(default=None, max_length=rules.CODE_MAX)


EXPIRES_IN = (
    "Seconds until the session expires, by the server's clock: a client whose own clock is off"
    " judges expiry by this, not by comparing expires_at with its own time"
)


class Session(Response):
    object: Literal["session"] = "session"
    token: str
    expires_at: Timestamp
    expires_in: int = Field(ge=0, description=EXPIRES_IN)
    user: User


class CurrentSession(Response):
    """The session of the token in use (never the token itself)."""

    object: Literal["session"] = "session"
    created_at: Timestamp
    expires_at: Timestamp
    expires_in: int = Field(ge=0, description=EXPIRES_IN)


class PasswordResetRequest(Request):
    email: Email


class PasswordResetConfirm(Request):
    email: Email
    code: str = Field(min_length=1, max_length=rules.CODE_MAX)
    new_password: str = Field(min_length=rules.PASSWORD_MIN, max_length=rules.PASSWORD_MAX)


class Accepted(Response):
    object: Literal["accepted"] = "accepted"
