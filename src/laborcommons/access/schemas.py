"""Input and output shapes for users, tokens, groups, grants, requests and the trail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from laborcommons.core.schemas import Slug, StrictInput

Role = Literal["owner", "editor", "viewer"]


EMAIL = r"^\s*[^@\s]+@[^@\s]+\.[^@\s]+\s*$"
VersionNumber = Annotated[int, Field(ge=1, le=2**31 - 1)]


class UserCreate(StrictInput):
    email: str = Field(pattern=EMAIL, max_length=320)
    name: str = ""
    password: str | None = Field(default=None, min_length=8)
    is_admin: bool = False


class MembershipPublic(BaseModel):
    organization_id: int
    role: str


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    name: str
    is_admin: bool
    created_at: datetime


class TokenCreated(BaseModel):
    """The only time the plain token is shown."""

    id: int
    prefix: str
    token: str


class TokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    prefix: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    expires_at: datetime | None = None
    last_used_at: datetime | None = Field(
        default=None, description="when the token last authenticated (to the minute)"
    )


class TokenCreate(StrictInput):
    name: str = Field(default="", max_length=200, description="what the token is for")
    expires_at: datetime | None = Field(default=None, description="none: until revoked")


def as_utc(value: datetime | None) -> datetime | None:
    """Times without a zone are read as UTC, so every stored time is comparable."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class GroupCreate(StrictInput):
    slug: Slug
    name: str = Field(min_length=1, max_length=300)
    owner: str = Field(description="slug of the organization that owns the group")
    description: str = ""


class GroupPublic(BaseModel):
    slug: str
    name: str
    description: str
    owner: str
    members: list[str] = Field(description="slugs of the member organizations")
    created_at: datetime


class GrantCreate(StrictInput):
    """Exactly one grantee: an organization, a user (by e-mail) or a group."""

    organization: str | None = Field(default=None, description="grantee organization slug")
    user: str | None = Field(
        default=None,
        pattern=EMAIL,
        max_length=320,
        description="grantee user e-mail (the grant waits if no account has it yet)",
    )
    group: str | None = Field(default=None, description="grantee group slug")
    agreement: str = Field(default="", max_length=300, description="agreement reference")
    purpose: str = ""
    starts_at: datetime | None = None
    expires_at: datetime | None = None
    versions: list[VersionNumber] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="version numbers the grant opens; omitted: every version, including "
        "versions uploaded later",
    )

    _utc = field_validator("starts_at", "expires_at")(as_utc)


class GrantPublic(BaseModel):
    id: int
    dataset: str
    grantee_kind: Literal["organization", "user", "group"]
    grantee: str
    agreement: str
    purpose: str
    starts_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    created_by: str
    created_at: datetime
    state: Literal["active", "scheduled", "expired", "revoked"]
    effective: bool = Field(
        description="active, and the dataset's level lets this kind of grant read the rows"
    )
    versions: list[int] | None = Field(
        description="the version numbers it opens; null: every version, present and future"
    )
    covers: str = Field(description="what the grant opens, in words")


class AccessRequestCreate(StrictInput):
    purpose: str = Field(min_length=3, max_length=5000)
    organization: str | None = Field(
        default=None, description="ask on behalf of one of your organizations (slug)"
    )


class AccessRequestApproval(StrictInput):
    agreement: str = Field(min_length=1, max_length=300, description="agreement reference")
    expires_at: datetime
    note: str = ""
    grantee: Literal["user", "organization"] = "user"
    versions: list[VersionNumber] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="version numbers to open; omitted: every version, including later ones",
    )

    _utc = field_validator("expires_at")(as_utc)


class AccessRequestDecline(StrictInput):
    note: str = Field(min_length=1, max_length=5000)


class AccessRequestPublic(BaseModel):
    id: int
    dataset: str
    dataset_title: str
    requester: str
    organization: str | None
    purpose: str
    status: Literal["pending", "approved", "declined"]
    note: str
    grant_id: int | None
    grant_covers: str | None = Field(
        default=None, description="what the approval's grant opens, in words"
    )
    decided_by: str | None
    decided_at: datetime | None
    created_at: datetime


class AuditRecordPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    seq: int
    created_at: datetime
    actor: str
    action: str
    organization_id: int | None
    dataset_id: int | None
    version_id: int | None
    level: str | None
    purpose: str | None
    outcome: str
    details: dict[str, Any]
    hash: str


class AuditPage(BaseModel):
    items: list[AuditRecordPublic]
    total: int
    page: int
    page_size: int
    next: str | None = None
