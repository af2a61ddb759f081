"""HTTP routes of access: who am I, groups, grants, access requests, the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from laborcommons.access import audit, grants, groups, requests, service, trail
from laborcommons.access.deps import ReaderDep
from laborcommons.access.schemas import (
    AccessRequestApproval,
    AccessRequestCreate,
    AccessRequestDecline,
    AccessRequestPublic,
    AuditPage,
    GrantCreate,
    GrantPublic,
    GroupCreate,
    GroupPublic,
    TokenCreate,
    TokenCreated,
    TokenPublic,
    as_utc,
)
from laborcommons.core.deps import DbId, SessionDep
from laborcommons.core.errors import Forbidden, NotAuthenticated
from laborcommons.core.pagination import next_url

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


@router.get("/tokens", summary="Your API tokens (never the tokens themselves)", tags=["access"])
def list_tokens(reader: ReaderDep, session: SessionDep) -> list[TokenPublic]:
    user = service.signed_in_user(reader, session=session)
    return [TokenPublic.model_validate(t) for t in service.list_tokens(user, session=session)]


@router.post("/tokens", status_code=201, summary="Make an API token (shown once)", tags=["access"])
def create_token(data: TokenCreate, reader: ReaderDep, session: SessionDep) -> TokenCreated:
    user = service.signed_in_user(reader, session=session)
    return service.create_token(
        user, name=data.name, expires_at=as_utc(data.expires_at), session=session
    )


@router.post("/tokens/{token_id}/revoke", summary="Revoke one of your tokens", tags=["access"])
def revoke_token(token_id: DbId, reader: ReaderDep, session: SessionDep) -> TokenPublic:
    user = service.signed_in_user(reader, session=session)
    row = service.revoke_own_token(user.id, token_id, session=session)
    return TokenPublic.model_validate(row)


@router.get("/groups", summary="Groups (coalitions) and their members", tags=["groups"])
def list_groups(reader: ReaderDep, session: SessionDep) -> list[GroupPublic]:
    return groups.list_groups(reader=reader, session=session)


@router.post("/groups", status_code=201, summary="Create a group", tags=["groups"])
def create_group(data: GroupCreate, reader: ReaderDep, session: SessionDep) -> GroupPublic:
    group = groups.create_group(data, reader=reader, session=session)
    return groups.group_public(group, session=session)


@router.put(
    "/groups/{slug}/members/{organization}",
    summary="Add an organization to a group",
    tags=["groups"],
)
def add_group_member(
    slug: str, organization: str, reader: ReaderDep, session: SessionDep
) -> GroupPublic:
    group = groups.set_group_member(slug, organization, member=True, reader=reader, session=session)
    return groups.group_public(group, session=session)


@router.delete(
    "/groups/{slug}/members/{organization}",
    summary="Remove an organization from a group",
    tags=["groups"],
)
def remove_group_member(
    slug: str, organization: str, reader: ReaderDep, session: SessionDep
) -> GroupPublic:
    group = groups.set_group_member(
        slug, organization, member=False, reader=reader, session=session
    )
    return groups.group_public(group, session=session)


@router.get("/datasets/{slug}/grants", summary="A dataset's grants", tags=["grants"])
def list_grants(slug: str, reader: ReaderDep, session: SessionDep) -> list[GrantPublic]:
    return grants.list_grants(slug, reader=reader, session=session)


@router.post(
    "/datasets/{slug}/grants", status_code=201, summary="Grant a dataset's rows", tags=["grants"]
)
def create_grant(
    slug: str, data: GrantCreate, reader: ReaderDep, session: SessionDep
) -> GrantPublic:
    grant = grants.create_grant(slug, data, reader=reader, session=session)
    return grants.grant_public(grant, session=session)


@router.post("/grants/{grant_id}/revoke", summary="Revoke a grant at once", tags=["grants"])
def revoke_grant(grant_id: DbId, reader: ReaderDep, session: SessionDep) -> GrantPublic:
    grant = grants.revoke_grant(grant_id, reader=reader, session=session)
    return grants.grant_public(grant, session=session)


@router.post(
    "/datasets/{slug}/access-requests",
    status_code=201,
    summary="Ask for access to a discoverable dataset's rows",
    tags=["access requests"],
)
def request_access(
    slug: str, data: AccessRequestCreate, reader: ReaderDep, session: SessionDep
) -> AccessRequestPublic:
    created = requests.request_access(slug, data, reader=reader, session=session)
    return requests.request_publics([created], session=session)[0]


@router.get(
    "/datasets/{slug}/access-requests",
    summary="Access requests for a dataset (owners and editors)",
    tags=["access requests"],
)
def dataset_requests(
    slug: str, reader: ReaderDep, session: SessionDep
) -> list[AccessRequestPublic]:
    return requests.dataset_requests(slug, reader=reader, session=session)


@router.get("/access-requests", summary="My access requests", tags=["access requests"])
def my_requests(reader: ReaderDep, session: SessionDep) -> list[AccessRequestPublic]:
    return requests.my_requests(reader=reader, session=session)


@router.post(
    "/access-requests/{request_id}/approve",
    summary="Approve an access request (creates a grant)",
    tags=["access requests"],
)
def approve_request(
    request_id: DbId, data: AccessRequestApproval, reader: ReaderDep, session: SessionDep
) -> AccessRequestPublic:
    decided = requests.approve_request(request_id, data, reader=reader, session=session)
    return requests.request_publics([decided], session=session)[0]


@router.post(
    "/access-requests/{request_id}/decline",
    summary="Decline an access request with a note",
    tags=["access requests"],
)
def decline_request(
    request_id: DbId, data: AccessRequestDecline, reader: ReaderDep, session: SessionDep
) -> AccessRequestPublic:
    decided = requests.decline_request(request_id, data, reader=reader, session=session)
    return requests.request_publics([decided], session=session)[0]


@router.get("/datasets/{slug}/audit", summary="A dataset's audit trail", tags=["audit"])
def dataset_trail(
    request: Request,
    slug: str,
    reader: ReaderDep,
    session: SessionDep,
    action: str | None = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    result = trail.dataset_trail(
        slug, reader=reader, session=session, action=action, page=page, page_size=page_size
    )
    result.next = next_url(request, page=page, page_size=page_size, total=result.total)
    return result


class AuditVerification(BaseModel):
    ok: bool
    checked: int
    head_seq: int
    problems: list[str]


@router.get("/audit/verify", summary="Verify the trail's hash chain (node admin)", tags=["audit"])
def verify_trail(reader: ReaderDep, session: SessionDep) -> AuditVerification:
    if reader.is_anonymous:
        raise NotAuthenticated("sign in as the node admin to verify the trail")
    if not reader.is_admin:
        raise Forbidden("only the node admin verifies the whole trail")
    result = audit.verify(session)
    return AuditVerification(
        ok=result.ok, checked=result.checked, head_seq=result.head_seq, problems=result.problems
    )
