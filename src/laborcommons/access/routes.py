"""HTTP routes of access: who am I."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from laborcommons.access.deps import ReaderDep

router = APIRouter()


class Me(BaseModel):
    authenticated: bool
    email: str | None
    is_admin: bool
    roles: dict[int, str]


@router.get("/me", summary="Who the bearer token belongs to", tags=["access"])
def me(reader: ReaderDep) -> Me:
    return Me(
        authenticated=not reader.is_anonymous,
        email=reader.email,
        is_admin=reader.is_admin,
        roles=reader.roles,
    )
