"""Every change to an entity is an event: its history, and the feed integrators follow."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.access.audit import actor_name, scrub
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.entities.models import Entity, EntityEvent
from laborcommons.entities.schemas import ChangesPage, EventPublic, EventSource
from laborcommons.entities.service.visibility import (
    require_visible,
    sight,
    source_of,
    visible_entities_clause,
)

MAX_CHANGES = 1000


def record_event(
    entity: Entity,
    event: str,
    *,
    actor: Reader,
    session: Session,
    other_lcid: str | None = None,
    reason: str = "",
    evidence: dict[str, Any] | None = None,
) -> EntityEvent:
    """Append to the entity's history (who, when, why, which evidence) in this transaction."""
    session.flush()
    row = event_row(
        entity, event, actor=actor, other_lcid=other_lcid, reason=reason, evidence=evidence
    )
    session.add(row)
    return row


def event_row(
    entity: Entity,
    event: str,
    *,
    actor: Reader,
    other_lcid: str | None = None,
    reason: str = "",
    evidence: dict[str, Any] | None = None,
) -> EntityEvent:
    """An event for an entity that already has its id (for bulk writes: no flush)."""
    return EntityEvent(
        entity_id=entity.id,
        lcid=entity.lcid,
        event=event,
        other_lcid=other_lcid,
        actor=actor_name(actor),
        actor_user_id=actor.user_id,
        reason=reason,
        evidence=scrub(evidence or {}),
    )


def event_public(row: EntityEvent, source: EventSource | None = None) -> EventPublic:
    return EventPublic(
        id=row.id,
        lcid=row.lcid,
        event=row.event,
        other_lcid=row.other_lcid,
        actor=row.actor,
        reason=row.reason,
        evidence=row.evidence,
        created_at=row.created_at,
        source=source,
    )


def _event_source(row: EntityEvent, own: dict[int, int | None]) -> int | None:
    """The version an event's evidence came from: an edit of the fields counts as the
    entity's own evidence, a linked row as its version, others as they say."""
    if row.event == "updated":
        return own.get(row.entity_id)
    evidence = row.evidence or {}
    value = evidence.get("source_version_id", evidence.get("version_id"))
    return value if isinstance(value, int) else None


def _visible_events(rows: list[EntityEvent], reader: Reader, session: Session) -> list[EventPublic]:
    ids = sorted({r.entity_id for r in rows})
    own = {
        i: source_of(v, n)
        for i, v, n in session.execute(
            select(Entity.id, Entity.source_version_id, Entity.source_row).where(Entity.id.in_(ids))
        )
    }
    sources = {r.id: _event_source(r, own) for r in rows}
    seen = sight(reader, sources.values(), session=session)
    shown = [r for r in rows if seen.sees(sources[r.id])]
    named = _named_versions({sources[r.id] for r in shown}, session)
    return [event_public(r, _source(r, sources[r.id], named)) for r in shown]


def _named_versions(ids: set[int | None], session: Session) -> dict[int, tuple[str, str, int]]:
    """Version id → (dataset slug, title, version number), for versions the reader sees."""
    wanted = sorted(i for i in ids if isinstance(i, int) and i > 0)
    if not wanted:
        return {}
    query = (
        select(DatasetVersion.id, Dataset.slug, Dataset.title, DatasetVersion.number)
        .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
        .where(DatasetVersion.id.in_(wanted))
    )
    return {vid: (slug, title, number) for vid, slug, title, number in session.execute(query)}


def _source(
    row: EntityEvent, version_id: int | None, named: dict[int, tuple[str, str, int]]
) -> EventSource | None:
    if version_id is None or version_id not in named:
        return None
    slug, title, number = named[version_id]
    line = (row.evidence or {}).get("source_row")
    return EventSource(
        dataset=slug, title=title, version=number, row=line if isinstance(line, int) else None
    )


def entity_history(entity: Entity, *, reader: Reader, session: Session) -> list[EventPublic]:
    """The events of an entity the reader sees whose evidence they may see; 404 otherwise."""
    require_visible(entity, reader=reader, session=session)
    query = select(EntityEvent).where(EntityEvent.entity_id == entity.id)
    rows = list(session.scalars(query.order_by(EntityEvent.id)))
    return _visible_events(rows, reader, session)


def changes_since(
    since: int = 0, *, limit: int = 100, reader: Reader, session: Session
) -> ChangesPage:
    """Events after ``since`` in order, of entities the reader sees and with evidence they
    may see; ``next_since`` continues where this page stopped (a page may hold fewer than
    ``limit`` items when some were hidden)."""
    limit = max(1, min(limit, MAX_CHANGES))
    query = (
        select(EntityEvent)
        .where(
            EntityEvent.id > since,
            visible_entities_clause(reader, EntityEvent.entity_id, aliases=True),
        )
        .order_by(EntityEvent.id)
    )
    rows = list(session.scalars(query.limit(limit)))
    items = _visible_events(rows, reader, session)
    next_since = rows[-1].id if rows else since
    more = len(rows) == limit
    return ChangesPage(
        items=items,
        next_since=next_since,
        next=f"/api/v1/entities/changes?since={next_since}&limit={limit}" if more else None,
    )
