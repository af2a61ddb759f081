"""Grants: who besides the owner may read a dataset's rows, under which agreement, until when.

A grant is never deleted: revoking stamps ``revoked_at``, so the history stays readable.
Which grants are active is computed when a Reader is built (once per request), never cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import audit
from laborcommons.access.groups import get_group
from laborcommons.access.models import Grant, Group, GroupMember, User
from laborcommons.access.policy import Reader
from laborcommons.access.refs import (
    DatasetRef,
    dataset_ref_by_id,
    dataset_version_numbers,
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


@dataclass(frozen=True)
class ActiveGrants:
    """What the grants active now open to one user, split as the Reader holds it."""

    named: frozenset[int] = frozenset()
    group: frozenset[int] = frozenset()
    named_versions: dict[int, frozenset[int]] = field(default_factory=dict)
    group_versions: dict[int, frozenset[int]] = field(default_factory=dict)


def _split(
    rows: list[tuple[int, list[int] | None]],
) -> tuple[frozenset[int], dict[int, frozenset[int]]]:
    """Datasets granted in every version, and the version numbers of the others."""
    every = frozenset(dataset for dataset, versions in rows if versions is None)
    some: dict[int, set[int]] = {}
    for dataset, versions in rows:
        if versions is not None and dataset not in every:
            some.setdefault(dataset, set()).update(versions)
    return every, {dataset: frozenset(numbers) for dataset, numbers in some.items()}


def active_grants(
    user_id: int, email: str, organization_ids: set[int], *, session: Session
) -> ActiveGrants:
    """Datasets (and versions) open to this user now, by named and by group grants.

    A user grant names an e-mail, so one made before the account existed works from the
    account's first request."""
    now = utcnow()
    named_to = [Grant.grantee_user_id == user_id, Grant.grantee_email == email]
    if organization_ids:
        named_to.append(Grant.grantee_organization_id.in_(sorted(organization_ids)))
    columns = select(Grant.dataset_id, Grant.versions).where(active_clause(now))
    named = [(d, v) for d, v in session.execute(columns.where(or_(*named_to)))]
    group: list[tuple[int, list[int] | None]] = []
    if organization_ids:
        groups = select(GroupMember.group_id).where(
            GroupMember.organization_id.in_(sorted(organization_ids))
        )
        group = [(d, v) for d, v in session.execute(columns.where(Grant.group_id.in_(groups)))]
    named_every, named_some = _split(named)
    group_every, group_some = _split(group)
    return ActiveGrants(named_every, group_every, named_some, group_some)


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
        return _user_grantee(data.user, session)
    return {"group_id": get_group(str(data.group), session=session).id}


def _user_grantee(raw: str, session: Session) -> dict[str, Any]:
    """The same answer whether or not the e-mail has an account: the granter (an editor)
    must not learn who has one. Without an account the grant waits for it."""
    email = raw.strip().lower()
    user_id = session.scalar(select(User.id).where(User.email == email))
    return {"grantee_email": email, "grantee_user_id": user_id}


def checked_versions(
    dataset: DatasetRef, versions: list[int] | None, *, session: Session
) -> list[int] | None:
    """Sorted distinct version numbers the dataset has; a number it lacks is refused."""
    if versions is None:
        return None
    existing = dataset_version_numbers(dataset.id, session=session)
    missing = sorted(set(versions) - existing)
    if missing:
        raise InvalidInput(
            f"dataset {dataset.slug!r} has no version(s) {', '.join(map(str, missing))}",
            details={"field": "versions", "missing": missing, "versions": sorted(existing)},
        )
    return sorted(set(versions))


def coverage(versions: list[int] | None) -> str:
    """What a grant opens, in words shown wherever a grant is made or approved."""
    if versions is None:
        return "every version of the dataset, including versions uploaded later"
    listed = ", ".join(str(number) for number in versions)
    return f"version{'s' if len(versions) > 1 else ''} {listed} only"


def add_grant(dataset: DatasetRef, data: GrantCreate, *, reader: Reader, session: Session) -> Grant:
    """Create a grant on a dataset the caller already checked is theirs to manage."""
    starts = data.starts_at or utcnow()
    if data.expires_at is not None and data.expires_at <= starts:
        raise InvalidInput(
            f"the grant would expire ({data.expires_at.isoformat()}) before it starts "
            f"({starts.isoformat()})",
            details={"field": "expires_at"},
        )
    versions = checked_versions(dataset, data.versions, session=session)
    grant = Grant(
        dataset_id=dataset.id,
        agreement=data.agreement.strip(),
        purpose=data.purpose.strip(),
        starts_at=starts,
        expires_at=data.expires_at,
        created_by=audit.actor_name(reader),
        versions=versions,
        **_grantee(data, session),
    )
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
        session,
        actor=reader,
        action=action,
        organization_id=dataset.owner_id,
        dataset_id=dataset.id,
        level=dataset.level,
        purpose=grant.purpose or None,
        details={
            "grant": grant.id,
            "slug": dataset.slug,
            "agreement": grant.agreement,
            "grantee_organization_id": grant.grantee_organization_id,
            "grantee_user": grant.grantee_email,
            "group_id": grant.group_id,
            "versions": grant.versions,
            "starts_at": grant.starts_at.isoformat(),
            "expires_at": grant.expires_at.isoformat() if grant.expires_at else None,
        },
    )


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
    group_ids = {g.group_id for g in grants if g.group_id}
    groups = dict(
        session.execute(select(Group.id, Group.slug).where(Group.id.in_(group_ids))).all()
    )
    now = utcnow()
    result = []
    for grant in grants:
        if grant.grantee_organization_id:
            kind, name = "organization", orgs[grant.grantee_organization_id]
        elif grant.grantee_email:
            kind, name = "user", grant.grantee_email
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
                versions=grant.versions,
                covers=coverage(grant.versions),
            )
        )
    return result


def grant_public(grant: Grant, *, session: Session) -> GrantPublic:
    dataset = dataset_ref_by_id(grant.dataset_id, session=session)
    return grant_publics([grant], dataset=dataset, session=session)[0]
