"""Use cases for users, memberships, passwords and API tokens. Never commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from laborcommons.access.audiences import question_datasets
from laborcommons.access.grants import ActiveGrants, active_grants
from laborcommons.access.models import ApiToken, Membership, User
from laborcommons.access.policy import ANONYMOUS, ROLES, Reader
from laborcommons.access.schemas import TokenCreated, UserCreate
from laborcommons.core.db import utcnow
from laborcommons.core.errors import BadRequest, Conflict, NotAuthenticated, NotFound

TOKEN_PREFIX = "lct_"  # noqa: S105 - a public prefix, not a secret
_hasher = PasswordHasher()


def hash_token(token: str) -> str:
    """Tokens carry 256 random bits, so a fast hash is enough (unlike passwords)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(data: UserCreate, *, session: Session) -> User:
    email = data.email.strip().lower()
    if session.scalar(select(User).where(User.email == email)):
        raise Conflict(f"a user with e-mail {email} already exists")
    user = User(
        email=email,
        name=data.name,
        is_admin=data.is_admin,
        password_hash=_hasher.hash(data.password) if data.password else None,
    )
    session.add(user)
    session.flush()
    return user


def get_user_by_email(email: str, *, session: Session) -> User:
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise NotFound(f"no user with e-mail {email}")
    return user


def add_membership(user: User, organization_id: int, role: str, *, session: Session) -> None:
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    existing = session.scalar(
        select(Membership).where(
            Membership.user_id == user.id, Membership.organization_id == organization_id
        )
    )
    if existing:
        existing.role = role
    else:
        session.add(Membership(user_id=user.id, organization_id=organization_id, role=role))
    session.flush()
    session.refresh(user)


def grant_role(user_id: int, organization_id: int, role: str, *, session: Session) -> None:
    """Give a user a role in an organization (used when a user registers an organization)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("no such user")
    add_membership(user, organization_id, role, session=session)


def set_password(user: User, password: str) -> None:
    """A new password also ends every web session: whoever knew the old one is signed out."""
    if len(password) < 8:
        raise BadRequest("a password needs at least 8 characters")
    user.password_hash = _hasher.hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every web session of ``user`` at once (sign-out, new password, revocation)."""
    user.session_generation = (user.session_generation or 0) + 1


def authenticate_password(email: str, password: str, *, session: Session) -> User:
    """Check e-mail and password; one message for both failures so e-mails don't leak."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    failure = NotAuthenticated("wrong e-mail or password")
    if user is None or user.password_hash is None:
        _hasher.hash(password)  # same cost as a real check, against timing probes
        raise failure
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise failure from None
    return user


TOUCH_EVERY = timedelta(minutes=1)  # "last used" is written at most once a minute per token


def create_token(
    user: User, *, name: str = "", expires_at: datetime | None = None, session: Session
) -> TokenCreated:
    if expires_at is not None and expires_at <= utcnow():
        raise BadRequest("a token's expiry must be in the future")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id,
        token_hash=hash_token(token),
        prefix=token[:12],
        name=name[:200],
        expires_at=expires_at,
    )
    session.add(row)
    session.flush()
    return TokenCreated(id=row.id, prefix=row.prefix, token=token)


def list_tokens(user: User, *, session: Session) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_own_token(user_id: int, token_id: int, *, session: Session) -> ApiToken:
    """Revoke one of your own tokens; another user's answers like a missing one."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user_id:
        raise NotFound("no such token")
    row.revoked_at = row.revoked_at or utcnow()
    return row


def revoke_token(token_or_prefix: str, *, session: Session) -> ApiToken:
    """Revoke by the full token or by its displayed prefix."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token_or_prefix)))
    if row is None:
        row = session.scalar(select(ApiToken).where(ApiToken.prefix == token_or_prefix))
    if row is None:
        raise NotFound("no such token")
    row.revoked_at = row.revoked_at or utcnow()
    return row


def reader_for_user(user: User) -> Reader:
    """Roles and the grants active right now; built per request, so never stale."""
    roles = {m.organization_id: m.role for m in user.memberships}
    session = object_session(user)
    grants = (
        active_grants(user.id, user.email, set(roles), session=session)
        if session is not None and not user.is_admin
        else ActiveGrants()
    )
    return Reader(
        user_id=user.id,
        email=user.email,
        is_admin=user.is_admin,
        roles=roles,
        named_grants=grants.named,
        group_grants=grants.group,
        named_versions=grants.named_versions,
        group_versions=grants.group_versions,
        question_datasets=(
            question_datasets(set(roles), session=session)
            if session is not None and not user.is_admin
            else frozenset()
        ),
    )


def anonymous_reader(*, session: Session) -> Reader:
    """Anyone: discovers the datasets whose questions are for anyone (metadata only)."""
    found = question_datasets(set(), session=session)
    return Reader(question_datasets=found) if found else ANONYMOUS


def reader_for_token(token: str | None, *, session: Session) -> Reader:
    """Resolve a bearer token; a missing token is anonymous, a bad one is an error."""
    if not token:
        return anonymous_reader(session=session)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    now = utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at and row.expires_at <= now):
        raise NotAuthenticated("invalid, expired or revoked API token")
    user = session.get(User, row.user_id)
    if user is None:
        raise NotAuthenticated("invalid, expired or revoked API token")
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        row.last_used_at = now  # at most one write a minute, however busy the token
    return reader_for_user(user)


def reader_for_user_id(user_id: int | None, *, generation: int | None, session: Session) -> Reader:
    """The reader of a web session; one opened before its user's sessions were ended (or
    naming no generation) is anonymous."""
    if user_id is None:
        return anonymous_reader(session=session)
    user = session.get(User, user_id)
    if user is None or generation is None or generation != user.session_generation:
        return anonymous_reader(session=session)
    return reader_for_user(user)


def signed_in_user(reader: Reader, *, session: Session) -> User:
    """The account behind a signed-in reader; anonymous readers are asked to sign in."""
    user = session.get(User, reader.user_id) if reader.user_id is not None else None
    if user is None:
        raise NotAuthenticated("sign in first")
    return user
