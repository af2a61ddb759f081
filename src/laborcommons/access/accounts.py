"""Self-service accounts: sign-up under the node's policy, password change and reset.

The web and the CLI call these; neither holds a rule of its own. ``signup`` is the node
setting: ``open`` (anyone), ``invitation`` (only with an invitation link, whose address
the new account takes) or ``closed`` (only the admin creates accounts).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access.links import IssuedLink, issue_link, open_link, same_email, use_link
from laborcommons.access.members import join_by_invitation
from laborcommons.access.models import User
from laborcommons.access.schemas import UserCreate
from laborcommons.access.service import authenticate_password, create_user, set_password
from laborcommons.core.errors import BadRequest, Forbidden

SIGNUP_POLICIES = ("open", "invitation", "closed")


def sign_up(
    data: UserCreate, *, policy: str, invitation: str | None = None, session: Session
) -> User:
    """Create an account (never an admin); with an invitation, join its organization too."""
    if policy == "closed":
        raise Forbidden("this node does not take sign-ups: ask its administrator for an account")
    link = open_link(invitation, "invite", session=session) if invitation else None
    if link is None and policy != "open":
        raise Forbidden("this node takes sign-ups by invitation only")
    if link is not None and not same_email(link, data.email):
        raise Forbidden("this invitation is for another e-mail address")
    if not data.password:
        raise BadRequest("a password needs at least 8 characters")
    user = create_user(data.model_copy(update={"is_admin": False}), session=session)
    if link is not None:
        join_by_invitation(link, user, session=session)
    return user


def change_password(user: User, current: str, new: str, *, session: Session) -> None:
    """Needs the current password, so a borrowed open session cannot take the account."""
    authenticate_password(user.email, current, session=session)
    set_password(user, new)


def request_password_reset(email: str, *, created_by: str, session: Session) -> IssuedLink | None:
    """A reset link for an existing account, else None: the caller answers both alike."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        return None
    return issue_link("reset", user.email, created_by=created_by, session=session)


def reset_password(token: str, password: str, *, session: Session) -> User:
    """Use the link once; the new password ends every session (``set_password``)."""
    link = open_link(token, "reset", session=session)
    user = session.scalar(select(User).where(User.email == link.email))
    if user is None:
        raise Forbidden("this account no longer exists")
    set_password(user, password)  # refuses a short password before the link is spent
    use_link(link, session=session)
    return user
