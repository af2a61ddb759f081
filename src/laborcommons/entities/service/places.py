"""Entities as points for a map (GeoJSON): a search's results, an entity with the entities it
is related to (a brand's suppliers), a dataset version's linked facilities.

Coordinates are the entity's own fields, so a point is drawn only where the reader may see
their source (``visibility.visible_source_clause``, as ``entity_public`` shows latitude and
longitude), and each point is named as the reader is shown the entity. One answer holds at
most ``MAX_POINTS`` points and says when it left some out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.service import readable_version
from laborcommons.entities.models import Entity, EntityRelation, RowLink
from laborcommons.entities.schemas import (
    PlaceCollection,
    PlaceFeature,
    PlaceProperties,
    PointGeometry,
)
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.lookup import alias_ids, canonical_roots
from laborcommons.entities.service.search import search_query
from laborcommons.entities.service.visibility import (
    require_visible,
    shown_many,
    visible_source_clause,
)

MAX_POINTS = 10_000


def _located(reader: Reader) -> list[ColumnElement[bool]]:
    """Entities whose coordinates are given and come from a source the reader sees."""
    return [
        Entity.latitude.is_not(None),
        Entity.longitude.is_not(None),
        visible_source_clause(reader, Entity.source_version_id, Entity.source_row),
    ]


def _collection(
    query: Select[Entity], *, reader: Reader, session: Session, action: str
) -> PlaceCollection:
    """The located entities of ``query`` as features (the first ``MAX_POINTS`` by name)."""
    located = query.where(*_located(reader))
    total = session.scalar(select(func.count()).select_from(located.subquery())) or 0
    entities = list(
        session.scalars(located.order_by(Entity.name_ascii, Entity.lcid).limit(MAX_POINTS))
    )
    views = shown_many(entities, reader=reader, session=session)
    record_evidence_read(
        [view.sight for view in views.values()], reader=reader, action=action, session=session
    )
    features = [
        PlaceFeature(
            geometry=PointGeometry(coordinates=(e.longitude or 0.0, e.latitude or 0.0)),
            properties=PlaceProperties(
                lcid=e.lcid, name=views[e.id].name, kind=e.kind, country=e.country
            ),
        )
        for e in entities
    ]
    return PlaceCollection(
        features=features, total=total, limit=MAX_POINTS, truncated=total > len(features)
    )


def search_places(*, reader: Reader, session: Session, **filters: Any) -> PlaceCollection:
    """The points of an entity search (the same filters as ``search_entities``)."""
    query = search_query(**filters, reader=reader, session=session)
    return _collection(query, reader=reader, session=session, action="entities.search")


def _canonical(ids: Any) -> Select[Entity]:
    """Active canonical entities answering for any of these entity ids (a subquery)."""
    roots = canonical_roots("place_roots")
    wanted = select(roots.c.root_id).where(roots.c.alias_id.in_(ids))
    return select(Entity).where(Entity.id.in_(wanted), Entity.status == "active")


def related_places(entity: Entity, *, reader: Reader, session: Session) -> PlaceCollection:
    """A canonical entity and the entities on the other side of its relations the reader
    sees (a brand's suppliers, a company's facilities); 404 for an entity the reader does
    not see, as its page answers."""
    require_visible(entity, reader=reader, session=session)
    ids = alias_ids(entity, session=session)
    subject, obj = EntityRelation.subject_id, EntityRelation.object_id
    seen = visible_source_clause(reader, EntityRelation.source_version_id)
    others = (
        select(obj).where(subject.in_(ids), seen).union(select(subject).where(obj.in_(ids), seen))
    )
    related = _canonical(others).subquery()
    query = select(Entity).where(or_(Entity.id == entity.id, Entity.id.in_(select(related.c.id))))
    return _collection(query, reader=reader, session=session, action="entities.read")


def version_places(slug: str, number: int, *, reader: Reader, session: Session) -> PlaceCollection:
    """The entities a version's rows are linked to, for readers of its rows only (the
    catalog decides, and audits, as for the rows themselves)."""
    version = readable_version(
        slug, number, reader=reader, session=session, action="rows.read", details={"map": True}
    )
    linked = select(RowLink.entity_id).where(
        RowLink.version_id == version.id, RowLink.entity_id.is_not(None)
    )
    return _collection(_canonical(linked), reader=reader, session=session, action="rows.read")
