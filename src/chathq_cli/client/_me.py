"""Personal settings of the signed-in user (`/v1/me*`); not available to API keys."""

from __future__ import annotations

from typing import Any

from chathq_cli.api.me import (
    EmailChange,
    EmailConfirm,
    MeUpdate,
    PasswordChange,
    RecoveryCodes,
    RecoveryCodesCreate,
    TotpDisable,
    TotpEnrollment,
    TotpVerify,
    User,
    UserDelete,
)
from chathq_cli.client._body import body
from chathq_cli.client._http import HttpClient


class MeMethods(HttpClient):
    def update_me(
        self,
        *,
        display_name: str | None = None,
        theme: str | None = None,
        notifications: dict[str, bool] | None = None,
    ) -> User:
        payload = body(
            MeUpdate, display_name=display_name, theme=theme, notifications=notifications
        )
        return self._parse(User, self.request("PATCH", "/v1/me", json=payload))

    def set_avatar(self, filename: str, data: bytes, content_type: str) -> User:
        """Upload an avatar (bytes, so a retry can send the same body again)."""
        files: Any = {"file": (filename, data, content_type)}
        return self._parse(User, self.request("PUT", "/v1/me/avatar", files=files))

    def remove_avatar(self) -> User:
        return self._parse(User, self.request("DELETE", "/v1/me/avatar"))

    def change_email(self, new_email: str, password: str, totp_code: str | None = None) -> User:
        payload = body(EmailChange, new_email=new_email, password=password, totp_code=totp_code)
        return self._parse(User, self.request("POST", "/v1/me/email", json=payload))

    def confirm_email(self, code: str) -> User:
        payload = body(EmailConfirm, code=code)
        return self._parse(User, self.request("POST", "/v1/me/email/confirm", json=payload))

    def change_password(
        self, current_password: str, new_password: str, totp_code: str | None = None
    ) -> User:
        payload = body(
            PasswordChange,
            current_password=current_password,
            new_password=new_password,
            totp_code=totp_code,
        )
        return self._parse(User, self.request("POST", "/v1/me/password", json=payload))

    def start_totp(self) -> TotpEnrollment:
        return self._parse(TotpEnrollment, self.request("POST", "/v1/me/totp"))

    def verify_totp(self, code: str) -> RecoveryCodes:
        payload = body(TotpVerify, code=code)
        return self._parse(RecoveryCodes, self.request("POST", "/v1/me/totp/verify", json=payload))

    def disable_totp(self, password: str, totp_code: str) -> User:
        payload = body(TotpDisable, password=password, totp_code=totp_code)
        return self._parse(User, self.request("DELETE", "/v1/me/totp", json=payload))

    def regenerate_recovery_codes(self, password: str, totp_code: str) -> RecoveryCodes:
        payload = body(RecoveryCodesCreate, password=password, totp_code=totp_code)
        response = self.request("POST", "/v1/me/recovery_codes", json=payload)
        return self._parse(RecoveryCodes, response)

    def delete_me(self, *, password: str, confirm_email: str, totp_code: str | None = None) -> None:
        payload = body(
            UserDelete, password=password, confirm_email=confirm_email, totp_code=totp_code
        )
        self.request("DELETE", "/v1/me", json=payload)
