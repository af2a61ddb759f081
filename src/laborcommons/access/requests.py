"""Access requests: a signed-in reader asks for a discoverable dataset's rows with a purpose;
an owner or editor approves (creating a grant) or declines with a note. Both see the state."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import audit
from laborcommons.access.grants import add_grant, coverage
from laborcommons.access.models import AccessRequest, Grant, User
from laborcommons.access.policy import GRANTABLE_LEVELS, WRITING_ROLES, Reader
from laborcommons.access.refs import (
    DatasetRef,
    dataset_ref_by_id,
    dataset_slugs,
    datasets,
    find_dataset_ref,
    managed_dataset_ref,
    organization_ref,
    organization_slugs,
)
from laborcommons.access.schemas import (
    AccessRequestApproval,
    AccessRequestCreate,
    AccessRequestDecline,
    AccessRequestPublic,
    GrantCreate,
)
from laborcommons.core.db import utcnow
from laborcommons.core.errors import Conflict, Forbidden, InvalidInput, NotAuthenticated, NotFound


def request_access(
    slug: str, data: AccessRequestCreate, *, reader: Reader, session: Session
) -> AccessRequest:
    dataset = find_dataset_ref(slug, reader=reader, session=session)
    if reader.is_anonymous or reader.user_id is None:
        raise NotAuthenticated(f"sign in to ask for access to {slug!r}")
    if dataset.readable_by(reader):
        raise Conflict(f"you can already read the rows of {slug!r}")
    organization_id = None
    if data.organization:
        org = organization_ref(data.organization, session=session)
        if reader.role_in(org.id) is None:
            raise Forbidden(f"you are not a member of {org.slug!r}")
        organization_id = org.id
    pending = session.scalar(
        select(AccessRequest.id).where(
            AccessRequest.dataset_id == dataset.id,
            AccessRequest.requester_id == reader.user_id,
            AccessRequest.status == "pending",
        )
    )
    if pending:
        raise Conflict(f"you already have a pending request ({pending}) for {slug!r}")
    request = AccessRequest(
        dataset_id=dataset.id,
        requester_id=reader.user_id,
        organization_id=organization_id,
        purpose=data.purpose.strip(),
    )
    session.add(request)
    session.flush()
    _record(request, dataset, "request.create", reader=reader, session=session)
    return request


def _decidable(
    request_id: int, *, reader: Reader, session: Session
) -> tuple[AccessRequest, DatasetRef]:
    request = session.get(AccessRequest, request_id)
    if request is None:
        raise NotFound(f"no access request {request_id}")
    dataset = dataset_ref_by_id(request.dataset_id, session=session)
    try:
        managed_dataset_ref(dataset.slug, reader=reader, session=session)
    except NotFound:
        raise NotFound(f"no access request {request_id}") from None
    if request.status != "pending":
        raise Conflict(f"access request {request_id} was already {request.status}")
    return request, dataset


def approve_request(
    request_id: int, data: AccessRequestApproval, *, reader: Reader, session: Session
) -> AccessRequest:
    """Approve by granting the requester (or the organization they asked for) the rows."""
    request, dataset = _decidable(request_id, reader=reader, session=session)
    if dataset.level not in GRANTABLE_LEVELS:
        raise Conflict(
            f"{dataset.slug!r} is {dataset.level}: {dataset.level} datasets are readable by "
            "members only, so a grant would give no access; move the dataset to named "
            "(or group) to share it, then approve",
            details={"level": dataset.level, "grantable_levels": sorted(GRANTABLE_LEVELS)},
        )
    grant = GrantCreate(
        agreement=data.agreement,
        purpose=request.purpose,
        expires_at=data.expires_at,
        versions=data.versions,
    )
    if data.grantee == "organization":
        if request.organization_id is None:
            raise InvalidInput(
                "this request was made for the requester alone; grant to the user",
                details={"field": "grantee"},
            )
        grant.organization = organization_slugs({request.organization_id}, session=session)[
            request.organization_id
        ]
    else:
        requester = session.get(User, request.requester_id)
        grant.user = requester.email if requester else None
    created = add_grant(dataset, grant, reader=reader, session=session)
    request.status, request.grant_id, request.note = "approved", created.id, data.note.strip()
    request.decided_by, request.decided_at = audit.actor_name(reader), utcnow()
    _record(request, dataset, "request.approve", reader=reader, session=session)
    return request


def decline_request(
    request_id: int, data: AccessRequestDecline, *, reader: Reader, session: Session
) -> AccessRequest:
    request, dataset = _decidable(request_id, reader=reader, session=session)
    request.status, request.note = "declined", data.note.strip()
    request.decided_by, request.decided_at = audit.actor_name(reader), utcnow()
    _record(request, dataset, "request.decline", reader=reader, session=session)
    return request


def _record(
    request: AccessRequest, dataset: DatasetRef, action: str, *, reader: Reader, session: Session
) -> None:
    session.flush()
    audit.record(
        session,
        actor=reader,
        action=action,
        organization_id=dataset.owner_id,
        dataset_id=dataset.id,
        level=dataset.level,
        purpose=request.purpose,
        outcome=request.status,
        details={
            "request": request.id,
            "slug": dataset.slug,
            "grant": request.grant_id,
            "note": request.note,
        },
    )


def my_requests(*, reader: Reader, session: Session) -> list[AccessRequestPublic]:
    """The requester's side: every request they made, with its state and the owner's note."""
    if reader.user_id is None:
        raise NotAuthenticated("sign in to see your access requests")
    requests = session.scalars(
        select(AccessRequest)
        .where(AccessRequest.requester_id == reader.user_id)
        .order_by(AccessRequest.id.desc())
    )
    return request_publics(list(requests), session=session)


def dataset_requests(slug: str, *, reader: Reader, session: Session) -> list[AccessRequestPublic]:
    """The owner's side: every request for one of their datasets."""
    dataset = managed_dataset_ref(slug, reader=reader, session=session)
    requests = session.scalars(
        select(AccessRequest)
        .where(AccessRequest.dataset_id == dataset.id)
        .order_by(AccessRequest.id.desc())
    )
    return request_publics(list(requests), session=session)


def request_publics(
    requests: list[AccessRequest], *, session: Session
) -> list[AccessRequestPublic]:
    ids = {r.dataset_id for r in requests}
    grant_ids = {r.grant_id for r in requests if r.grant_id}
    covers = {
        grant_id: coverage(versions)
        for grant_id, versions in session.execute(
            select(Grant.id, Grant.versions).where(Grant.id.in_(grant_ids))
        )
    }
    titles = dict(
        session.execute(select(datasets.c.id, datasets.c.title).where(datasets.c.id.in_(ids))).all()
    )
    slugs = dataset_slugs(ids, session=session)
    orgs = organization_slugs(
        {r.organization_id for r in requests if r.organization_id}, session=session
    )
    users = dict(
        session.execute(
            select(User.id, User.email).where(User.id.in_({r.requester_id for r in requests}))
        ).all()
    )
    return [
        AccessRequestPublic(
            id=r.id,
            dataset=slugs[r.dataset_id],
            dataset_title=titles[r.dataset_id],
            requester=users.get(r.requester_id, "?"),
            organization=orgs.get(r.organization_id) if r.organization_id else None,
            purpose=r.purpose,
            status=r.status,
            note=r.note,
            grant_id=r.grant_id,
            grant_covers=covers.get(r.grant_id) if r.grant_id else None,
            decided_by=r.decided_by,
            decided_at=r.decided_at,
            created_at=r.created_at,
        )
        for r in requests
    ]


def requests_to_decide(*, reader: Reader, session: Session) -> list[AccessRequestPublic]:
    """Requests for every dataset this reader manages (owner/editor; all for the admin)."""
    if reader.user_id is None and not reader.is_admin:
        raise NotAuthenticated("sign in to see access requests")
    query = select(AccessRequest).join(datasets, datasets.c.id == AccessRequest.dataset_id)
    if not reader.is_admin:
        managed = sorted(org for org, role in reader.roles.items() if role in WRITING_ROLES)
        query = query.where(datasets.c.organization_id.in_(managed))
    ordered = query.order_by(AccessRequest.status != "pending", AccessRequest.id.desc())
    return request_publics(list(session.scalars(ordered)), session=session)
