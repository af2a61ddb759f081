"""Find an entity by its lcid, following merges to the canonical one.

The one owner of merge resolution: ``follow_merges`` (an entity to the one that answers
for it now) and ``merged_members`` (an entity to everything merged into it), in Python,
and ``canonical_roots``, the same rule as SQL for WHERE clauses (tested to agree). A merge
chain that loops or is longer than ``MAX_HOPS`` is an error, never silently cut short.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from laborcommons.core import stable_id
from laborcommons.core.errors import BadRequest, Conflict, NotFound
from laborcommons.entities.models import Entity

MAX_HOPS = 100


def follow_merges(start: int, merged_into: Callable[[int], int | None]) -> int:
    """The id at the end of ``start``'s merge chain (``merged_into`` gives the next hop)."""
    chain = [start]
    while (into := merged_into(chain[-1])) is not None:
        if into in chain:
            raise Conflict(
                f"the merge chain of entity {start} loops back to entity {into}",
                details={"chain": [*chain, into]},
            )
        chain.append(into)
        if len(chain) > MAX_HOPS + 1:
            raise Conflict(
                f"the merge chain of entity {start} is longer than {MAX_HOPS} merges",
                details={"chain": chain[:10]},
            )
    return chain[-1]


def merged_members(root: int, children: Mapping[int, Sequence[int]]) -> list[int]:
    """``root`` and every id merged into it, directly or through others (``children`` maps
    an id to the ids merged straight into it), nearest first."""
    found, frontier = [root], [root]
    while frontier:
        frontier = [c for f in frontier for c in children.get(f, ()) if c not in found]
        found += frontier
    return found


def canonical_roots(name: str) -> Any:
    """A recursive CTE of (alias_id, root_id): every entity with the entity it answers for
    now (itself, or the end of its merge chain); entities on a loop have no row."""
    roots = (
        select(Entity.id.label("alias_id"), Entity.id.label("root_id"))
        .where(Entity.merged_into_id.is_(None))
        .cte(name, recursive=True)
    )
    alias = aliased(Entity)
    return roots.union_all(
        select(alias.id, roots.c.root_id).join(roots, alias.merged_into_id == roots.c.alias_id)
    )


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
    if entity.merged_into_id is None:
        return entity

    def into(entity_id: int) -> int | None:
        return session.get_one(Entity, entity_id).merged_into_id

    return session.get_one(Entity, follow_merges(entity.id, into))


def resolve_entity(lcid: str, *, session: Session) -> tuple[Entity, Entity]:
    """(the entity named, the canonical one); they differ when ``lcid`` is an alias."""
    row = entity_row(lcid, session=session)
    return row, canonical_entity(row, session=session)


def merge_children(session: Session) -> dict[int, list[int]]:
    """Every merge as parent id -> ids merged straight into it (for ``merged_members``)."""
    children: dict[int, list[int]] = {}
    query = select(Entity.id, Entity.merged_into_id).where(Entity.merged_into_id.is_not(None))
    for child, parent in session.execute(query.order_by(Entity.id)):
        if parent is not None:
            children.setdefault(parent, []).append(child)
    return children


def alias_ids(entity: Entity, *, session: Session) -> list[int]:
    """Ids of the entity and of everything merged into it, directly or through others
    (reading only this entity's tree, one query per level)."""
    children: dict[int, list[int]] = {}
    seen, level = {entity.id}, [entity.id]
    while level:
        query = select(Entity.id, Entity.merged_into_id).where(Entity.merged_into_id.in_(level))
        level = []
        for child, parent in session.execute(query.order_by(Entity.id)):
            if parent is None:
                continue
            children.setdefault(parent, []).append(child)
            if child not in seen:
                seen.add(child)
                level.append(child)
    return merged_members(entity.id, children)
