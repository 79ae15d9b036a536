"""Personal settings of the signed-in user (`/v1/me*`); not available to API keys.

Methods import their models when they run, as in `_portal.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chathq_cli.client._body import body
from chathq_cli.client._http import HttpClient

if TYPE_CHECKING:
    from chathq_cli.api.me import RecoveryCodes, TotpEnrollment, User


class MeMethods(HttpClient):
    def update_me(
        self,
        *,
        display_name: str | None = None,
        theme: str | None = None,
        notifications: dict[str, bool] | None = None,
    ) -> User:
        from chathq_cli.api.me import MeUpdate, User

        payload = body(
            MeUpdate, display_name=display_name, theme=theme, notifications=notifications
        )
        return self._parse(User, self.request("PATCH", "/v1/me", json=payload))

    def set_avatar(self, filename: str, data: bytes, content_type: str) -> User:
        """Upload an avatar (bytes, so a retry can send the same body again)."""
        from chathq_cli.api.me import User

        files: Any = {"file": (filename, data, content_type)}
        return self._parse(User, self.request("PUT", "/v1/me/avatar", files=files))

    def remove_avatar(self) -> User:
        from chathq_cli.api.me import User

        return self._parse(User, self.request("DELETE", "/v1/me/avatar"))

    def change_email(self, new_email: str, password: str, totp_code: str | None = None) -> User:
        from chathq_cli.api.me import EmailChange, User

        payload = body(EmailChange, new_email=new_email, password=password, totp_code=totp_code)
        return self._parse(User, self.request("POST", "/v1/me/email", json=payload))

    def confirm_email(self, code: str) -> User:
        from chathq_cli.api.me import EmailConfirm, User

        payload = body(EmailConfirm, code=code)
        return self._parse(User, self.request("POST", "/v1/me/email/confirm", json=payload))

    def change_password(
        self, current_password: str, new_password: str, totp_code: str | None = None
    ) -> User:
        from chathq_cli.api.me import PasswordChange, User

        payload = body(
            PasswordChange,
            current_password=current_password,
            new_password=new_password,
            totp_code=totp_code,
        )
        return self._parse(User, self.request("POST", "/v1/me/password", json=payload))

    def start_totp(self) -> TotpEnrollment:
        from chathq_cli.api.me import TotpEnrollment

        return self._parse(TotpEnrollment, self.request("POST", "/v1/me/totp"))

    def verify_totp(self, code: str) -> RecoveryCodes:
        from chathq_cli.api.me import RecoveryCodes, TotpVerify

        payload = body(TotpVerify, code=code)
        return self._parse(RecoveryCodes, self.request("POST", "/v1/me/totp/verify", json=payload))

    def disable_totp(self, password: str, totp_code: str) -> User:
        from chathq_cli.api.me import TotpDisable, User

        payload = body(TotpDisable, password=password, totp_code=totp_code)
        return self._parse(User, self.request("DELETE", "/v1/me/totp", json=payload))

    def regenerate_recovery_codes(self, password: str, totp_code: str) -> RecoveryCodes:
        from chathq_cli.api.me import RecoveryCodes, RecoveryCodesCreate

        payload = body(RecoveryCodesCreate, password=password, totp_code=totp_code)
        response = self.request("POST", "/v1/me/recovery_codes", json=payload)
        return self._parse(RecoveryCodes, response)

    def delete_me(self, *, password: str, confirm_email: str, totp_code: str | None = None) -> None:
        from chathq_cli.api.me import UserDelete

        payload = body(
            UserDelete, password=password, confirm_email=confirm_email, totp_code=totp_code
        )
        self.request("DELETE", "/v1/me", json=payload)
