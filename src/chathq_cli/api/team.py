from __future__ import annotations

from typing import Literal

from pydantic import Field

from chathq_cli.api import rules
from chathq_cli.api.common import Email, Request, Response, Role, Timestamp


class Member(Response):
    id: str = Field(pattern=rules.id_pattern("member"))
    object: Literal["member"] = "member"
    user_id: str
    email: str
    display_name: str
    role: Role
    joined_at: Timestamp


class MemberUpdate(Request):
    role: Role


InvitationStatus = rules.InvitationStatus


class Invitation(Response):
    id: str = Field(pattern=rules.id_pattern("invitation"))
    object: Literal["invitation"] = "invitation"
    email: str
    role: Role
    status: InvitationStatus
    created_at: Timestamp
    expires_at: Timestamp
    last_sent_at: Timestamp


class InvitationCreate(Request):
    emails: list[Email] = Field(min_length=1, max_length=rules.INVITE_EMAILS_MAX)
    role: Role = "member"


class InviteLink(Response):
    id: str = Field(pattern=rules.id_pattern("invite_link"))
    object: Literal["invite_link"] = "invite_link"
    url: str
    role: Role
    uses: int
    max_uses: int = Field(description="0 means unlimited")
    expires_at: Timestamp
    status: rules.InviteLinkStatus
    created_at: Timestamp


class InviteLinkCreate(Request):
    role: Role = "member"
    max_uses: int = Field(default=0, ge=0, le=rules.LINK_MAX_USES)
    expires_at: Timestamp | None = Field(
        default=None, description=f"At most {rules.LINK_MAX_DAYS} days ahead"
    )
