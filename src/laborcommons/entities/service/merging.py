"""Merge and split: recorded judgements, never overwrites.

A merge marks the merged entity ``merged`` with ``merged_into``: its lcid stays valid as an
alias (the API answers it with a 301), its identifiers, names and links count for the
canonical entity. A split marks the original ``split`` and mints new lcids for the parts,
seeded by the original's lcid, so the same split on another node gives the same IDs.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.core.db import utcnow
from laborcommons.core.errors import Conflict, InvalidInput
from laborcommons.entities.models import Entity, EntityIdentifier
from laborcommons.entities.schemas import EntityCreate, MergeRequest, SplitRequest, SplitResult
from laborcommons.entities.service.history import record_event
from laborcommons.entities.service.identifiers import canonical_identifier
from laborcommons.entities.service.lookup import alias_ids, resolve_entity
from laborcommons.entities.service.permissions import require_entity_change
from laborcommons.entities.service.records import create_entity, entity_summary


def merge_entities(lcid: str, data: MergeRequest, *, actor: Reader, session: Session) -> Entity:
    """Merge ``lcid`` into ``data.into``; returns the surviving (canonical) entity."""
    named, source = resolve_entity(lcid, session=session)
    _, target = resolve_entity(data.into, session=session)
    if named.status != "active":
        raise Conflict(
            f"{named.lcid} is already {named.status}"
            + (f" into {source.lcid}" if source is not named else ""),
            details={"lcid": named.lcid, "status": named.status},
        )
    if target.status != "active":
        raise Conflict(f"cannot merge into {target.lcid}: it is {target.status}")
    if source.id == target.id:
        raise InvalidInput(f"{named.lcid} and {data.into} are already the same entity")
    if source.kind != target.kind:
        raise InvalidInput(f"cannot merge a {source.kind} into a {target.kind}")
    require_entity_change(actor, [source, target], session=session)
    source.status = "merged"
    source.merged_into_id = target.id
    source.updated_at = target.updated_at = utcnow()
    evidence = {**data.evidence}
    record_event(
        source,
        "merged",
        actor=actor,
        session=session,
        other_lcid=target.lcid,
        reason=data.reason,
        evidence=evidence,
    )
    record_event(
        target,
        "absorbed",
        actor=actor,
        session=session,
        other_lcid=source.lcid,
        reason=data.reason,
        evidence=evidence,
    )
    return target


def split_entity(lcid: str, data: SplitRequest, *, actor: Reader, session: Session) -> SplitResult:
    """Split an active entity into new ones; listed identifiers move to their part."""
    named, original = resolve_entity(lcid, session=session)
    if named is not original or original.status != "active":
        raise Conflict(
            f"{named.lcid} is {named.status}; only an active, canonical entity can be split",
            details={"lcid": named.lcid, "canonical": original.lcid},
        )
    require_entity_change(actor, [original], session=session)
    ids = alias_ids(original, session=session)
    moves: list[tuple[int, EntityIdentifier]] = []
    for index, part in enumerate(data.parts):
        for identifier in part.identifiers:
            scheme, value = canonical_identifier(identifier.scheme, identifier.value)
            held = session.scalars(
                select(EntityIdentifier).where(
                    EntityIdentifier.scheme == scheme,
                    EntityIdentifier.value == value,
                    EntityIdentifier.entity_id.in_(ids),
                )
            ).first()
            if held is None:
                raise InvalidInput(
                    f"part {index + 1}: {original.lcid} has no {scheme} identifier {value!r}",
                    details={"part": index + 1, "scheme": scheme, "value": value},
                )
            moves.append((index, held))
    parts: list[Entity] = []
    for index, part in enumerate(data.parts):
        fields = part.model_dump(exclude={"identifiers"}, exclude_unset=True)
        fields.setdefault("country", original.country)
        create = EntityCreate(kind=original.kind, **fields)
        new = create_entity(
            create,
            actor=actor,
            session=session,
            seed=f"split|{original.lcid}|{index}",
            reason=data.reason,
            check_permission=False,
        )
        parts.append(new)
    for index, held in moves:
        held.entity_id = parts[index].id
    original.status = "split"
    original.updated_at = utcnow()
    for new in parts:
        record_event(
            original,
            "split_into",
            actor=actor,
            session=session,
            other_lcid=new.lcid,
            reason=data.reason,
            evidence=data.evidence,
        )
        record_event(
            new,
            "split_from",
            actor=actor,
            session=session,
            other_lcid=original.lcid,
            reason=data.reason,
            evidence=data.evidence,
        )
    return SplitResult(original=original.lcid, parts=[entity_summary(p) for p in parts])
