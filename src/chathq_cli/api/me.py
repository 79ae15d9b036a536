from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import Bool, Email, Name, Omittable, Request, Response, Timestamp

Theme = rules.Theme


class Notifications(Response):
    """E-mail notification preferences (in-app alerts are not affected)."""

    assigned_conversations: bool = True
    assigned_tickets: bool = True
    notes: bool = True
    reminders: bool = True
    inquiries: bool = True


class NotificationsUpdate(Request):
    assigned_conversations: Omittable[Bool] = None
    assigned_tickets: Omittable[Bool] = None
    notes: Omittable[Bool] = None
    reminders: Omittable[Bool] = None
    inquiries: Omittable[Bool] = None


class User(Response):
    id: str = Field(pattern=rules.id_pattern("user"))
    object: Literal["user"] = "user"
    email: str
    display_name: str
    theme: Theme = "system"
    notifications: Notifications
    avatar_url: str | None = None
    totp_enabled: bool = False
    pending_email: str | None = None
    default_account_id: str | None = None
    created_at: Timestamp


class MeUpdate(Request):
    display_name: Omittable[Name] = None
    theme: Omittable[Theme] = None
    notifications: Omittable[NotificationsUpdate] = None


class EmailChange(Request):
    new_email: Email
    password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX)
    totp_code: str | None = Field(default=None, max_length=rules.CODE_MAX)


class EmailConfirm(Request):
    code: str = Field(min_length=1, max_length=rules.CODE_MAX)


class PasswordChange(Request):
    current_password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX)
    new_password: str = Field(min_length=rules.PASSWORD_MIN, max_length=rules.PASSWORD_MAX)
    totp_code: str | None = Field(default=None, max_length=rules.CODE_MAX)


class TotpEnrollment(Response):
    object: Literal["totp_enrollment"] = "totp_enrollment"
    secret: str
    otpauth_uri: str


class TotpVerify(Request):
    code: str = Field(min_length=1, max_length=rules.CODE_MAX)


class RecoveryCodes(Response):
    object: Literal["recovery_codes"] = "recovery_codes"
    recovery_codes: list[str]


class TotpDisable(Request):
    password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX)
    totp_code: str = Field(min_length=1, max_length=rules.CODE_MAX)


class RecoveryCodesCreate(Request):
    """Regenerating recovery codes is a sensitive change: it invalidates the old ones."""

    password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX)
    totp_code: str = Field(min_length=1, max_length=rules.CODE_MAX)


class UserDelete(Request):
    password: str = Field(min_length=1, max_length=rules.PASSWORD_MAX)
    totp_code: str | None = Field(default=None, max_length=rules.CODE_MAX)
    confirm_email: Email
