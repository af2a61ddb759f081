"""Groups (coalitions of organizations): the owner organization's owners manage members."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import audit
from laborcommons.access.models import Group, GroupMember
from laborcommons.access.policy import Reader, may_manage_organization
from laborcommons.access.refs import organization_ref, organization_slugs
from laborcommons.access.schemas import GroupCreate, GroupPublic
from laborcommons.core.errors import Conflict, Forbidden, NotAuthenticated, NotFound


def _require_manager(reader: Reader, organization_id: int, what: str) -> None:
    if may_manage_organization(reader, organization_id=organization_id):
        return
    if reader.is_anonymous:
        raise NotAuthenticated(f"sign in to manage {what}")
    raise Forbidden(f"only owners of the owning organization manage {what}")


def create_group(data: GroupCreate, *, reader: Reader, session: Session) -> Group:
    owner = organization_ref(data.owner, session=session)
    _require_manager(reader, owner.id, f"groups of {owner.slug!r}")
    if session.scalar(select(Group.id).where(Group.slug == data.slug)):
        raise Conflict(f"group {data.slug!r} already exists")
    group = Group(
        slug=data.slug,
        name=data.name,
        description=data.description,
        owner_organization_id=owner.id,
    )
    session.add(group)
    session.flush()
    session.add(GroupMember(group_id=group.id, organization_id=owner.id))
    audit.record(
        session,
        actor=reader,
        action="group.create",
        organization_id=owner.id,
        details={"group": group.slug},
    )
    session.flush()
    return group


def get_group(slug: str, *, session: Session) -> Group:
    group = session.scalar(select(Group).where(Group.slug == slug))
    if group is None:
        raise NotFound(f"no group {slug!r}")
    return group


def group_member_ids(group: Group, *, session: Session) -> set[int]:
    return set(
        session.scalars(select(GroupMember.organization_id).where(GroupMember.group_id == group.id))
    )


def set_group_member(
    slug: str, organization: str, *, member: bool, reader: Reader, session: Session
) -> Group:
    """Add (``member=True``) or remove an organization; takes effect on the next request."""
    group = get_group(slug, session=session)
    _require_manager(reader, group.owner_organization_id, f"members of group {slug!r}")
    org = organization_ref(organization, session=session)
    existing = session.scalar(
        select(GroupMember).where(
            GroupMember.group_id == group.id, GroupMember.organization_id == org.id
        )
    )
    if member and existing is None:
        session.add(GroupMember(group_id=group.id, organization_id=org.id))
    elif not member and existing is not None:
        if org.id == group.owner_organization_id:
            raise Conflict(f"{org.slug!r} owns group {slug!r} and stays a member")
        session.delete(existing)
    else:
        return group
    audit.record(
        session,
        actor=reader,
        action="group.member-add" if member else "group.member-remove",
        organization_id=group.owner_organization_id,
        details={"group": group.slug, "member": org.slug},
    )
    session.flush()
    return group


def group_public(group: Group, *, session: Session) -> GroupPublic:
    members = group_member_ids(group, session=session)
    slugs = organization_slugs(members | {group.owner_organization_id}, session=session)
    return GroupPublic(
        slug=group.slug,
        name=group.name,
        description=group.description,
        owner=slugs[group.owner_organization_id],
        members=sorted(slugs[i] for i in members),
        created_at=group.created_at,
    )


def list_groups(*, reader: Reader, session: Session) -> list[GroupPublic]:
    """Groups are known to signed-in users (to ask for, and to grant to)."""
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to see groups")
    groups = session.scalars(select(Group).order_by(Group.slug))
    return [group_public(g, session=session) for g in groups]
