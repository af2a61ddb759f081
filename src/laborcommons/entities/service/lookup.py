"""Find an entity by its lcid, following merges to the canonical one."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.core import stable_id
from laborcommons.core.errors import BadRequest, NotFound
from laborcommons.entities.models import Entity

MAX_HOPS = 100


def entity_row(lcid: str, *, session: Session) -> Entity:
    """The stored entity for this lcid (which may be merged or split); checks the format."""
    try:
        stable_id.parse(lcid)
    except ValueError as error:
        raise BadRequest(str(error), details={"lcid": lcid}) from None
    found = session.scalars(select(Entity).where(Entity.lcid == stable_id.canonical(lcid))).first()
    if found is None:
        raise NotFound(f"no entity {lcid!r}")
    return found


def canonical_entity(entity: Entity, *, session: Session) -> Entity:
    """Follow ``merged_into`` to the entity that answers for this one now."""
    current = entity
    for _ in range(MAX_HOPS):
        if current.merged_into_id is None:
            return current
        current = session.get_one(Entity, current.merged_into_id)
    raise RuntimeError(f"merge chain from {entity.lcid} is longer than {MAX_HOPS}")


def resolve_entity(lcid: str, *, session: Session) -> tuple[Entity, Entity]:
    """(the entity named, the canonical one); they differ when ``lcid`` is an alias."""
    row = entity_row(lcid, session=session)
    return row, canonical_entity(row, session=session)


def alias_ids(entity: Entity, *, session: Session) -> list[int]:
    """Ids of the entity and of everything merged into it, directly or through others."""
    found = [entity.id]
    frontier = [entity.id]
    while frontier:
        query = select(Entity.id).where(Entity.merged_into_id.in_(frontier))
        frontier = [i for i in session.scalars(query) if i not in found]
        found += frontier
    return found
