"""Grants: who besides the owner may read a dataset's rows, under which agreement, until when.

A grant is never deleted: revoking stamps ``revoked_at``, so the history stays readable.
Which grants are active is computed when a Reader is built (once per request), never cached.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import audit
from laborcommons.access.groups import get_group
from laborcommons.access.models import Grant, Group, GroupMember, User
from laborcommons.access.policy import Reader
from laborcommons.access.refs import (
    DatasetRef,
    dataset_ref_by_id,
    managed_dataset_ref,
    organization_ref,
    organization_slugs,
)
from laborcommons.access.schemas import GrantCreate, GrantPublic
from laborcommons.core.db import utcnow
from laborcommons.core.errors import InvalidInput, NotFound

GrantState = Literal["active", "scheduled", "expired", "revoked"]


def active_clause(now: datetime) -> ColumnElement[bool]:
    return and_(
        Grant.revoked_at.is_(None),
        Grant.starts_at <= now,
        or_(Grant.expires_at.is_(None), Grant.expires_at > now),
    )


def active_grant_sets(
    user_id: int, organization_ids: set[int], *, session: Session
) -> tuple[frozenset[int], frozenset[int]]:
    """Dataset ids open to this user now: (named grants, group grants)."""
    now = utcnow()
    named_to = [Grant.grantee_user_id == user_id]
    if organization_ids:
        named_to.append(Grant.grantee_organization_id.in_(sorted(organization_ids)))
    named = session.scalars(select(Grant.dataset_id).where(active_clause(now), or_(*named_to)))
    group: list[int] = []
    if organization_ids:
        groups = select(GroupMember.group_id).where(
            GroupMember.organization_id.in_(sorted(organization_ids))
        )
        group = list(
            session.scalars(
                select(Grant.dataset_id).where(active_clause(now), Grant.group_id.in_(groups))
            )
        )
    return frozenset(named), frozenset(group)


def grant_state(grant: Grant, now: datetime | None = None) -> GrantState:
    now = now or utcnow()
    if grant.revoked_at is not None:
        return "revoked"
    if grant.expires_at is not None and grant.expires_at <= now:
        return "expired"
    return "scheduled" if grant.starts_at > now else "active"


def _grantee(data: GrantCreate, session: Session) -> dict[str, int]:
    given = [k for k in ("organization", "user", "group") if getattr(data, k)]
    if len(given) != 1:
        raise InvalidInput(
            "name exactly one grantee: an organization, a user or a group",
            details={"fields": ["organization", "user", "group"], "given": given},
        )
    if data.organization:
        return {"grantee_organization_id": organization_ref(data.organization, session=session).id}
    if data.user:
        user = session.scalar(select(User).where(User.email == data.user.strip().lower()))
        if user is None:
            raise NotFound(f"no user with e-mail {data.user}")
        return {"grantee_user_id": user.id}
    return {"group_id": get_group(str(data.group), session=session).id}


def add_grant(dataset: DatasetRef, data: GrantCreate, *, reader: Reader, session: Session) -> Grant:
    """Create a grant on a dataset the caller already checked is theirs to manage."""
    starts = data.starts_at or utcnow()
    if data.expires_at is not None and data.expires_at <= starts:
        raise InvalidInput(
            f"the grant would expire ({data.expires_at.isoformat()}) before it starts "
            f"({starts.isoformat()})",
            details={"field": "expires_at"},
        )
    grant = Grant(
        dataset_id=dataset.id, agreement=data.agreement.strip(), purpose=data.purpose.strip(),
        starts_at=starts, expires_at=data.expires_at, created_by=audit.actor_name(reader),
        **_grantee(data, session),
    )  # fmt: skip
    session.add(grant)
    session.flush()
    _record(grant, dataset, "grant.create", reader=reader, session=session)
    return grant


def create_grant(slug: str, data: GrantCreate, *, reader: Reader, session: Session) -> Grant:
    dataset = managed_dataset_ref(slug, reader=reader, session=session)
    return add_grant(dataset, data, reader=reader, session=session)


def revoke_grant(grant_id: int, *, reader: Reader, session: Session) -> Grant:
    """Revoke at once; the grantee's next request no longer sees the rows."""
    grant = session.get(Grant, grant_id)
    if grant is None:
        raise NotFound(f"no grant {grant_id}")
    dataset = dataset_ref_by_id(grant.dataset_id, session=session)
    try:
        managed_dataset_ref(dataset.slug, reader=reader, session=session)
    except NotFound:
        raise NotFound(f"no grant {grant_id}") from None
    if grant.revoked_at is None:
        grant.revoked_at = utcnow()
        _record(grant, dataset, "grant.revoke", reader=reader, session=session)
    return grant


def _record(
    grant: Grant, dataset: DatasetRef, action: str, *, reader: Reader, session: Session
) -> None:
    audit.record(
        session, actor=reader, action=action, organization_id=dataset.owner_id,
        dataset_id=dataset.id, level=dataset.level, purpose=grant.purpose or None,
        details={
            "grant": grant.id, "slug": dataset.slug, "agreement": grant.agreement,
            "grantee_organization_id": grant.grantee_organization_id,
            "grantee_user_id": grant.grantee_user_id, "group_id": grant.group_id,
            "starts_at": grant.starts_at.isoformat(),
            "expires_at": grant.expires_at.isoformat() if grant.expires_at else None,
        },
    )  # fmt: skip


def list_grants(slug: str, *, reader: Reader, session: Session) -> list[GrantPublic]:
    dataset = managed_dataset_ref(slug, reader=reader, session=session)
    grants = list(
        session.scalars(select(Grant).where(Grant.dataset_id == dataset.id).order_by(Grant.id))
    )
    return grant_publics(grants, dataset=dataset, session=session)


def grant_publics(
    grants: list[Grant], *, dataset: DatasetRef, session: Session
) -> list[GrantPublic]:
    orgs = organization_slugs(
        {g.grantee_organization_id for g in grants if g.grantee_organization_id}, session=session
    )
    user_ids = {g.grantee_user_id for g in grants if g.grantee_user_id}
    users = dict(session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all())
    group_ids = {g.group_id for g in grants if g.group_id}
    groups = dict(
        session.execute(select(Group.id, Group.slug).where(Group.id.in_(group_ids))).all()
    )
    now = utcnow()
    result = []
    for grant in grants:
        if grant.grantee_organization_id:
            kind, name = "organization", orgs[grant.grantee_organization_id]
        elif grant.grantee_user_id:
            kind, name = "user", users[grant.grantee_user_id]
        else:
            kind, name = "group", groups[grant.group_id or 0]
        state = grant_state(grant, now)
        levels = {"group"} if kind == "group" else {"named", "group"}
        result.append(
            GrantPublic(
                id=grant.id,
                dataset=dataset.slug,
                grantee_kind=kind,
                grantee=name,
                agreement=grant.agreement,
                purpose=grant.purpose,
                starts_at=grant.starts_at,
                expires_at=grant.expires_at,
                revoked_at=grant.revoked_at,
                created_by=grant.created_by,
                created_at=grant.created_at,
                state=state,
                effective=state == "active" and dataset.level in levels,
            )
        )
    return result


def grant_public(grant: Grant, *, session: Session) -> GrantPublic:
    dataset = dataset_ref_by_id(grant.dataset_id, session=session)
    return grant_publics([grant], dataset=dataset, session=session)[0]
