"""Search entities the way Open Supply Hub's facility search works: by name, several
countries, sector, a number-of-workers range, a bounding box, an OS ID (as people write it)
or any identifier, with counts per kind, country and sector for the whole result.

Everything is decided on what the reader may see (``visibility.py``): an entity is a hit
only with visible evidence, a name only when the reader may see that spelling, and the
entity's own fields (sector, workers, coordinates) only when their source is visible, so a
filter or a facet count never tells an outsider what a hidden row said.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.core.errors import BadRequest, InvalidInput
from laborcommons.entities.models import Entity, EntityName
from laborcommons.entities.schemas import EntityFacets, EntityPage, FacetCount
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.identifiers import find_identifier
from laborcommons.entities.service.lookup import canonical_entity
from laborcommons.entities.service.text import country_code, searchable
from laborcommons.entities.service.visibility import (
    shown,
    sight,
    summary_for,
    visible_entities_clause,
    visible_source_clause,
)

MAX_PAGE_SIZE = 500
Bbox = tuple[float, float, float, float]


def parse_bbox(text: str) -> Bbox:
    """``min_lon,min_lat,max_lon,max_lat`` (Open Supply Hub's and GeoJSON's order)."""
    parts = text.split(",")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise BadRequest(
            f"bbox: {text!r} is not min_lon,min_lat,max_lon,max_lat (four numbers)"
        ) from None
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise BadRequest("bbox: longitudes must be between -180 and 180")
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise BadRequest("bbox: latitudes must be between -90 and 90")
    if west > east or south > north:
        raise BadRequest("bbox: min_lon must not exceed max_lon, nor min_lat max_lat")
    return west, south, east, north


def _holder(scheme: str, value: str, *, reader: Reader, session: Session) -> int | None:
    """The canonical entity holding a visible identifier; 0 when none does (no hits)."""
    try:
        found = find_identifier(scheme, value, session=session)
    except InvalidInput as error:  # a wrong check character is a malformed parameter
        raise BadRequest(error.message, details=error.details) from None
    if found is None or not sight(reader, [found.source_version_id], session=session).sees(
        found.source_version_id
    ):
        return 0
    return canonical_entity(session.get_one(Entity, found.entity_id), session=session).id


def _own_fields(
    reader: Reader,
    sectors: Sequence[str],
    workers: tuple[int | None, int | None],
    bbox: Bbox | None,
) -> list[ColumnElement[bool]]:
    """Filters on the entity's own fields, which count only where the reader sees them."""
    conditions: list[ColumnElement[bool]] = []
    if sectors:
        conditions.append(func.lower(Entity.sector).in_([s.strip().lower() for s in sectors]))
    low, high = workers
    if low is not None:  # the entity's range overlaps the one asked for
        conditions.append(func.coalesce(Entity.workers_max, Entity.workers_min) >= low)
    if high is not None:
        conditions.append(func.coalesce(Entity.workers_min, Entity.workers_max) <= high)
    if bbox is not None:
        west, south, east, north = bbox
        conditions += [
            Entity.longitude.between(west, east),
            Entity.latitude.between(south, north),
        ]
    if conditions:
        conditions.append(
            visible_source_clause(reader, Entity.source_version_id, Entity.source_row)
        )
    return conditions


def _name_match(q: str, reader: Reader) -> ColumnElement[bool]:
    """A name the reader may see: the entity's own (as given or transliterated) or another."""
    key = searchable(q)
    words = key.split() if key else []
    other = select(EntityName.entity_id).where(
        visible_source_clause(reader, EntityName.source_version_id, EntityName.source_row)
    )
    for word in words:
        other = other.where(EntityName.name_ascii.contains(word))
    own = visible_source_clause(reader, Entity.source_version_id, Entity.source_row)
    as_given = f"%{q.strip().lower()}%"
    conditions: list[ColumnElement[bool]] = [and_(own, func.lower(Entity.name).like(as_given))]
    if words:
        conditions.append(and_(own, *(Entity.name_ascii.contains(w) for w in words)))
        conditions.append(Entity.id.in_(other))
    return or_(*conditions)


def _relevance(q: str, reader: Reader) -> ColumnElement[int]:
    """Rank of a hit for ``q``, lower first: the reader-visible own name equal to the query,
    then starting with it, then holding it; hits on other names last. Hidden spellings
    never move a hit, so the order tells an outsider nothing a hidden row said."""
    key = searchable(q) or ""
    own = visible_source_clause(reader, Entity.source_version_id, Entity.source_row)
    given = q.strip().lower()
    return case(
        (and_(own, or_(func.lower(Entity.name) == given, Entity.name_ascii == key)), 0),
        (
            and_(
                own,
                or_(func.lower(Entity.name).startswith(given), Entity.name_ascii.startswith(key)),
            ),
            1,
        ),
        (and_(own, func.lower(Entity.name).contains(given)), 2),
        (and_(own, Entity.name_ascii.contains(key)), 2),
        else_=3,
    )


def _facets(query: Select[Any], reader: Reader, *, session: Session) -> EntityFacets:
    """Counts over the whole result (not one page); sectors only where the reader sees them."""
    hits = query.subquery()

    def counts(column: Any, *where: ColumnElement[bool]) -> list[FacetCount]:
        statement = (
            select(column, func.count())
            .where(Entity.id.in_(select(hits.c.id)), column.is_not(None), *where)
            .group_by(column)
        )
        found = [FacetCount(value=v, count=n) for v, n in session.execute(statement)]
        return sorted(found, key=lambda f: (-f.count, f.value))

    own = visible_source_clause(reader, Entity.source_version_id, Entity.source_row)
    return EntityFacets(
        kind=counts(Entity.kind), country=counts(Entity.country), sector=counts(Entity.sector, own)
    )


def search_query(
    *,
    q: str | None = None,
    country: str | Sequence[str] | None = None,
    kind: str | None = None,
    scheme: str | None = None,
    identifier: str | None = None,
    os_id: str | None = None,
    sector: Sequence[str] = (),
    workers_min: int | None = None,
    workers_max: int | None = None,
    bbox: str | None = None,
    reader: Reader,
    session: Session,
) -> Select[Entity]:
    """Active entities the reader sees, matching every filter given (any of several
    countries or sectors): the query both the result list and the map start from."""
    if workers_min is not None and workers_max is not None and workers_min > workers_max:
        raise BadRequest("workers_min must not exceed workers_max")
    if (scheme or identifier) and not (scheme and identifier):
        raise InvalidInput("give both scheme and identifier to search by identifier")
    query = select(Entity).where(Entity.status == "active", visible_entities_clause(reader))
    asked = [(scheme, identifier)] if scheme and identifier else []
    asked += [("os_id", os_id)] if os_id else []
    for name, value in asked:
        query = query.where(Entity.id == _holder(name, value, reader=reader, session=session))
    countries = [country] if isinstance(country, str) else list(country or [])
    if countries:
        query = query.where(Entity.country.in_([country_code(c) for c in countries]))
    if kind:
        query = query.where(Entity.kind == kind)
    area = parse_bbox(bbox) if bbox is not None else None
    query = query.where(*_own_fields(reader, sector, (workers_min, workers_max), area))
    if q and q.strip():
        query = query.where(_name_match(q, reader))
    return query


def search_entities(
    *,
    page: int = 1,
    page_size: int = 50,
    reader: Reader,
    session: Session,
    **filters: Any,
) -> EntityPage:
    """One page of ``search_query``'s entities, ranked by how well a visible name matches
    ``q`` (then by name), shown as the reader sees them, with facet counts over the whole
    result."""
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(f"page must be 1 or more and page_size between 1 and {MAX_PAGE_SIZE}")
    query = search_query(**filters, reader=reader, session=session)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    q = filters.get("q")
    order = [_relevance(q, reader)] if q and q.strip() else []
    rows = session.scalars(
        query.order_by(*order, Entity.name_ascii, Entity.lcid)
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    views = [(e, shown(e, reader=reader, session=session)) for e in rows]
    record_evidence_read(
        [view.sight for _, view in views], reader=reader, action="entities.search", session=session
    )
    return EntityPage(
        items=[summary_for(e, view) for e, view in views],
        total=total,
        page=page,
        page_size=page_size,
        facets=_facets(query, reader, session=session),
    )
