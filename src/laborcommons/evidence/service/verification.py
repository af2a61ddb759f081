"""Verification of an answer, WikiRate's four levels: who may set which, and the history.

- ``flagged``: any signed-in reader who sees the answer raises a doubt (it then weighs
  nothing in the consensus, and stays shown);
- ``community-verified``: any signed-in reader who sees it checked it against its source;
- ``steward-verified`` and back to ``unverified``: the stewards of the answer, the owners
  and editors of the organization whose dataset it came from (and the node admin).

A community check never overrides a steward's verification; every change is kept, with
who made it and their comment, and written to the audit trail.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog.models import Dataset
from laborcommons.core.db import utcnow
from laborcommons.core.errors import Conflict, Forbidden, NotAuthenticated
from laborcommons.evidence.models import Verification
from laborcommons.evidence.schemas import VerificationIn, VerificationPublic, VerifiedAnswer
from laborcommons.evidence.service.reading import answer_for, get_answer_row
from laborcommons.evidence.service.stewards import is_steward

STEWARD_ONLY = {"steward-verified", "unverified"}


def history(answer_id: int, *, session: Session) -> list[VerificationPublic]:
    query = select(Verification).where(Verification.answer_id == answer_id)
    return [
        VerificationPublic(
            status=v.status,
            previous=v.previous,
            comment=v.comment,
            actor=v.actor,
            created_at=v.created_at,
        )
        for v in session.scalars(query.order_by(Verification.id))
    ]


def verify_answer(
    answer_id: int, data: VerificationIn, *, reader: Reader, session: Session
) -> VerifiedAnswer:
    row = get_answer_row(answer_id, reader=reader, session=session)  # 404 when hidden
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to verify or flag an answer")
    dataset = session.get_one(Dataset, row.dataset_id)
    steward = is_steward(reader, dataset.organization_id)
    answer = row.answer
    if data.status in STEWARD_ONLY and not steward:
        raise Forbidden(
            f"only the stewards of {dataset.slug!r} (its owners and editors) set {data.status}"
        )
    overrides = data.status == "community-verified" and answer.verification == "steward-verified"
    if overrides and not steward:
        raise Conflict("a steward already verified this answer; flag it if you doubt it")
    previous = answer.verification
    answer.verification = data.status
    answer.updated_at = utcnow()
    session.add(
        Verification(
            answer_id=answer.id,
            status=data.status,
            previous=previous,
            comment=data.comment,
            actor=reader.email or "node-admin",
            actor_user_id=reader.user_id,
        )
    )
    session.flush()
    audit.record(
        session,
        actor=reader,
        action="evidence.verify",
        organization_id=dataset.organization_id,
        dataset_id=dataset.id,
        version_id=answer.source_version_id,
        level=dataset.access,
        details={"answer": answer.id, "status": data.status, "previous": previous},
    )
    return VerifiedAnswer(
        answer=answer_for(row, reader=reader, session=session),
        history=history(answer.id, session=session),
    )
