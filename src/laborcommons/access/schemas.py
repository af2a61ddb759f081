"""Input and output shapes for users and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["owner", "editor", "viewer"]


class UserCreate(BaseModel):
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=320)
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
