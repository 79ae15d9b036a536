"""Team resources: members, invitations, invite links (admin on the account).

Methods import their models when they run, as in `_portal.py`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from chathq_cli.client._body import body, seg
from chathq_cli.client._http import HttpClient

if TYPE_CHECKING:
    from chathq_cli.api.team import Invitation, InviteLink, Member


class TeamMethods(HttpClient):
    def list_members(self, account_id: str) -> Iterator[Member]:
        from chathq_cli.api.team import Member

        return self.paginate(f"/v1/accounts/{seg(account_id)}/members", Member)

    def set_member_role(
        self, account_id: str, member_id: str, role: str, *, idempotency_key: str | None = None
    ) -> Member:
        from chathq_cli.api.team import Member, MemberUpdate

        payload = body(MemberUpdate, role=role)
        path = f"/v1/accounts/{seg(account_id)}/members/{seg(member_id)}"
        response = self.request("PATCH", path, json=payload, idempotency_key=idempotency_key)
        return self._parse(Member, response)

    def remove_member(
        self, account_id: str, member_id: str, *, idempotency_key: str | None = None
    ) -> None:
        path = f"/v1/accounts/{seg(account_id)}/members/{seg(member_id)}"
        self.request("DELETE", path, idempotency_key=idempotency_key)

    def list_invitations(
        self, account_id: str, *, status: str | None = None
    ) -> Iterator[Invitation]:
        from chathq_cli.api.team import Invitation

        return self.paginate(
            f"/v1/accounts/{seg(account_id)}/invitations", Invitation, params={"status": status}
        )

    def create_invitations(
        self,
        account_id: str,
        emails: Sequence[str],
        role: str = "member",
        *,
        idempotency_key: str | None = None,
    ) -> list[Invitation]:
        """One invitation per address; the response is a list object of them."""
        from chathq_cli.api.team import Invitation, InvitationCreate

        payload = body(InvitationCreate, emails=list(emails), role=role)
        path = f"/v1/accounts/{seg(account_id)}/invitations"
        response = self.request("POST", path, json=payload, idempotency_key=idempotency_key)
        return self._parse_list(Invitation, response)

    def revoke_invitation(
        self, account_id: str, invitation_id: str, *, idempotency_key: str | None = None
    ) -> Invitation:
        return self._invitation_action(account_id, invitation_id, "revoke", idempotency_key)

    def resend_invitation(self, account_id: str, invitation_id: str) -> Invitation:
        return self._invitation_action(account_id, invitation_id, "resend")

    def list_invite_links(self, account_id: str) -> Iterator[InviteLink]:
        from chathq_cli.api.team import InviteLink

        return self.paginate(f"/v1/accounts/{seg(account_id)}/invite_links", InviteLink)

    def create_invite_link(
        self,
        account_id: str,
        *,
        role: str = "member",
        max_uses: int = 0,
        expires_at: datetime | None = None,
    ) -> InviteLink:
        from chathq_cli.api.team import InviteLink, InviteLinkCreate

        payload = body(InviteLinkCreate, role=role, max_uses=max_uses, expires_at=expires_at)
        path = f"/v1/accounts/{seg(account_id)}/invite_links"
        return self._parse(InviteLink, self.request("POST", path, json=payload))

    def revoke_invite_link(self, account_id: str, link_id: str) -> InviteLink:
        from chathq_cli.api.team import InviteLink

        path = f"/v1/accounts/{seg(account_id)}/invite_links/{seg(link_id)}/revoke"
        return self._parse(InviteLink, self.request("POST", path))

    def _invitation_action(
        self, account_id: str, invitation_id: str, action: str, idempotency_key: str | None = None
    ) -> Invitation:
        from chathq_cli.api.team import Invitation

        path = f"/v1/accounts/{seg(account_id)}/invitations/{seg(invitation_id)}/{action}"
        response = self.request("POST", path, idempotency_key=idempotency_key)
        return self._parse(Invitation, response)
