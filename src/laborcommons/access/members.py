"""An organization's members: invitations by e-mail link, roles, leaving and removal.

Owners manage members (``may_manage_organization``); anyone may leave. An organization
always keeps an owner: the last one can neither leave, be removed nor be demoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborcommons.access.links import IssuedLink, issue_link, open_link, same_email, use_link
from laborcommons.access.models import Membership, OneTimeLink, User
from laborcommons.access.policy import ROLES, Reader, may_manage_organization
from laborcommons.access.schemas import EMAIL
from laborcommons.access.service import add_membership
from laborcommons.core.errors import BadRequest, Conflict, Forbidden, NotAuthenticated, NotFound

LAST_OWNER = "an organization needs an owner: make another member owner first"


@dataclass(frozen=True)
class OrganizationMember:
    user_id: int
    email: str
    name: str
    role: str


def require_owner(reader: Reader, organization_id: int) -> None:
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to manage members")
    if not may_manage_organization(reader, organization_id=organization_id):
        raise Forbidden("only the organization's owners manage its members")


def list_members(organization_id: int, *, session: Session) -> list[OrganizationMember]:
    rows = session.execute(
        select(User.id, User.email, User.name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organization_id == organization_id)
        .order_by(User.email)
    )
    return [OrganizationMember(user_id=i, email=e, name=n, role=r) for i, e, n, r in rows]


def invite_member(
    organization_id: int, email: str, role: str, *, reader: Reader, session: Session
) -> IssuedLink:
    require_owner(reader, organization_id)
    _check_role(role)
    address = email.strip().lower()
    if not re.fullmatch(EMAIL, address) or len(address) > 320:  # no header injection either
        raise BadRequest("give the e-mail address of the person to invite")
    return issue_link(
        "invite",
        address,
        created_by=reader.email or "admin",
        organization_id=organization_id,
        role=role,
        session=session,
    )


def accept_invitation(token: str, user: User, *, session: Session) -> int:
    """A signed-in user takes the invitation sent to their own address; the organization id."""
    link = open_link(token, "invite", session=session)
    if not same_email(link, user.email):
        raise Forbidden("this invitation is for another e-mail address")
    return join_by_invitation(link, user, session=session)


def join_by_invitation(link: OneTimeLink, user: User, *, session: Session) -> int:
    assert link.organization_id is not None and link.role is not None
    use_link(link, session=session)
    existing = _membership(link.organization_id, user.id, session=session)
    if existing is None or existing.role != "owner":  # an invitation never demotes an owner
        add_membership(user, link.organization_id, link.role, session=session)
    return link.organization_id


def set_member_role(
    organization_id: int, user_id: int, role: str, *, reader: Reader, session: Session
) -> None:
    require_owner(reader, organization_id)
    _check_role(role)
    membership = _require_membership(organization_id, user_id, session=session)
    if membership.role == "owner" and role != "owner":
        _keep_an_owner(organization_id, session=session)
    membership.role = role
    session.flush()


def remove_member(organization_id: int, user_id: int, *, reader: Reader, session: Session) -> None:
    """Owners remove anyone; every member may remove themself (leave)."""
    if reader.user_id != user_id:
        require_owner(reader, organization_id)
    membership = _require_membership(organization_id, user_id, session=session)
    if membership.role == "owner":
        _keep_an_owner(organization_id, session=session)
    session.delete(membership)
    session.flush()


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}, not {role!r}")


def _membership(organization_id: int, user_id: int, *, session: Session) -> Membership | None:
    return session.scalar(
        select(Membership).where(
            Membership.organization_id == organization_id, Membership.user_id == user_id
        )
    )


def _require_membership(organization_id: int, user_id: int, *, session: Session) -> Membership:
    membership = _membership(organization_id, user_id, session=session)
    if membership is None:
        raise NotFound("no such member")
    return membership


def _keep_an_owner(organization_id: int, *, session: Session) -> None:
    owners = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(Membership.organization_id == organization_id, Membership.role == "owner")
    )
    if (owners or 0) <= 1:
        raise Conflict(LAST_OWNER)
