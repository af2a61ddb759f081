"""Which entities, and which of their evidence, a reader sees: the one rule every surface
(API, reconciliation, web pages, CLI, link jobs, review) applies.

Every piece of evidence about an entity carries the dataset version it came from: the
entity's own fields (name, address, coordinates, workers, ...), other names seen,
identifiers, relations, row links, and merged aliases (with theirs). Evidence without a
version was entered by an editor or the admin and is visible to all; evidence whose version
was deleted (a row number left, no version) is visible to the node admin only.

- A piece of evidence is visible when the reader may read its version's rows
  (``access.policy.may_read_rows``, with the dataset id so grants count) and the version is
  not withheld from the reader (``catalog.service.is_withheld``: personal data still in a
  public dataset's version; the owner's members still see it).
- A reader sees an entity only if at least one piece of its evidence (or of its aliases'
  evidence) is visible; it sees only that visible evidence, and the displayed name and
  address fall back to the first visible spelling. Anything else answers 404.

``readable_versions`` is the Python form (one decision per dataset through the policy);
``visible_evidence``/``visible_entities_clause`` are the SQL form for lists and counts,
tested to agree. Nothing is cached: a Reader is built per request with the grants active
then, and the levels are read from the database on every call, so an expired grant or a
changed level takes effect on the very next request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, not_, or_, select, true, union
from sqlalchemy.orm import Session

from laborcommons.access import Reader, may_read_rows
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.service import is_withheld, readable_rows_clause, withheld_clause
from laborcommons.core.errors import NotFound
from laborcommons.entities.models import (
    Entity,
    EntityIdentifier,
    EntityName,
    EntityRelation,
    RowLink,
)
from laborcommons.entities.schemas import EntitySummary
from laborcommons.entities.service.lookup import (
    alias_ids,
    canonical_entity,
    canonical_roots,
    merge_children,
    merged_members,
)
from laborcommons.entities.service.text import searchable

CHUNK = 500
DELETED = -1
"""Stands for a version that was deleted: never readable (except by the node admin)."""


# --- Python form --------------------------------------------------------------------------


def readable_versions(
    version_ids: Iterable[int | None], *, reader: Reader, session: Session
) -> set[int]:
    """Of these versions, those whose rows the reader may read (asked of the policy)."""
    wanted = sorted({v for v in version_ids if v is not None and v != DELETED})
    readable: set[int] = set()
    for start in range(0, len(wanted), CHUNK):
        query = (
            select(DatasetVersion.id, Dataset.id, Dataset.organization_id, Dataset.access)
            .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
            .where(DatasetVersion.id.in_(wanted[start : start + CHUNK]))
        )
        for version_id, dataset_id, owner_id, level in session.execute(query):
            if may_read_rows(
                reader, owner_id=owner_id, level=level, dataset_id=dataset_id
            ) and not is_withheld(
                reader, owner_id=owner_id, level=level, version_id=version_id, session=session
            ):  # a withheld version (personal data) is unreadable, as the catalog decides
                readable.add(version_id)
    return readable


def source_of(version_id: int | None, row: int | None = None) -> int | None:
    """The version a piece of evidence came from; ``DELETED`` when only its row is left."""
    if version_id is None and row is not None:
        return DELETED
    return version_id


@dataclass
class Sight:
    """What one reader may see of evidence: the readable versions among those asked."""

    reader: Reader
    readable: set[int] = field(default_factory=set)

    def sees(self, version_id: int | None, row: int | None = None) -> bool:
        source = source_of(version_id, row)
        if self.reader.is_admin or source is None:
            return True
        return source in self.readable


def sight(reader: Reader, version_ids: Iterable[int | None], *, session: Session) -> Sight:
    return Sight(reader, readable_versions(version_ids, reader=reader, session=session))


def evidence_sources(ids: list[int], *, session: Session) -> list[int | None]:
    """Every source (version id, None or ``DELETED``) of evidence about these entity ids."""
    sources: list[int | None] = []
    sources += [
        source_of(v, r)
        for v, r in session.execute(
            select(Entity.source_version_id, Entity.source_row).where(Entity.id.in_(ids))
        )
    ]
    sources += [
        source_of(v, r)
        for v, r in session.execute(
            select(EntityName.source_version_id, EntityName.source_row).where(
                EntityName.entity_id.in_(ids)
            )
        )
    ]
    sources += list(
        session.scalars(
            select(EntityIdentifier.source_version_id).where(EntityIdentifier.entity_id.in_(ids))
        )
    )
    sources += list(
        session.scalars(
            select(EntityRelation.source_version_id).where(
                or_(EntityRelation.subject_id.in_(ids), EntityRelation.object_id.in_(ids))
            )
        )
    )
    sources += list(
        session.scalars(select(RowLink.version_id).where(RowLink.entity_id.in_(ids)).distinct())
    )
    return sources


def entity_visible(entity: Entity, *, reader: Reader, session: Session) -> bool:
    """Whether the reader sees this entity (its canonical one): some evidence is visible."""
    if reader.is_admin:
        return True
    canonical = canonical_entity(entity, session=session)
    sources = evidence_sources(alias_ids(canonical, session=session), session=session)
    seen = sight(reader, sources, session=session)
    return any(seen.sees(s) for s in sources)


def require_visible(entity: Entity, *, reader: Reader, session: Session) -> None:
    """404 (never 403) for an entity whose evidence the reader may not see at all."""
    if not entity_visible(entity, reader=reader, session=session):
        raise NotFound(f"no entity {entity.lcid!r}")


@dataclass
class Shown:
    """The displayed fields of an entity for one reader: its own when their source is
    visible, else the first visible spelling (another name, or a merged alias)."""

    name: str
    address: str | None
    city: str | None
    postal_code: str | None
    own: bool
    sight: Sight
    ids: list[int]


def shown(entity: Entity, *, reader: Reader, session: Session) -> Shown:
    """What this reader is shown of a canonical entity (call ``require_visible`` first)."""
    return shown_many([entity], reader=reader, session=session)[entity.id]


def _alias_map(entities: list[Entity], session: Session) -> dict[int, list[int]]:
    """For each entity, its id and the ids of everything merged into it (any chain)."""
    children = merge_children(session)
    return {entity.id: merged_members(entity.id, children) for entity in entities}


def shown_many(entities: list[Entity], *, reader: Reader, session: Session) -> dict[int, Shown]:
    """``shown`` for many entities at once (exports, lists): a few queries in all."""
    ids_of = _alias_map(entities, session)
    every = sorted({i for ids in ids_of.values() for i in ids})
    names: dict[int, list[tuple[Any, ...]]] = {}
    others: dict[int, tuple[Any, ...]] = {}
    for start in range(0, len(every), CHUNK):
        chunk = every[start : start + CHUNK]
        for entity_id, name_id, *spelling in session.execute(
            select(
                EntityName.entity_id,
                EntityName.id,
                EntityName.name,
                EntityName.address,
                EntityName.city,
                EntityName.postal_code,
                EntityName.source_version_id,
                EntityName.source_row,
            )
            .where(EntityName.entity_id.in_(chunk))
            .order_by(EntityName.id)
        ):
            names.setdefault(entity_id, []).append((name_id, *spelling))
        for entity_id, *spelling in session.execute(
            select(
                Entity.id,
                Entity.name,
                Entity.address,
                Entity.city,
                Entity.postal_code,
                Entity.source_version_id,
                Entity.source_row,
            ).where(Entity.id.in_(chunk))
        ):
            others[entity_id] = tuple(spelling)
    identifiers = []
    for start in range(0, len(every), CHUNK):
        identifiers += list(
            session.scalars(
                select(EntityIdentifier.source_version_id).where(
                    EntityIdentifier.entity_id.in_(every[start : start + CHUNK])
                )
            )
        )
    sources = [s[5] for spellings in names.values() for s in spellings]
    sources += [s[4] for s in others.values()] + identifiers
    seen = sight(reader, sources, session=session)
    result: dict[int, Shown] = {}
    for entity in entities:
        ids = ids_of[entity.id]
        if seen.sees(entity.source_version_id, entity.source_row):
            result[entity.id] = Shown(
                entity.name, entity.address, entity.city, entity.postal_code, True, seen, ids
            )
            continue
        kept = sorted(s for i in ids for s in names.get(i, []))  # kept names first, as stored
        spellings = [s[1:] for s in kept]
        spellings += [others[i] for i in sorted(ids) if i != entity.id and i in others]
        first = next((s for s in spellings if seen.sees(s[4], s[5])), None)
        if first is None:
            result[entity.id] = Shown(entity.lcid, None, None, None, False, seen, ids)
        else:
            result[entity.id] = Shown(first[0], first[1], first[2], first[3], False, seen, ids)
    return result


def summary_for(entity: Entity, view: Shown) -> EntitySummary:
    """The summary of an entity with the fields this reader is shown."""
    return EntitySummary(
        lcid=entity.lcid,
        kind=entity.kind,
        name=view.name,
        name_ascii=entity.name_ascii if view.own else searchable(view.name),
        address=view.address,
        city=view.city,
        country=entity.country,
        status=entity.status,
    )


def entity_summary_for(entity: Entity, *, reader: Reader, session: Session) -> EntitySummary:
    """The summary a reader is shown of one (visible, canonical) entity."""
    return summary_for(entity, shown(entity, reader=reader, session=session))


# --- SQL form -----------------------------------------------------------------------------


def readable_versions_query(reader: Reader) -> Select[Any]:
    """Mirror of ``readable_versions``: ids of versions whose rows the reader may read."""
    return (
        select(DatasetVersion.id)
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .where(readable_rows_clause(reader), not_(withheld_clause(reader)))
    )


def visible_source_clause(
    reader: Reader, version: Any, row: Any | None = None
) -> ColumnElement[bool]:
    """Mirror of ``Sight.sees`` for a version column (and a row column, when it has one)."""
    if reader.is_admin:
        return true()
    editor = version.is_(None) if row is None else and_(version.is_(None), row.is_(None))
    return or_(editor, version.in_(readable_versions_query(reader)))


def visible_evidence(reader: Reader) -> Any:
    """Ids of entities (not following merges) with at least one visible piece of evidence."""
    return union(
        select(Entity.id.label("entity_id")).where(
            visible_source_clause(reader, Entity.source_version_id, Entity.source_row)
        ),
        select(EntityName.entity_id).where(
            visible_source_clause(reader, EntityName.source_version_id, EntityName.source_row)
        ),
        select(EntityIdentifier.entity_id).where(
            visible_source_clause(reader, EntityIdentifier.source_version_id)
        ),
        select(EntityRelation.subject_id).where(
            visible_source_clause(reader, EntityRelation.source_version_id)
        ),
        select(EntityRelation.object_id).where(
            visible_source_clause(reader, EntityRelation.source_version_id)
        ),
        select(RowLink.entity_id).where(
            RowLink.entity_id.is_not(None), visible_source_clause(reader, RowLink.version_id)
        ),
    )


def visible_entities_clause(
    reader: Reader, entity_id: Any = Entity.id, *, aliases: bool = False
) -> ColumnElement[bool]:
    """Mirror of ``entity_visible`` as a WHERE clause on a canonical entity's id: some
    evidence of it, or of an entity merged into it (through any chain), is visible. With
    ``aliases``, merged entities whose canonical entity is visible pass too."""
    if reader.is_admin:
        return true()
    roots = canonical_roots("entity_roots")
    evidence = visible_evidence(reader).subquery()
    seen = select(roots.c.root_id).where(roots.c.alias_id.in_(select(evidence.c.entity_id)))
    column: ColumnElement[int] = entity_id
    if aliases:
        return column.in_(select(roots.c.alias_id).where(roots.c.root_id.in_(seen)))
    return column.in_(seen)
