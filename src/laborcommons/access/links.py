"""One-time links (password reset, invitation): a random token shown once, its hash kept.

A link is used at most once and only before it expires. Looking one up hashes the token
and finds the row by that hash, so no stored secret is compared byte by byte; the e-mail a
link is bound to is compared with ``hmac.compare_digest``.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from laborcommons.access.models import OneTimeLink
from laborcommons.access.service import hash_token
from laborcommons.core.db import utcnow
from laborcommons.core.errors import NotFound

LIFETIMES = {"reset": timedelta(hours=24), "invite": timedelta(days=7)}
GONE = "this link is unknown, used or expired: ask for a new one"


@dataclass(frozen=True)
class IssuedLink:
    """The plain token (shown or sent once, never stored) and its row."""

    token: str
    link: OneTimeLink

    @property
    def path(self) -> str:
        return ("/password-reset/" if self.link.kind == "reset" else "/invitations/") + self.token


def issue_link(
    kind: str,
    email: str,
    *,
    created_by: str,
    organization_id: int | None = None,
    role: str | None = None,
    session: Session,
    now: datetime | None = None,
) -> IssuedLink:
    token = secrets.token_urlsafe(32)
    created = now or utcnow()
    link = OneTimeLink(
        kind=kind,
        token_hash=hash_token(token),
        email=email.strip().lower(),
        organization_id=organization_id,
        role=role,
        created_by=created_by,
        created_at=created,
        expires_at=created + LIFETIMES[kind],
    )
    session.add(link)
    session.flush()
    return IssuedLink(token=token, link=link)


def open_link(
    token: str, kind: str, *, session: Session, now: datetime | None = None
) -> OneTimeLink:
    """The unused, unexpired link of ``kind`` with this token, or 404 (one wording for all)."""
    link = session.scalar(select(OneTimeLink).where(OneTimeLink.token_hash == hash_token(token)))
    if link is None or link.kind != kind or link.used_at is not None:
        raise NotFound(GONE)
    if link.expires_at <= (now or utcnow()):
        raise NotFound(GONE)
    return link


def use_link(link: OneTimeLink, *, session: Session) -> None:
    """Mark the link used; a concurrent second use finds it taken and gets the 404."""
    taken = session.execute(
        update(OneTimeLink)
        .where(OneTimeLink.id == link.id, OneTimeLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound(GONE)
    session.refresh(link)


def same_email(link: OneTimeLink, email: str) -> bool:
    return hmac.compare_digest(link.email.encode(), email.strip().lower().encode())


def pending_invitations(organization_id: int, *, session: Session) -> list[OneTimeLink]:
    return list(
        session.scalars(
            select(OneTimeLink)
            .where(
                OneTimeLink.kind == "invite",
                OneTimeLink.organization_id == organization_id,
                OneTimeLink.used_at.is_(None),
                OneTimeLink.expires_at > utcnow(),
            )
            .order_by(OneTimeLink.created_at)
        )
    )
