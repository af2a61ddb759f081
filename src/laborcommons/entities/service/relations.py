"""Relations between entities, each with a period and the dataset version it came from."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.errors import InvalidInput
from laborcommons.entities.models import Entity, EntityRelation
from laborcommons.entities.schemas import (
    LinkRelation,
    RelationCreate,
    RelationPage,
    RelationPublic,
)
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.history import record_event
from laborcommons.entities.service.lookup import canonical_entity, resolve_entity
from laborcommons.entities.service.permissions import require_entity_change
from laborcommons.entities.service.visibility import (
    require_visible,
    shown,
    sight,
    visible_source_clause,
)

RELATION_KINDS = {
    "operated_by": ("facility", "company"),
    "owned_by": ("company", "company"),
    "sources_from": ("brand", "facility"),
}
"""The relation vocabulary: predicate -> (subject kind, object kind)."""


def add_relation(
    data: RelationCreate,
    *,
    actor: Reader,
    session: Session,
    source_version_id: int | None = None,
    check_permission: bool = True,
    reason: str = "",
) -> EntityRelation:
    """``subject predicate object``; the kinds must fit the predicate, the period be ordered.
    ``reason`` (why a person recorded it) is kept in the subject's history."""
    _, subject = resolve_entity(data.subject, session=session)
    _, obj = resolve_entity(data.object, session=session)
    if check_permission:
        require_entity_change(actor, [subject], session=session)
        require_visible(obj, reader=actor, session=session)
    expected = RELATION_KINDS[data.predicate]
    if (subject.kind, obj.kind) != expected:
        raise InvalidInput(
            f"{data.predicate} relates a {expected[0]} to a {expected[1]}, "
            f"not a {subject.kind} to a {obj.kind}",
            details={"subject": subject.lcid, "object": obj.lcid},
        )
    if data.valid_from and data.valid_to and data.valid_from > data.valid_to:
        raise InvalidInput("valid_from must not be after valid_to")
    relation = EntityRelation(
        subject_id=subject.id,
        predicate=data.predicate,
        object_id=obj.id,
        tier=data.tier,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        source_version_id=source_version_id,
    )
    session.add(relation)
    record_event(
        subject,
        "relation_added",
        actor=actor,
        session=session,
        other_lcid=obj.lcid,
        reason=reason,
        evidence={
            "predicate": data.predicate,
            "tier": data.tier,
            "source_version_id": source_version_id,
        },
    )
    return relation


def check_link_relation(
    relation: LinkRelation, kind: str, *, reader: Reader, session: Session
) -> dict[str, Any]:
    """The relation a link job adds for each row, with the other side's canonical lcid
    (which must be an entity the reader sees)."""
    _, other = resolve_entity(relation.subject or relation.object or "", session=session)
    require_visible(other, reader=reader, session=session)
    pair = (other.kind, kind) if relation.subject else (kind, other.kind)
    expected = RELATION_KINDS[relation.predicate]
    if pair != expected:
        raise InvalidInput(
            f"{relation.predicate} relates a {expected[0]} to a {expected[1]}; "
            f"these rows are {kind} and {other.lcid} is a {other.kind}"
        )
    stored = relation.model_dump(mode="json")
    stored["subject" if relation.subject else "object"] = other.lcid
    return stored


def relate_row(
    relation: dict[str, Any],
    entity: Entity,
    *,
    tier: int | None,
    version_id: int,
    actor: Reader,
    session: Session,
) -> None:
    """Add the job's relation for one linked row (once per version and pair)."""
    subject = relation["subject"] or entity.lcid
    obj = relation["object"] or entity.lcid
    _, subject_entity = resolve_entity(subject, session=session)
    _, object_entity = resolve_entity(obj, session=session)
    exists = session.scalar(
        select(EntityRelation.id).where(
            EntityRelation.subject_id == subject_entity.id,
            EntityRelation.object_id == object_entity.id,
            EntityRelation.predicate == relation["predicate"],
            EntityRelation.source_version_id == version_id,
        )
    )
    if exists is not None:
        return
    data = RelationCreate(
        subject=subject,
        predicate=relation["predicate"],
        object=obj,
        tier=tier,
        valid_from=relation.get("valid_from"),
        valid_to=relation.get("valid_to"),
    )
    add_relation(
        data, actor=actor, session=session, source_version_id=version_id, check_permission=False
    )


def relations_of(ids: list[int], *, reader: Reader, session: Session) -> list[RelationPublic]:
    """Relations touching these entities; one from a dataset whose rows the reader may not
    read is left out (a supply relation from an internal dataset is that dataset's content),
    and each side is named as this reader is shown it."""
    query = select(EntityRelation).where(
        or_(EntityRelation.subject_id.in_(ids), EntityRelation.object_id.in_(ids))
    )
    rows = list(session.scalars(query.order_by(EntityRelation.id)))
    seen = sight(reader, [r.source_version_id for r in rows], session=session)
    return _published([r for r in rows if seen.sees(r.source_version_id)], reader, session)


def relations_page(
    ids: list[int], *, page: int, page_size: int, reader: Reader, session: Session
) -> RelationPage:
    """One page of ``relations_of`` (the SQL form of the same visibility), so a brand with
    hundreds of suppliers is read and shown a page at a time."""
    query = select(EntityRelation).where(
        or_(EntityRelation.subject_id.in_(ids), EntityRelation.object_id.in_(ids)),
        visible_source_clause(reader, EntityRelation.source_version_id),
    )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = list(
        session.scalars(
            query.order_by(EntityRelation.id).offset((page - 1) * page_size).limit(page_size)
        )
    )
    items = _published(rows, reader, session)
    # A relation from a non-open list is a read of that list's rows: audited like the entity.
    seen = sight(reader, [r.source_version_id for r in rows], session=session)
    record_evidence_read([seen], reader=reader, action="entities.read", session=session)
    return RelationPage(items=items, total=total, page=page, page_size=page_size)


def _published(
    rows: list[EntityRelation], reader: Reader, session: Session
) -> list[RelationPublic]:
    """Visible relations as this reader is shown them: each side by its canonical lcid and
    shown name, the source by dataset slug and version number."""
    version_ids = {r.source_version_id for r in rows if r.source_version_id is not None}
    sources: dict[int, tuple[str, int]] = {}
    if version_ids:
        found = session.execute(
            select(DatasetVersion.id, Dataset.slug, DatasetVersion.number)
            .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
            .where(DatasetVersion.id.in_(sorted(version_ids)))
        )
        sources = {v_id: (slug, number) for v_id, slug, number in found}
    names: dict[int, str] = {}

    def name_of(entity: Entity) -> str:
        if entity.id not in names:
            names[entity.id] = shown(entity, reader=reader, session=session).name
        return names[entity.id]

    result = []
    for row in rows:
        subject = canonical_entity(session.get_one(Entity, row.subject_id), session=session)
        obj = canonical_entity(session.get_one(Entity, row.object_id), session=session)
        source = sources.get(row.source_version_id or -1)
        result.append(
            RelationPublic(
                subject=subject.lcid,
                subject_name=name_of(subject),
                predicate=row.predicate,
                object=obj.lcid,
                object_name=name_of(obj),
                tier=row.tier,
                valid_from=row.valid_from,
                valid_to=row.valid_to,
                source_dataset=source[0] if source else None,
                source_version=source[1] if source else None,
            )
        )
    return result
