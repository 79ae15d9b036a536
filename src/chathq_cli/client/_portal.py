"""PortalClient: typed methods for the portal's resources (SPEC §5), on top of HttpClient.

Request bodies are built with the wire models, so bad input fails here as a UsageError naming
the field, before anything is sent.

Each method imports the models it uses when it runs: building every pydantic model of the
API at import time costs more than a command's request (SPEC §7), and a command needs one or
two of them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from chathq_cli import errors
from chathq_cli.client._billing import BillingMethods
from chathq_cli.client._body import DateLike, body, date_param, seg
from chathq_cli.client._http import HttpClient
from chathq_cli.client._integrations import IntegrationMethods
from chathq_cli.client._me import MeMethods
from chathq_cli.client._team import TeamMethods

if TYPE_CHECKING:
    from chathq_cli.api.accounts import Account, Dashboard, Package
    from chathq_cli.api.auth import CurrentSession, Session
    from chathq_cli.api.billing import Plan, Subscription, SubscriptionPreview
    from chathq_cli.api.me import User
    from chathq_cli.api.orgs import Org
    from chathq_cli.api.usage import GroupBy, UsagePrice, UsageRecord, UsageStatus, UsageSummary


class PortalClient(TeamMethods, IntegrationMethods, BillingMethods, MeMethods, HttpClient):
    """The portal API, one method per operation the CLI needs.

    Auth, orgs, accounts, subscription reads and usage are here; the other resource groups
    come from the mixins (`_team.py`, `_integrations.py`, `_billing.py`, `_me.py`).
    """

    # --- auth ------------------------------------------------------------------------------

    def create_session(self, email: str, password: str, totp_code: str | None = None) -> Session:
        from chathq_cli.api.auth import Session, SessionCreate

        payload = body(SessionCreate, email=email, password=password, totp_code=totp_code)
        return self._parse(Session, self.request("POST", "/v1/auth/sessions", json=payload))

    def get_current_session(self) -> CurrentSession:
        from chathq_cli.api.auth import CurrentSession

        return self.get_model("/v1/auth/sessions/current", CurrentSession)

    def delete_current_session(self) -> None:
        self.request("DELETE", "/v1/auth/sessions/current")

    def request_password_reset(self, email: str) -> None:
        from chathq_cli.api.auth import PasswordResetRequest

        payload = body(PasswordResetRequest, email=email)
        self.request("POST", "/v1/auth/password_resets", json=payload)

    def confirm_password_reset(self, email: str, code: str, new_password: str) -> None:
        from chathq_cli.api.auth import PasswordResetConfirm

        payload = body(PasswordResetConfirm, email=email, code=code, new_password=new_password)
        self.request("POST", "/v1/auth/password_resets/confirm", json=payload)

    def get_me(self) -> User:
        from chathq_cli.api.me import User

        return self.get_model("/v1/me", User)

    # --- orgs ------------------------------------------------------------------------------

    def list_orgs(self) -> Iterator[Org]:
        from chathq_cli.api.orgs import Org

        return self.paginate("/v1/orgs", Org)

    def create_org(self, name: str) -> Org:
        from chathq_cli.api.orgs import Org, OrgCreate

        payload = body(OrgCreate, name=name)
        return self._parse(Org, self.request("POST", "/v1/orgs", json=payload))

    def get_org(self, org_id: str) -> Org:
        from chathq_cli.api.orgs import Org

        return self.get_model(f"/v1/orgs/{seg(org_id)}", Org)

    def update_org(self, org_id: str, **fields: str | None) -> Org:
        from chathq_cli.api.orgs import Org, OrgUpdate

        payload = body(OrgUpdate, **fields)
        if not payload:
            raise errors.UsageError("nothing to update: give at least one field")
        response = self.request("PATCH", f"/v1/orgs/{seg(org_id)}", json=payload)
        return self._parse(Org, response)

    # --- accounts --------------------------------------------------------------------------

    def list_accounts(self, org_id: str) -> Iterator[Account]:
        from chathq_cli.api.accounts import Account

        return self.paginate(f"/v1/orgs/{seg(org_id)}/accounts", Account)

    def create_account(self, org_id: str, name: str, plan: str = "connect") -> Account:
        from chathq_cli.api.accounts import Account
        from chathq_cli.api.orgs import AccountCreate

        payload = body(AccountCreate, name=name, plan=plan)
        response = self.request("POST", f"/v1/orgs/{seg(org_id)}/accounts", json=payload)
        return self._parse(Account, response)

    def get_account(self, account_id: str) -> Account:
        from chathq_cli.api.accounts import Account

        return self.get_model(f"/v1/accounts/{seg(account_id)}", Account)

    def rename_account(
        self, account_id: str, name: str, *, idempotency_key: str | None = None
    ) -> Account:
        from chathq_cli.api.accounts import Account, AccountUpdate

        payload = body(AccountUpdate, name=name)
        path = f"/v1/accounts/{seg(account_id)}"
        response = self.request("PATCH", path, json=payload, idempotency_key=idempotency_key)
        return self._parse(Account, response)

    def get_package(self, account_id: str) -> Package:
        from chathq_cli.api.accounts import Package

        return self.get_model(f"/v1/accounts/{seg(account_id)}/package", Package)

    def get_dashboard(self, account_id: str) -> Dashboard:
        from chathq_cli.api.accounts import Dashboard

        return self.get_model(f"/v1/accounts/{seg(account_id)}/dashboard", Dashboard)

    def close_account(
        self, account_id: str, *, confirm_name: str, password: str, totp_code: str | None = None
    ) -> Account:
        from chathq_cli.api.accounts import Account, AccountClose

        payload = body(
            AccountClose, confirm_name=confirm_name, password=password, totp_code=totp_code
        )
        response = self.request("POST", f"/v1/accounts/{seg(account_id)}/close", json=payload)
        return self._parse(Account, response)

    # --- billing ---------------------------------------------------------------------------

    def get_subscription(self, account_id: str) -> Subscription:
        from chathq_cli.api.billing import Subscription

        return self.get_model(f"/v1/accounts/{seg(account_id)}/subscription", Subscription)

    def preview_subscription(self, account_id: str, plan: str) -> SubscriptionPreview:
        from chathq_cli.api.billing import SubscriptionPreview

        return self.get_model(
            f"/v1/accounts/{seg(account_id)}/subscription/preview",
            SubscriptionPreview,
            params={"plan": plan},
        )

    def list_plans(self) -> list[Plan]:
        from chathq_cli.api.billing import Plan

        return list(self.paginate("/v1/plans", Plan))

    # --- usage -----------------------------------------------------------------------------

    def list_usage_prices(self) -> list[UsagePrice]:
        from chathq_cli.api.usage import UsagePrice

        return list(self.paginate("/v1/usage_prices", UsagePrice))

    def iter_usage_records(
        self,
        account_id: str,
        *,
        units: Iterable[str] = (),
        status: UsageStatus | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        limit: int | None = None,
        page_size: int = 1000,
        on_page: Callable[[int], None] | None = None,
    ) -> Iterator[UsageRecord]:
        """Usage records, newest first, streamed page by page (never held in memory)."""
        from chathq_cli.api.usage import UsageRecord

        return self.paginate(
            _usage_records_path(account_id),
            UsageRecord,
            params=_usage_filters(units, status, since, until),
            page_size=page_size,
            limit=limit,
            on_page=on_page,
        )

    def iter_usage_record_pages(
        self,
        account_id: str,
        *,
        units: Iterable[str] = (),
        status: UsageStatus | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        limit: int | None = None,
        page_size: int = 1000,
        starting_after: str | None = None,
        on_retry: Callable[[int, float, str], None] | None = None,
        whole_records: bool = True,
    ) -> Iterator[UsagePage]:
        """The API's usage record objects, newest first, in pages of up to `page_size`.

        Exports are the hot path (SPEC §7: 1,000,000 records within 1.3x of a bare paging
        loop's wall time and 1.5x its CPU), so the records are the dicts the API sent, each
        validated from the response's bytes (`_usage_pages.py`), never a model object.

        Each page carries the cursor that continues after it (`starting_after` of a later
        call), None on the last page and on one cut short by `limit`. Without
        `whole_records`, fields the API added after this version are left out (cheaper).
        """
        from chathq_cli.client._usage_pages import parse_usage_page

        size = page_size if limit is None else min(limit, page_size)
        left = limit
        pages = self.iter_pages(
            _usage_records_path(account_id),
            functools.partial(parse_usage_page, whole=whole_records),
            params=_usage_filters(units, status, since, until),
            page_size=size,
            starting_after=starting_after,
            on_retry=on_retry,
        )
        for records, cursor in pages:
            if left is not None and len(records) >= left:
                yield UsagePage(records[:left], None if len(records) > left else cursor)
                return
            if records:
                yield UsagePage(records, cursor)
            if left is not None:
                left -= len(records)

    def get_usage_summary(
        self,
        account_id: str,
        *,
        units: Iterable[str] = (),
        status: UsageStatus | None = None,
        since: DateLike | None = None,
        until: DateLike | None = None,
        group_by: GroupBy = "unit",
    ) -> UsageSummary:
        from chathq_cli.api.usage import UsageSummary

        params = [*_usage_filters(units, status, since, until), ("group_by", group_by)]
        return self.get_model(
            f"/v1/accounts/{seg(account_id)}/usage_summary", UsageSummary, params=params
        )


class UsagePage(list[dict[str, Any]]):
    """One page of usage records, and the cursor that continues after it (None: the end)."""

    def __init__(self, records: Iterable[dict[str, Any]], next_cursor: str | None) -> None:
        super().__init__(records)
        self.next_cursor = next_cursor


def _usage_records_path(account_id: str) -> str:
    return f"/v1/accounts/{seg(account_id)}/usage_records"


def _usage_filters(
    units: Iterable[str],
    status: str | None,
    since: DateLike | None,
    until: DateLike | None,
) -> list[tuple[str, Any]]:
    return [
        *(("unit", unit) for unit in units),
        ("status", status),
        ("since", date_param(since, "since")),
        ("until", date_param(until, "until")),
    ]
