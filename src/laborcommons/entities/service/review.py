"""The review queue: candidate pairs between the thresholds, decided by people.

Each decision is stored as a must-link / cannot-link of the deciding organization (the
owner of the candidate's dataset), keyed by the record's fingerprint, so the same record is
never asked about again in that organization's datasets (this upload or a later one), and
audited there. Another organization's candidates and link jobs are left to it.
Deciding needs edit rights on the dataset the row comes from.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, null, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit, dataset_refs_at, may_edit, readable_owner_ids
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.db import utcnow
from laborcommons.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from laborcommons.entities.models import (
    Entity,
    EntityName,
    LinkJob,
    MatchDecision,
    ReviewCandidate,
    RowLink,
)
from laborcommons.entities.schemas import (
    BulkReview,
    BulkReviewResult,
    CandidatePage,
    CandidatePublic,
    EntityCreate,
)
from laborcommons.entities.service.applying import entity_seed
from laborcommons.entities.service.history import record_event
from laborcommons.entities.service.lookup import canonical_entity
from laborcommons.entities.service.records import create_entity, remember_name
from laborcommons.entities.service.relations import relate_row
from laborcommons.entities.service.text import searchable
from laborcommons.entities.service.visibility import (
    Shown,
    shown,
    summary_for,
    visible_entities_clause,
)

MAX_PAGE_SIZE = 500


def _visible_values(entity: Entity, view: Shown, session: Session) -> set[str]:
    """Every value of the entity's evidence this reviewer may see (to filter comparisons)."""
    values: set[str] = {entity.lcid, entity.country or ""}
    rows = [
        *session.execute(
            select(
                Entity.name,
                Entity.address,
                Entity.city,
                Entity.postal_code,
                Entity.latitude,
                Entity.longitude,
                Entity.source_version_id,
                Entity.source_row,
            ).where(Entity.id.in_(view.ids))
        ),
        *session.execute(
            select(
                EntityName.name,
                EntityName.address,
                EntityName.city,
                EntityName.postal_code,
                null(),
                null(),
                EntityName.source_version_id,
                EntityName.source_row,
            ).where(EntityName.entity_id.in_(view.ids))
        ),
    ]
    for *fields, version_id, row in rows:
        if view.sight.sees(version_id, row):
            values.update(str(f) for f in fields if f is not None)
    return values


def _comparison(comparison: dict[str, Any], visible: set[str]) -> dict[str, Any]:
    """The engine's comparison with each existing-side value blanked unless the reviewer may
    see it (it was drawn from the job runner's evidence, which may be wider)."""
    keys = {searchable(v) for v in visible} - {""}
    result: dict[str, Any] = {}
    for name, field in comparison.items():
        existing = field.get("existing") if isinstance(field, dict) else None
        key = searchable(str(existing)) if existing is not None else ""
        if existing is None or str(existing) in visible or any(key in k for k in keys):
            result[name] = field
        else:
            result[name] = {**field, "existing": None}
    return result


def candidate_public(
    candidate: ReviewCandidate, *, reader: Reader, session: Session
) -> CandidatePublic:
    """A candidate as this reviewer may see it: the entity as shown to them, and only the
    compared values of its evidence they may see."""
    version = session.get_one(DatasetVersion, candidate.version_id)
    entity = canonical_entity(session.get_one(Entity, candidate.entity_id), session=session)
    view = shown(entity, reader=reader, session=session)
    return CandidatePublic(
        id=candidate.id,
        job_id=candidate.job_id,
        dataset=version.dataset.slug,
        version=version.number,
        row=candidate.row_number,
        kind=candidate.kind,
        record=candidate.record,
        entity=summary_for(entity, view),
        probability=candidate.probability,
        match_weight=candidate.match_weight,
        comparison=_comparison(candidate.comparison, _visible_values(entity, view, session)),
        status=candidate.status,
        decided_by=candidate.decided_by,
        decided_at=candidate.decided_at,
    )


def _editable(query: Select[Any], reader: Reader) -> Select[Any]:
    """Only candidates from datasets of organizations the reader edits (all for the admin),
    whose entity the reader sees (``visibility.py``)."""
    owners = readable_owner_ids(reader)
    if owners is None:
        return query
    query = query.where(visible_entities_clause(reader, ReviewCandidate.entity_id, aliases=True))
    editing = sorted(o for o in owners if may_edit(reader, owner_id=o))
    versions = (
        select(DatasetVersion.id)
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .where(Dataset.organization_id.in_(editing))
    )
    return query.where(ReviewCandidate.version_id.in_(versions))


def list_candidates(
    *,
    reader: Reader,
    session: Session,
    status: str | None = "open",
    dataset: str | None = None,
    job_id: int | None = None,
    page: int = 1,
    page_size: int = 50,
) -> CandidatePage:
    """Candidates the reader may decide, best probability first."""
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to see the review queue")
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page must be 1 or more and page_size between 1 and {MAX_PAGE_SIZE}")
    query = _editable(select(ReviewCandidate), reader)
    if status is not None and status != "all":
        query = query.where(ReviewCandidate.status == status)
    if dataset:
        ids = [ref.id for ref in dataset_refs_at(dataset, session=session)]
        versions = select(DatasetVersion.id).where(DatasetVersion.dataset_id.in_(ids))
        query = query.where(ReviewCandidate.version_id.in_(versions))
    if job_id is not None:
        query = query.where(ReviewCandidate.job_id == job_id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    order = (ReviewCandidate.probability.desc(), ReviewCandidate.id)
    rows = session.scalars(query.order_by(*order).offset((page - 1) * page_size).limit(page_size))
    return CandidatePage(
        items=[candidate_public(c, reader=reader, session=session) for c in rows],
        total=total,
        page=page,
        page_size=page_size,
    )


def reviewable_datasets(*, reader: Reader, session: Session) -> list[str]:
    """Slugs of datasets with open candidates this reader may decide (for a filter)."""
    if reader.is_anonymous:
        return []
    versions = _editable(select(ReviewCandidate.version_id), reader).where(
        ReviewCandidate.status == "open"
    )
    query = (
        select(Dataset.slug)
        .join(DatasetVersion, DatasetVersion.dataset_id == Dataset.id)
        .where(DatasetVersion.id.in_(versions))
        .distinct()
        .order_by(Dataset.slug)
    )
    return list(session.scalars(query))


def _candidate(candidate_id: int, reader: Reader, session: Session) -> ReviewCandidate:
    """The candidate if the reader may decide it; 404 for everyone else (never 403)."""
    if reader.is_anonymous:
        raise NotAuthenticated("sign in to decide review candidates")
    query = _editable(select(ReviewCandidate).where(ReviewCandidate.id == candidate_id), reader)
    candidate: ReviewCandidate | None = session.scalars(query).first()
    if candidate is None:
        raise NotFound(f"no review candidate {candidate_id} that you may decide")
    if candidate.status != "open":
        raise Conflict(
            f"review candidate {candidate_id} is already {candidate.status}"
            f" by {candidate.decided_by}",
            details={"id": candidate_id, "status": candidate.status},
        )
    return candidate


def deciding_organization(candidate: ReviewCandidate, session: Session) -> int:
    """The organization a decision on this candidate belongs to: its dataset's owner (the
    only organization whose editors may decide it)."""
    return session.get_one(DatasetVersion, candidate.version_id).dataset.organization_id


def _store_decision(
    candidate: ReviewCandidate,
    entity: Entity,
    decision: str,
    reason: str,
    actor: str,
    session: Session,
) -> None:
    organization_id = deciding_organization(candidate, session)
    query = select(MatchDecision).where(
        MatchDecision.organization_id == organization_id,
        MatchDecision.fingerprint == candidate.fingerprint,
        MatchDecision.entity_id == entity.id,
    )
    stored = session.scalars(query).first()
    if stored is None:
        stored = MatchDecision(
            organization_id=organization_id, fingerprint=candidate.fingerprint, entity_id=entity.id
        )
        session.add(stored)
    stored.decision, stored.decided_by, stored.reason = decision, actor, reason
    stored.decided_at = utcnow()


def _same_question(candidate: ReviewCandidate, session: Session) -> list[ReviewCandidate]:
    """Open candidates asking the same question (same record fingerprint, same entity) in
    the deciding organization's datasets: another organization decides its own."""
    versions = (
        select(DatasetVersion.id)
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .where(Dataset.organization_id == deciding_organization(candidate, session))
    )
    query = select(ReviewCandidate).where(
        ReviewCandidate.fingerprint == candidate.fingerprint,
        ReviewCandidate.entity_id == candidate.entity_id,
        ReviewCandidate.status == "open",
        ReviewCandidate.version_id.in_(versions),
    )
    return list(session.scalars(query.order_by(ReviewCandidate.id)))


def _close(candidate: ReviewCandidate, status: str, actor: str) -> None:
    candidate.status, candidate.decided_by, candidate.decided_at = status, actor, utcnow()


def _row_link(candidate: ReviewCandidate, session: Session) -> RowLink | None:
    return session.scalars(
        select(RowLink).where(
            RowLink.version_id == candidate.version_id,
            RowLink.kind == candidate.kind,
            RowLink.row_number == candidate.row_number,
        )
    ).first()


def _audit(
    action: str,
    candidate: ReviewCandidate,
    entity: Entity,
    reader: Reader,
    reason: str,
    session: Session,
) -> None:
    version = session.get_one(DatasetVersion, candidate.version_id)
    audit.record(
        session,
        actor=reader,
        action=action,
        organization_id=version.dataset.organization_id,
        dataset_id=version.dataset_id,
        version_id=version.id,
        details={
            "candidate": candidate.id,
            "row": candidate.row_number,
            "entity": entity.lcid,
            "reason": reason,
        },
    )


def accept_candidate(
    candidate_id: int, *, reason: str = "", reader: Reader, session: Session
) -> CandidatePublic:
    """Link the row to the entity (must-link); other candidates of the row are closed."""
    candidate = _candidate(candidate_id, reader, session)
    entity = canonical_entity(session.get_one(Entity, candidate.entity_id), session=session)
    actor = audit.actor_name(reader)
    _store_decision(candidate, entity, "must-link", reason, actor, session)
    for same in _same_question(candidate, session):
        _close(same, "accepted", actor)
        _link_row(same, entity, session)
        _relate(same, entity, reader, session)
        others = select(ReviewCandidate).where(
            ReviewCandidate.version_id == same.version_id,
            ReviewCandidate.kind == same.kind,
            ReviewCandidate.row_number == same.row_number,
            ReviewCandidate.status == "open",
        )
        for other in session.scalars(others):
            _close(other, "rejected", actor)
    record = candidate.record
    remember_name(
        entity,
        record.get("name") or entity.name,
        record.get("address"),
        record.get("city"),
        session=session,
        source_version_id=candidate.version_id,
        source_row=candidate.row_number,
    )
    record_event(
        entity,
        "row_linked",
        actor=reader,
        session=session,
        reason=reason,
        evidence={
            "candidate": candidate.id,
            "version_id": candidate.version_id,
            "row": candidate.row_number,
            "probability": candidate.probability,
        },
    )
    _audit("entities.review.accept", candidate, entity, reader, reason, session)
    session.flush()
    return candidate_public(candidate, reader=reader, session=session)


def _relate(candidate: ReviewCandidate, entity: Entity, reader: Reader, session: Session) -> None:
    """The job's relation (a brand's supplier list, ...) holds for a decided row too."""
    job = session.get(LinkJob, candidate.job_id) if candidate.job_id else None
    if job is not None and job.relation is not None:
        relate_row(
            job.relation,
            entity,
            tier=candidate.record.get("tier"),
            version_id=candidate.version_id,
            actor=reader,
            session=session,
        )


def _link_row(candidate: ReviewCandidate, entity: Entity, session: Session) -> None:
    link = _row_link(candidate, session)
    if link is None:
        link = RowLink(
            version_id=candidate.version_id,
            kind=candidate.kind,
            row_number=candidate.row_number,
            job_id=candidate.job_id,
        )
        session.add(link)
    link.entity_id, link.status, link.method = entity.id, "linked", "decision"
    link.probability = candidate.probability


def reject_candidate(
    candidate_id: int, *, reason: str = "", reader: Reader, session: Session
) -> CandidatePublic:
    """Not this entity (cannot-link); when no candidate is left, the row is a new entity."""
    candidate = _candidate(candidate_id, reader, session)
    entity = canonical_entity(session.get_one(Entity, candidate.entity_id), session=session)
    actor = audit.actor_name(reader)
    _store_decision(candidate, entity, "cannot-link", reason, actor, session)
    for same in _same_question(candidate, session):
        _close(same, "rejected", actor)
        session.flush()
        _new_if_exhausted(same, reader, session)
    _audit("entities.review.reject", candidate, entity, reader, reason, session)
    session.flush()
    return candidate_public(candidate, reader=reader, session=session)


def _new_if_exhausted(candidate: ReviewCandidate, reader: Reader, session: Session) -> None:
    left = session.scalar(
        select(func.count(ReviewCandidate.id)).where(
            ReviewCandidate.version_id == candidate.version_id,
            ReviewCandidate.kind == candidate.kind,
            ReviewCandidate.row_number == candidate.row_number,
            ReviewCandidate.status == "open",
        )
    )
    link = _row_link(candidate, session)
    if left or (link is not None and link.status != "review"):
        return
    version = session.get_one(DatasetVersion, candidate.version_id)
    record = candidate.record
    fields = {
        k: record[k]
        for k in ("address", "city", "postal_code", "country", "latitude", "longitude")
        if record.get(k) is not None
    }
    data = EntityCreate(kind=candidate.kind, name=record["name"], **fields)
    entity = create_entity(
        data,
        actor=reader,
        session=session,
        check_permission=False,
        seed=entity_seed(version, candidate.kind, candidate.row_number),
        source_version_id=version.id,
        source_row=candidate.row_number,
        reason="every review candidate was rejected",
    )
    if link is None:
        link = RowLink(
            version_id=version.id,
            kind=candidate.kind,
            row_number=candidate.row_number,
            job_id=candidate.job_id,
        )
        session.add(link)
    link.entity_id, link.status, link.method, link.probability = entity.id, "new", "decision", None
    _relate(candidate, entity, reader, session)


def bulk_review(data: BulkReview, *, reader: Reader, session: Session) -> BulkReviewResult:
    """Accept or reject several candidates in one transaction: all of them or none."""
    decide = accept_candidate if data.action == "accept" else reject_candidate
    ids = list(dict.fromkeys(data.ids))
    was_open = set(
        session.scalars(
            select(ReviewCandidate.id).where(
                ReviewCandidate.id.in_(ids), ReviewCandidate.status == "open"
            )
        )
    )
    decided = []
    for candidate_id in ids:
        current = session.get(ReviewCandidate, candidate_id)
        if current is not None and current.status != "open" and candidate_id in was_open:
            decided.append(candidate_public(current, reader=reader, session=session))
            continue
        decided.append(decide(candidate_id, reason=data.reason, reader=reader, session=session))
    return BulkReviewResult(decided=decided)
