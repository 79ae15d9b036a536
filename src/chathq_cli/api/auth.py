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


class Session(Response):
    object: Literal["session"] = "session"
    token: str
    expires_at: Timestamp
    user: User


class PasswordResetRequest(Request):
    email: Email


class PasswordResetConfirm(Request):
    email: Email
    code: str = Field(min_length=1, max_length=rules.CODE_MAX)
    new_password: str = Field(min_length=rules.PASSWORD_MIN, max_length=rules.PASSWORD_MAX)


class Accepted(Response):
    object: Literal["accepted"] = "accepted"
