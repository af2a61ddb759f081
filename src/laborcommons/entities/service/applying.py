"""Apply a link plan: mint new entities, write row links and review candidates.

New entities are seeded by the version's sha256 and the first row of their group, so the
same file gives the same lcids on every node; existing entities are only linked to, never
renumbered or re-clustered.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core import stable_id
from laborcommons.core.errors import Conflict
from laborcommons.entities.models import (
    Entity,
    EntityIdentifier,
    EntityName,
    ReviewCandidate,
    RowLink,
)
from laborcommons.entities.schemas import RowOutcome
from laborcommons.entities.service.history import event_row
from laborcommons.entities.service.identifiers import add_identifier
from laborcommons.entities.service.planning import LinkPlan, RowPlan
from laborcommons.entities.service.relations import relate_row
from laborcommons.entities.service.text import searchable

NEW_FIELDS = ("address", "city", "postal_code", "country", "latitude", "longitude")


def entity_seed(version: DatasetVersion, kind: str, row: int) -> str:
    return f"{version.sha256}|{kind}|{row}"


def new_groups(plan: LinkPlan) -> dict[int, list[RowPlan]]:
    groups: dict[int, list[RowPlan]] = defaultdict(list)
    for row in plan.rows:
        if row.status == "new":
            groups[row.new_group or row.row].append(row)
    return {min(r.row for r in rows): rows for _, rows in sorted(groups.items())}


def count_outcomes(plan: LinkPlan) -> dict[str, int]:
    counts = {"linked": 0, "review": 0, "new": 0}
    for row in plan.rows:
        counts[row.status] += 1
    counts["entities_created"] = len(new_groups(plan))
    counts["skipped"] = len({s["row"] for s in plan.skipped if not s.get("kept")})
    counts["unchanged"] = plan.unchanged
    return counts


def preview_outcomes(
    plan: LinkPlan, version: DatasetVersion, kind: str, *, session: Session
) -> list[RowOutcome]:
    """What a real run would do, with the lcids it would mint; writes nothing."""
    groups = new_groups(plan)
    lcids = new_lcids(groups, version, kind, session=session)
    minted = {row.row: lcids[first] for first, rows in groups.items() for row in rows}
    linked = sorted({r.entity_id for r in plan.rows if r.entity_id})
    query = select(Entity.id, Entity.lcid).where(Entity.id.in_(linked))
    by_id = {entity_id: lcid for entity_id, lcid in session.execute(query)}
    return [
        RowOutcome(
            row=r.row,
            status=r.status,
            method=r.method,
            name=r.record["name"],
            entity=minted.get(r.row) if r.status == "new" else by_id.get(r.entity_id or -1),
            probability=r.probability,
        )
        for r in plan.rows
    ]


def _mint_avoiding(
    kind: str, country: str | None, seed: str, planned: set[str], *, session: Session
) -> str:
    def taken(candidate: str) -> bool:
        if candidate in planned:
            return True
        return session.scalar(select(Entity.id).where(Entity.lcid == candidate)) is not None

    return stable_id.mint(kind, country, seed, taken=taken)


def _attach_identifiers(
    entity: Entity, row: RowPlan, version: DatasetVersion, *, actor: Reader, session: Session
) -> list[dict[str, object]]:
    """Identifiers of the row go to its entity; one held elsewhere is reported, not moved."""
    issues: list[dict[str, object]] = []
    for scheme, value in row.identifiers:
        held = session.scalars(
            select(EntityIdentifier).where(
                EntityIdentifier.scheme == scheme, EntityIdentifier.value == value
            )
        ).first()
        if held is not None:
            if held.entity_id != entity.id:
                issues.append(
                    {
                        "row": row.row,
                        "reason": f"{scheme} {value} is held by another entity",
                        "kept": True,
                    }
                )
            continue
        try:
            add_identifier(
                entity, scheme, value, actor=actor, session=session, source_version_id=version.id
            )
        except Conflict as error:  # pragma: no cover - guarded by the query above
            issues.append({"row": row.row, "reason": error.message, "kept": True})
    return issues


def new_lcids(
    groups: dict[int, list[RowPlan]], version: DatasetVersion, kind: str, *, session: Session
) -> dict[int, str]:
    """The lcid of each new group (by first row): one query for the usual case, the
    collision step only for bodies already taken."""
    first_try = {
        first: stable_id.compose(
            kind, rows[0].record["country"], stable_id.body_for(entity_seed(version, kind, first))
        )
        for first, rows in groups.items()
    }
    taken: set[str] = set()
    wanted = sorted(first_try.values())
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        taken.update(session.scalars(select(Entity.lcid).where(Entity.lcid.in_(chunk))))
    lcids: dict[int, str] = {}
    for first, rows in groups.items():
        lcid = first_try[first]
        if lcid in taken:
            seed = entity_seed(version, kind, first)
            lcid = _mint_avoiding(kind, rows[0].record["country"], seed, taken, session=session)
        taken.add(lcid)
        lcids[first] = lcid
    return lcids


def _create_new_entities(
    plan: LinkPlan, version: DatasetVersion, kind: str, *, actor: Reader, session: Session
) -> None:
    """One entity per new group, minted from the version's sha256 and the group's first row;
    written in bulk (one query for taken IDs, one flush) since lists can be long."""
    groups = new_groups(plan)
    lcids = new_lcids(groups, version, kind, session=session)
    created: list[tuple[Entity, list[RowPlan]]] = []
    for first, rows in groups.items():
        head = rows[0].record
        entity = Entity(
            lcid=lcids[first],
            kind=kind,
            name=head["name"],
            name_ascii=searchable(head["name"]),
            address=head["address"],
            address_ascii=searchable(head["address"]) or None,
            source_version_id=version.id,
            source_row=first,
            **{f: head[f] for f in NEW_FIELDS if f != "address" and head.get(f) is not None},
        )
        session.add(entity)
        created.append((entity, rows))
    session.flush()
    for entity, rows in created:
        session.add(
            event_row(
                entity,
                "created",
                actor=actor,
                reason="new in a linked dataset",  # which one: the event's source
                evidence={"source_version_id": version.id, "source_row": entity.source_row},
            )
        )
        for row in rows:
            row.entity_id = entity.id


def _entities(ids: set[int], session: Session) -> dict[int, Entity]:
    found: dict[int, Entity] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        query = select(Entity).where(Entity.id.in_(wanted[start : start + 500]))
        found.update({e.id: e for e in session.scalars(query)})
    return found


Known = dict[int, set[tuple[str, str | None, int | None]]]


def _known_names(entities: dict[int, Entity], session: Session) -> Known:
    """Names (with address and source version) each entity already has, so a spelling is
    kept once per source: the same spelling in another list is evidence of its own, visible
    to that list's readers (``visibility.py``)."""
    known: Known = {e.id: {(e.name, e.address, e.source_version_id)} for e in entities.values()}
    ids = sorted(known)
    for start in range(0, len(ids), 500):
        query = select(
            EntityName.entity_id, EntityName.name, EntityName.address, EntityName.source_version_id
        ).where(EntityName.entity_id.in_(ids[start : start + 500]))
        for entity_id, name, address, version_id in session.execute(query):
            known[entity_id].add((name, address, version_id))
    return known


def _add_candidates(
    row: RowPlan, version: DatasetVersion, kind: str, job_id: int, session: Session
) -> None:
    for candidate in row.candidates:
        session.add(
            ReviewCandidate(
                job_id=job_id,
                version_id=version.id,
                kind=kind,
                row_number=row.row,
                entity_id=candidate["entity_id"],
                fingerprint=row.fingerprint,
                record=row.record,
                probability=candidate["probability"],
                match_weight=candidate["match_weight"],
                comparison=candidate["comparison"],
            )
        )


def apply_plan(
    plan: LinkPlan,
    version: DatasetVersion,
    kind: str,
    *,
    job_id: int,
    actor: Reader,
    session: Session,
    relation: dict[str, Any] | None = None,
) -> list[dict[str, object]]:
    """Write the plan in the caller's transaction; returns issues found while writing."""
    issues: list[dict[str, object]] = []
    _create_new_entities(plan, version, kind, actor=actor, session=session)
    entities = _entities({r.entity_id for r in plan.rows if r.entity_id}, session)
    known = _known_names(entities, session)
    for row in plan.rows:
        session.add(
            RowLink(
                version_id=version.id,
                kind=kind,
                row_number=row.row,
                entity_id=row.entity_id,
                job_id=job_id,
                status=row.status,
                method=row.method,
                probability=row.probability,
            )
        )
        if row.status == "review":
            _add_candidates(row, version, kind, job_id, session)
            continue
        entity = entities[row.entity_id or -1]
        record = row.record
        spelling = (record["name"], record["address"], version.id)
        if spelling not in known.setdefault(entity.id, set()):
            known[entity.id].add(spelling)
            session.add(
                EntityName(
                    entity_id=entity.id,
                    name=record["name"],
                    name_ascii=searchable(record["name"]),
                    address=record["address"],
                    address_ascii=searchable(record["address"]) or None,
                    city=record["city"],
                    source_version_id=version.id,
                    source_row=row.row,
                )
            )
        issues += _attach_identifiers(entity, row, version, actor=actor, session=session)
        if relation is not None:
            relate_row(
                relation,
                entity,
                tier=record.get("tier"),
                version_id=version.id,
                actor=actor,
                session=session,
            )
    session.flush()
    return issues
