"""What a reader is shown of evidence: answer lists, an entity's evidence, deviations.

An answer is a cell of a row, so it is shown only when the reader may read its version's
rows: the entities' one visibility rule (``entities.service``: the SQL form for lists,
the Python form, tested to agree, for triangulation). Triangulation runs over the visible
answers only, so a consensus never carries a hidden value. Showing answers that came from
non-open datasets is a read of those rows, written to the audit trail per dataset.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.deps import MAX_DB_ID
from laborcommons.core.errors import NotFound
from laborcommons.entities import service as entities
from laborcommons.entities.models import Entity
from laborcommons.evidence.models import Attachment, EvidenceAnswer
from laborcommons.evidence.schemas import (
    AnswerPage,
    AnswerPublic,
    MetricPublic,
    SourcePublic,
    Triangulation,
)
from laborcommons.evidence.service.metrics import get_metric, list_metrics
from laborcommons.evidence.service.stewards import is_steward
from laborcommons.evidence.triangulation import Source, triangulate

MAX_GROUPS = 100_000


@dataclass
class Row:
    answer: EvidenceAnswer
    slug: str
    number: int
    root_id: int
    dataset_id: int
    organization_id: int


def _rows(query: Select[Any], *, session: Session) -> list[Row]:
    return [Row(*found) for found in session.execute(query)]


def _base(reader: Reader) -> Select[Any]:
    """Visible answers with their dataset, version and canonical entity id."""
    roots = entities.canonical_roots("evidence_roots")
    return (
        select(
            EvidenceAnswer,
            Dataset.slug,
            DatasetVersion.number,
            roots.c.root_id,
            Dataset.id,
            Dataset.organization_id,
        )
        .join(DatasetVersion, DatasetVersion.id == EvidenceAnswer.source_version_id)
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .join(roots, roots.c.alias_id == EvidenceAnswer.entity_id)
        .where(entities.visible_source_clause(reader, EvidenceAnswer.source_version_id))
    )


def _record_read(rows: Iterable[Row], *, reader: Reader, session: Session, **details: Any) -> None:
    seen = entities.Sight(reader, {row.answer.source_version_id for row in rows})
    entities.record_evidence_read(
        [seen], reader=reader, action="evidence.read", session=session, details=details
    )


def _names(root_ids: Iterable[int], *, reader: Reader, session: Session) -> dict[int, Any]:
    ids = sorted(set(root_ids))
    found = list(session.scalars(select(Entity).where(Entity.id.in_(ids)))) if ids else []
    views = entities.shown_many(found, reader=reader, session=session)
    return {e.id: (e, views[e.id]) for e in found}


def _value(answer: EvidenceAnswer) -> float | str | None:
    return answer.text_value if answer.text_value is not None else answer.value


def answer_public(row: Row, named: dict[int, Any]) -> AnswerPublic:
    entity, view = named[row.root_id]
    answer = row.answer
    return AnswerPublic(
        id=answer.id,
        entity=entity.lcid,
        name=view.name,
        country=entity.country,
        metric=answer.metric_key,
        qualifier=answer.qualifier,
        period=answer.period,
        value=_value(answer),
        unit=answer.unit,
        original=answer.original,
        original_unit=answer.original_unit,
        normalization=answer.normalization,
        dataset=row.slug,
        version=row.number,
        row=answer.source_row,
        method=answer.method,
        verification=answer.verification,
        created_at=answer.created_at,
    )


def list_answers(
    key: str,
    *,
    reader: Reader,
    session: Session,
    entity: str | None = None,
    period: str | None = None,
    country: str | None = None,
    method: str | None = None,
    verification: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> AnswerPage:
    """A metric's answers the reader may see, filtered like WikiRate's answer lists."""
    get_metric(key, session=session)
    query = _base(reader).where(EvidenceAnswer.metric_key == key)
    if entity is not None:
        _, canonical = entities.resolve_entity(entity, session=session)
        entities.require_visible(canonical, reader=reader, session=session)
        query = query.where(
            EvidenceAnswer.entity_id.in_(entities.alias_ids(canonical, session=session))
        )
    if period is not None:
        query = query.where(EvidenceAnswer.period == period)
    if method is not None:
        query = query.where(EvidenceAnswer.method == method)
    if verification is not None:
        query = query.where(EvidenceAnswer.verification == verification)
    if country is not None:
        query = query.join(Entity, Entity.id == EvidenceAnswer.entity_id).where(
            Entity.country == country
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ordered = query.order_by(EvidenceAnswer.period.desc(), EvidenceAnswer.id)
    rows = _rows(ordered.limit(page_size).offset((page - 1) * page_size), session=session)
    named = _names((r.root_id for r in rows), reader=reader, session=session)
    _record_read(rows, reader=reader, session=session, metric=key)
    return AnswerPage(
        items=[answer_public(r, named) for r in rows], total=total, page=page, page_size=page_size
    )


def _groups(rows: list[Row]) -> dict[tuple[int, str, str, str], list[Row]]:
    groups: dict[tuple[int, str, str, str], list[Row]] = {}
    for row in rows:
        a = row.answer
        groups.setdefault((row.root_id, a.metric_key, a.qualifier, a.period), []).append(row)
    return groups


def _triangulation(
    rows: list[Row], metric: MetricPublic, named: dict[int, Any], reader: Reader
) -> Triangulation:
    rows = sorted(rows, key=lambda r: (r.slug, r.number, r.answer.source_row))
    sources = [
        Source(
            value=_value(r.answer),
            method=r.answer.method,
            verification=r.answer.verification,
            label=f"{r.slug} v{r.number}",
        )
        for r in rows
    ]
    outcome = triangulate(sources, metric)
    entity, view = named[rows[0].root_id]
    first = rows[0].answer
    return Triangulation(
        entity=entity.lcid,
        name=view.name,
        country=entity.country,
        metric=metric.key,
        qualifier=first.qualifier,
        period=first.period,
        unit=metric.unit,
        consensus=outcome.consensus,
        spread=outcome.spread,
        deviates=outcome.deviates,
        explanation=outcome.explanation,
        sources=[
            SourcePublic(
                answer_id=r.answer.id,
                dataset=r.slug,
                version=r.number,
                row=r.answer.source_row,
                value=s.value,
                original=r.answer.original,
                original_unit=r.answer.original_unit,
                normalization=r.answer.normalization,
                method=s.method,
                verification=s.verification,
                weight=s.weight,
                deviates=s.deviates,
                deviation=None if s.deviation is None else round(s.deviation, 4),
                steward=is_steward(reader, r.organization_id),
            )
            for r, s in zip(rows, sources, strict=True)
        ],
    )


def _triangulate_all(rows: list[Row], *, reader: Reader, session: Session) -> list[Triangulation]:
    metrics = {m.key: m for m in list_metrics(session=session)}
    groups = _groups(rows)
    named = _names((key[0] for key in groups), reader=reader, session=session)
    result = [
        _triangulation(group, metrics[key[1]], named, reader)
        for key, group in groups.items()
        if key[1] in metrics
    ]
    return sorted(result, key=lambda t: (t.metric, t.qualifier, t.period, t.entity))


def entity_evidence(
    lcid: str, *, reader: Reader, session: Session, metric: str | None = None
) -> list[Triangulation]:
    """Per metric and period, every visible source about this entity (and its aliases)."""
    _, canonical = entities.resolve_entity(lcid, session=session)
    entities.require_visible(canonical, reader=reader, session=session)
    if metric is not None:
        get_metric(metric, session=session)
    ids = entities.alias_ids(canonical, session=session)
    query = _base(reader).where(EvidenceAnswer.entity_id.in_(ids))
    if metric is not None:
        query = query.where(EvidenceAnswer.metric_key == metric)
    rows = _rows(query, session=session)
    _record_read(rows, reader=reader, session=session, entity=canonical.lcid)
    found = _triangulate_all(rows, reader=reader, session=session)
    counts = _attachment_counts([r.answer.id for r in rows], session=session)
    for group in found:
        for source in group.sources:
            source.attachments = counts.get(source.answer_id, 0)
    return found


def _attachment_counts(answer_ids: list[int], *, session: Session) -> dict[int, int]:
    if not answer_ids:
        return {}
    query = (
        select(Attachment.answer_id, func.count(Attachment.id))
        .where(Attachment.answer_id.in_(answer_ids))
        .group_by(Attachment.answer_id)
    )
    return {answer: count for answer, count in session.execute(query)}


def deviations(
    *,
    reader: Reader,
    session: Session,
    metric: str | None = None,
    dataset: str | None = None,
) -> list[Triangulation]:
    """Entity x metric x period groups where a visible source deviates; with ``dataset``,
    those where one of its sources takes part (what disagrees with that dataset)."""
    query = _base(reader)
    if metric is not None:
        get_metric(metric, session=session)
        query = query.where(EvidenceAnswer.metric_key == metric)
    rows = _rows(query.limit(MAX_GROUPS * 10), session=session)
    if dataset is not None:
        wanted = catalog.get_dataset(dataset, reader=reader, session=session).id
        groups = _groups(rows)
        rows = [
            row
            for group in groups.values()
            if any(r.dataset_id == wanted for r in group)
            for row in group
        ]
    found = [t for t in _triangulate_all(rows, reader=reader, session=session) if t.deviates]
    shown_ids = {s.answer_id for t in found for s in t.sources}
    _record_read(
        [r for r in rows if r.answer.id in shown_ids],
        reader=reader,
        session=session,
        deviations=True,
    )
    return found


def get_answer_row(answer_id: int, *, reader: Reader, session: Session) -> Row:
    """One answer the reader may see; 404 alike for a hidden and a missing one (and for an
    id no answer can have: ids are 32-bit on PostgreSQL)."""
    if not 1 <= answer_id <= MAX_DB_ID:
        raise NotFound(f"no answer {answer_id}")
    rows = _rows(_base(reader).where(EvidenceAnswer.id == answer_id), session=session)
    if not rows:
        raise NotFound(f"no answer {answer_id}")
    return rows[0]


def answer_for(row: Row, *, reader: Reader, session: Session) -> AnswerPublic:
    named = _names([row.root_id], reader=reader, session=session)
    _record_read([row], reader=reader, session=session, answer=row.answer.id)
    return answer_public(row, named)


def get_answer(answer_id: int, *, reader: Reader, session: Session) -> AnswerPublic:
    """One answer the reader may see, as shown (404 alike for a hidden and a missing one)."""
    return answer_for(
        get_answer_row(answer_id, reader=reader, session=session), reader=reader, session=session
    )
