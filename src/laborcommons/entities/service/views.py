"""An entity as shown to a reader: only its evidence the reader may see (``visibility.py``):
aliases, identifiers, names, relations, and the datasets whose rows mention it."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.service import readable_rows_clause
from laborcommons.entities.models import (
    Entity,
    EntityEvent,
    EntityIdentifier,
    EntityName,
    RowLink,
)
from laborcommons.entities.schemas import (
    DatasetMention,
    EntityPublic,
    IdentifierPublic,
    NamePublic,
)
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.lookup import canonical_entity
from laborcommons.entities.service.relations import relations_of
from laborcommons.entities.service.relations import relations_page as relations_page_of
from laborcommons.entities.service.visibility import Shown, require_visible, shown, summary_for


def datasets_mentioning(
    ids: list[int], *, reader: Reader, session: Session
) -> list[DatasetMention]:
    """Dataset versions whose rows are linked to these entities, unreadable ones left out
    (that a facility appears in a list is the list's content, not its metadata)."""
    query = (
        select(Dataset.slug, Dataset.title, DatasetVersion.number, func.count(RowLink.id))
        .join(DatasetVersion, DatasetVersion.id == RowLink.version_id)
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .where(RowLink.entity_id.in_(ids), readable_rows_clause(reader))
        .group_by(Dataset.slug, Dataset.title, DatasetVersion.number)
        .order_by(Dataset.slug, DatasetVersion.number)
    )
    return [
        DatasetMention(slug=slug, title=title, version=number, rows=rows)
        for slug, title, number, rows in session.execute(query)
    ]


def _names(entity: Entity, view: Shown, *, session: Session) -> list[NamePublic]:
    """Other visible spellings: kept names, and the names of entities merged into this one."""
    seen = {(view.name, view.address)}
    result = []
    kept = session.execute(
        select(
            EntityName.name,
            EntityName.address,
            EntityName.city,
            EntityName.source_version_id,
            EntityName.source_row,
        )
        .where(EntityName.entity_id.in_(view.ids))
        .order_by(EntityName.id)
    )
    merged = session.execute(
        select(
            Entity.name, Entity.address, Entity.city, Entity.source_version_id, Entity.source_row
        )
        .where(Entity.id.in_(view.ids), Entity.id != entity.id)
        .order_by(Entity.id)
    )
    for name, address, city, version_id, row in [*kept, *merged]:
        if not view.sight.sees(version_id, row):
            continue
        if (name, address) not in seen:
            seen.add((name, address))
            result.append(NamePublic(name=name, address=address, city=city))
    return result


def split_parts(entity: Entity, *, session: Session) -> list[str]:
    query = select(EntityEvent.other_lcid).where(
        EntityEvent.entity_id == entity.id, EntityEvent.event == "split_into"
    )
    return [lcid for lcid in session.scalars(query.order_by(EntityEvent.id)) if lcid]


RELATIONS_PAGE_SIZE = 50


def entity_public(
    entity: Entity, *, reader: Reader, session: Session, relations_page: int | None = 1
) -> EntityPublic:
    """The canonical entity with everything this reader may see of it and its aliases;
    404 when none of its evidence is visible to them. Relations come a page of
    ``RELATIONS_PAGE_SIZE`` at a time (a brand may have thousands); None gives them all."""
    entity = canonical_entity(entity, session=session)
    require_visible(entity, reader=reader, session=session)
    view = shown(entity, reader=reader, session=session)
    record_evidence_read(
        [view.sight],
        reader=reader,
        action="entities.read",
        session=session,
        details={"entity": entity.lcid},
    )
    ids = view.ids
    aliases = session.scalars(
        select(Entity.lcid).where(Entity.id.in_(ids), Entity.id != entity.id).order_by(Entity.lcid)
    )
    identifiers = session.execute(
        select(EntityIdentifier.scheme, EntityIdentifier.value, EntityIdentifier.source_version_id)
        .where(EntityIdentifier.entity_id.in_(ids))
        .order_by(EntityIdentifier.scheme, EntityIdentifier.value)
    )
    own = view.own
    owner = session.get(Entity, entity.owner_id) if entity.owner_id and own else None
    if relations_page is None:
        relations = relations_of(ids, reader=reader, session=session)
        total = len(relations)
    else:
        found = relations_page_of(
            ids,
            page=relations_page,
            page_size=RELATIONS_PAGE_SIZE,
            reader=reader,
            session=session,
        )
        relations, total = found.items, found.total
    return EntityPublic(
        **summary_for(entity, view).model_dump(),
        postal_code=view.postal_code,
        latitude=entity.latitude if own else None,
        longitude=entity.longitude if own else None,
        sector=entity.sector if own else None,
        workers_min=entity.workers_min if own else None,
        workers_max=entity.workers_max if own else None,
        legal_name=entity.legal_name if own else None,
        jurisdiction=entity.jurisdiction if own else None,
        registration_number=entity.registration_number if own else None,
        owner=canonical_entity(owner, session=session).lcid if owner else None,
        split_into=split_parts(entity, session=session),
        aliases=list(aliases),
        identifiers=[
            IdentifierPublic(scheme=s, value=v)
            for s, v, source in identifiers
            if view.sight.sees(source)
        ],
        names=_names(entity, view, session=session),
        relations=relations,
        relations_total=total,
        datasets=datasets_mentioning(ids, reader=reader, session=session),
        created_at=entity.created_at,
        updated_at=entity.updated_at,
    )
