"""Each reader's privacy budget per question and period, spent under a lock.

The budget is per question, shared across versions, so asking the same question of version
1 and version 2 (to difference them) costs like any other answer. Anonymous readers cannot
be told apart, so they share one ledger per question: once anonymous asks have spent it,
every anonymous reader waits for the renewal (signing in gives a reader their own).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.answers.models import Ledger, Question
from laborcommons.answers.schemas import BudgetPublic
from laborcommons.core.db import savepoint, utcnow
from laborcommons.core.errors import Conflict

ATTEMPTS = 5
SLACK = 1e-9  # epsilons are floats: ten answers of 0.1 spend a budget of 1.0 exactly


def reader_key(reader: Reader) -> str:
    if reader.user_id is not None:
        return f"user:{reader.user_id}"
    return "node-admin" if reader.is_admin else "anonymous"


def renews_at(ledger: Ledger | None, question: Question, now: datetime) -> datetime:
    start = ledger.period_start if ledger is not None else now
    return start + timedelta(days=question.period_days)


def budget_of(ledger: Ledger | None, question: Question) -> BudgetPublic:
    now = utcnow()
    spent = ledger.spent if ledger is not None and renews_at(ledger, question, now) > now else 0.0
    return BudgetPublic(
        spent=round(spent, 9),
        left=round(max(0.0, question.budget - spent), 9),
        renews_at=renews_at(ledger, question, now)
        if spent
        else now + timedelta(days=question.period_days),
    )


def find_ledger(question: Question, reader: Reader, *, session: Session) -> Ledger | None:
    query = select(Ledger).where(
        Ledger.question_id == question.id, Ledger.reader_key == reader_key(reader)
    )
    return session.scalar(query)


def lock_ledger(question: Question, reader: Reader, *, session: Session) -> Ledger:
    """This reader's ledger row, locked until commit (the UPDATE takes the row lock on
    PostgreSQL, the write lock on SQLite); a period that ended starts afresh."""
    key, now = reader_key(reader), utcnow()
    where = (Ledger.question_id == question.id) & (Ledger.reader_key == key)
    for _attempt in range(ATTEMPTS):
        locked = session.execute(update(Ledger).where(where).values(updated_at=now))
        if locked.rowcount:  # type: ignore[attr-defined]
            ledger = session.scalars(
                select(Ledger).where(where).execution_options(populate_existing=True)
            ).one()
            if renews_at(ledger, question, now) <= now:
                ledger.period_start, ledger.spent = now, 0.0
            return ledger
        ledger = Ledger(
            question_id=question.id,
            reader_key=key,
            reader_name=audit.actor_name(reader),
            period_start=now,
            spent=0.0,
            answers=0,
            updated_at=now,
        )
        try:
            with savepoint(session):
                session.add(ledger)
                session.flush()
        except IntegrityError:
            continue  # a simultaneous first ask created it: lock that one
        return ledger
    raise Conflict("too many simultaneous answers; try again")


def can_spend(ledger: Ledger, question: Question) -> bool:
    return ledger.spent + question.epsilon <= question.budget + SLACK


def spend(ledger: Ledger, question: Question) -> None:
    ledger.spent += question.epsilon
    ledger.answers += 1


def retry_after(ledger: Ledger, question: Question) -> int:
    seconds = (renews_at(ledger, question, utcnow()) - utcnow()).total_seconds()
    return max(1, math.ceil(seconds))


def ledgers_of(question: Question, *, session: Session) -> list[Ledger]:
    query = select(Ledger).where(Ledger.question_id == question.id).order_by(Ledger.id)
    return list(session.scalars(query))
