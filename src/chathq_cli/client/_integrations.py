"""Integrations (catalog and per-account configuration) and account API keys.

Methods import their models when they run, as in `_portal.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chathq_cli.client._body import body, seg
from chathq_cli.client._http import HttpClient

if TYPE_CHECKING:
    from chathq_cli.api.integrations import Integration, IntegrationType
    from chathq_cli.api.keys import ApiKey


class IntegrationMethods(HttpClient):
    def list_integration_types(self) -> list[IntegrationType]:
        from chathq_cli.api.integrations import IntegrationType

        return list(self.paginate("/v1/integration_types", IntegrationType))

    def redact_in_debug(self, values: Iterable[str]) -> None:
        """Mask these values verbatim in the debug log: secret settings, whatever their key."""
        self._redact.add(values)

    def list_integrations(self, account_id: str) -> Iterator[Integration]:
        from chathq_cli.api.integrations import Integration

        return self.paginate(f"/v1/accounts/{seg(account_id)}/integrations", Integration)

    def get_integration(self, account_id: str, integration_id: str) -> Integration:
        from chathq_cli.api.integrations import Integration

        path = f"/v1/accounts/{seg(account_id)}/integrations/{seg(integration_id)}"
        return self.get_model(path, Integration)

    def create_integration(
        self,
        account_id: str,
        type: str,
        settings: Mapping[str, Any],
        *,
        idempotency_key: str | None = None,
    ) -> Integration:
        from chathq_cli.api.integrations import Integration, IntegrationCreate

        payload = body(IntegrationCreate, type=type, settings=dict(settings))
        path = f"/v1/accounts/{seg(account_id)}/integrations"
        response = self.request("POST", path, json=payload, idempotency_key=idempotency_key)
        return self._parse(Integration, response)

    def update_integration(
        self,
        account_id: str,
        integration_id: str,
        settings: Mapping[str, Any],
        *,
        idempotency_key: str | None = None,
    ) -> Integration:
        from chathq_cli.api.integrations import Integration, IntegrationUpdate

        payload = body(IntegrationUpdate, settings=dict(settings))
        path = f"/v1/accounts/{seg(account_id)}/integrations/{seg(integration_id)}"
        response = self.request("PATCH", path, json=payload, idempotency_key=idempotency_key)
        return self._parse(Integration, response)

    def enable_integration(
        self, account_id: str, integration_id: str, *, idempotency_key: str | None = None
    ) -> Integration:
        return self._integration_action(account_id, integration_id, "enable", idempotency_key)

    def disable_integration(
        self, account_id: str, integration_id: str, *, idempotency_key: str | None = None
    ) -> Integration:
        return self._integration_action(account_id, integration_id, "disable", idempotency_key)

    def delete_integration(
        self, account_id: str, integration_id: str, *, idempotency_key: str | None = None
    ) -> None:
        path = f"/v1/accounts/{seg(account_id)}/integrations/{seg(integration_id)}"
        self.request("DELETE", path, idempotency_key=idempotency_key)

    def list_api_keys(self, account_id: str) -> Iterator[ApiKey]:
        from chathq_cli.api.keys import ApiKey

        return self.paginate(f"/v1/accounts/{seg(account_id)}/api_keys", ApiKey)

    def create_api_key(
        self,
        account_id: str,
        name: str,
        *,
        expires_at: datetime | None = None,
        idempotency_key: str | None = None,
    ) -> ApiKey:
        """The new key; its `secret` is in this response only."""
        from chathq_cli.api.keys import ApiKey, ApiKeyCreate

        payload = body(ApiKeyCreate, name=name, expires_at=expires_at)
        path = f"/v1/accounts/{seg(account_id)}/api_keys"
        response = self.request("POST", path, json=payload, idempotency_key=idempotency_key)
        return self._parse(ApiKey, response)

    def revoke_api_key(
        self, account_id: str, key_id: str, *, idempotency_key: str | None = None
    ) -> ApiKey:
        from chathq_cli.api.keys import ApiKey

        path = f"/v1/accounts/{seg(account_id)}/api_keys/{seg(key_id)}/revoke"
        response = self.request("POST", path, idempotency_key=idempotency_key)
        return self._parse(ApiKey, response)

    def roll_api_key(self, account_id: str, key_id: str, *, old_expires_in: int = 0) -> ApiKey:
        """A new secret for the key; the old one keeps working for `old_expires_in` seconds."""
        from chathq_cli.api.keys import ApiKey, ApiKeyRoll

        payload = body(ApiKeyRoll, old_expires_in=old_expires_in)
        path = f"/v1/accounts/{seg(account_id)}/api_keys/{seg(key_id)}/roll"
        return self._parse(ApiKey, self.request("POST", path, json=payload))

    def _integration_action(
        self,
        account_id: str,
        integration_id: str,
        action: str,
        idempotency_key: str | None = None,
    ) -> Integration:
        from chathq_cli.api.integrations import Integration

        path = f"/v1/accounts/{seg(account_id)}/integrations/{seg(integration_id)}/{action}"
        response = self.request("POST", path, idempotency_key=idempotency_key)
        return self._parse(Integration, response)
