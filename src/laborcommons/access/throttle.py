"""Sign-in throttling per account and per address, kept in the database.

Each key (``account:<e-mail>``, ``address:<ip>``) counts failures; a failure more than
``WINDOW`` after the previous one starts the count again. Past the free failures each one
blocks the key for twice as long as the last, capped at ``MAX_WAIT``: guessing slows to one
try per 15 minutes, and an attacker can never lock the owner out for longer than that. A
successful sign-in clears its account's count. The caller passes ``now`` (a clock), so
tests move time without sleeping.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from laborcommons.access.models import SignInThrottle

WINDOW = timedelta(minutes=15)
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
# Many people may share one address; password-reset requests count per e-mail as typed.
FREE_FAILURES = {"account": 5, "address": 30, "reset": 3}


@dataclass(frozen=True)
class SignInBlocked:
    """Why a sign-in is refused before the password is even checked, and until when."""

    until: datetime
    retry_after: int  # whole seconds, for the Retry-After header

    @property
    def message(self) -> str:
        minutes = math.ceil(self.retry_after / 60)
        when = f"{minutes} minute{'s' if minutes != 1 else ''}"
        return f"too many failed sign-ins: try again in {when} (after {self.until:%H:%M:%S} UTC)"


def throttle_keys(email: str, address: str | None) -> list[str]:
    """The keys one attempt counts against: the account as typed, and the address."""
    keys = [f"account:{email.strip().lower()[:320]}"]
    if address:
        keys.append(f"address:{address[:64]}")
    return keys


def sign_in_blocked(keys: list[str], *, now: datetime, session: Session) -> SignInBlocked | None:
    """The longest block on any of ``keys`` at ``now``, or None to go ahead."""
    rows = session.scalars(select(SignInThrottle).where(SignInThrottle.key.in_(keys)))
    until = max(
        (r.blocked_until for r in rows if r.blocked_until and r.blocked_until > now), default=None
    )
    if until is None:
        return None
    return SignInBlocked(until=until, retry_after=math.ceil((until - now).total_seconds()))


def record_failed_sign_in(keys: list[str], *, now: datetime, session: Session) -> None:
    """Count one failure against each key, blocking those past their free failures."""
    for key in keys:
        row = _row(key, now=now, session=session)
        if now - row.last_failure_at > WINDOW:
            row.failures = 0
        row.failures += 1
        row.last_failure_at = now
        over = row.failures - FREE_FAILURES[key.split(":", 1)[0]]
        if over > 0:
            wait = min(FIRST_WAIT * 2 ** min(over - 1, 16), MAX_WAIT)
            row.blocked_until = now + wait
    session.flush()


def clear_sign_in_failures(key: str, *, session: Session) -> None:
    """A right password clears the account's count (never the shared address's)."""
    row = session.scalar(select(SignInThrottle).where(SignInThrottle.key == key))
    if row is not None:
        session.delete(row)
        session.flush()


def _row(key: str, *, now: datetime, session: Session) -> SignInThrottle:
    """The key's row, created once even when several processes race to create it."""
    row = session.scalar(select(SignInThrottle).where(SignInThrottle.key == key))
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = SignInThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
    except IntegrityError:
        row = session.scalars(select(SignInThrottle).where(SignInThrottle.key == key)).one()
    return row
