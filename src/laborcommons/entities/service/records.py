"""Create, change, show and search entities."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.core import stable_id
from laborcommons.core.db import utcnow
from laborcommons.core.errors import InvalidInput
from laborcommons.entities.models import Entity, EntityName
from laborcommons.entities.schemas import (
    EntityCreate,
    EntityFields,
    EntitySummary,
    EntityUpdate,
    IdentifierIn,
)
from laborcommons.entities.service.history import record_event
from laborcommons.entities.service.identifiers import (
    add_identifier,
    canonical_identifier,
)
from laborcommons.entities.service.lookup import resolve_entity
from laborcommons.entities.service.permissions import require_curator, require_entity_change
from laborcommons.entities.service.text import country_code, searchable


def mint_lcid(kind: str, country: str | None, seed: str, *, session: Session) -> str:
    """A new stable ID from ``seed``; a taken one (even merged or split) is never reused."""

    def taken(candidate: str) -> bool:
        return session.scalar(select(Entity.id).where(Entity.lcid == candidate)) is not None

    return stable_id.mint(kind, country, seed, taken=taken)


def _apply_fields(entity: Entity, fields: EntityFields, *, session: Session) -> dict[str, Any]:
    """Copy the fields that were given; return what changed (for the history)."""
    changed: dict[str, Any] = {}
    values = fields.model_dump(exclude_unset=True, exclude={"reason", "identifiers", "kind"})
    if "country" in values:
        values["country"] = country_code(values["country"])
    if "owner" in values:
        owner = values.pop("owner")
        owner_id = None
        if owner is not None:
            _, company = resolve_entity(owner, session=session)
            if company.kind != "company":
                raise InvalidInput(f"owner {owner!r} is a {company.kind}, not a company")
            owner_id = company.id
        values["owner_id"] = owner_id
    for key, value in values.items():
        if getattr(entity, key) != value:
            changed[key] = value
            setattr(entity, key, value)
    if "name" in changed:
        entity.name_ascii = searchable(entity.name)
    if "address" in changed:
        entity.address_ascii = searchable(entity.address) or None
    low, high = entity.workers_min, entity.workers_max
    if low is not None and high is not None and low > high:
        raise InvalidInput("workers_min must not exceed workers_max")
    return changed


def create_entity(
    data: EntityCreate,
    *,
    actor: Reader,
    session: Session,
    seed: str | None = None,
    source_version_id: int | None = None,
    source_row: int | None = None,
    reason: str = "",
    check_permission: bool = True,
) -> Entity:
    """A new entity with a stable ID minted from ``seed`` (by default, from its fields)."""
    if check_permission:
        require_curator(actor)
    country = country_code(data.country)
    for identifier in data.identifiers:  # bad identifiers fail before anything is written
        canonical_identifier(identifier.scheme, identifier.value)
    if seed is None:
        seed = "|".join(
            ["manual", data.kind, country or "", searchable(data.name), searchable(data.address)]
        )
    entity = Entity(
        lcid=mint_lcid(data.kind, country, seed, session=session),
        kind=data.kind,
        name=data.name,
        name_ascii=searchable(data.name),
        source_version_id=source_version_id,
        source_row=source_row,
    )
    _apply_fields(entity, data, session=session)
    session.add(entity)
    session.flush()
    record_event(
        entity,
        "created",
        actor=actor,
        session=session,
        reason=reason,
        evidence={"source_version_id": source_version_id, "source_row": source_row},
    )
    for identifier in data.identifiers:
        add_identifier(
            entity,
            identifier.scheme,
            identifier.value,
            actor=actor,
            session=session,
            source_version_id=source_version_id,
        )
    return entity


def update_entity(lcid: str, data: EntityUpdate, *, actor: Reader, session: Session) -> Entity:
    """Change fields of the canonical entity; the previous name is kept as another name."""
    _, entity = resolve_entity(lcid, session=session)
    require_entity_change(actor, [entity], session=session)
    before_name, before_address, before_city = entity.name, entity.address, entity.city
    changed = _apply_fields(entity, data, session=session)
    if not changed:
        return entity
    if "name" in changed or "address" in changed:
        remember_name(  # the previous spelling keeps the source it came from
            entity,
            before_name,
            before_address,
            before_city,
            session=session,
            source_version_id=entity.source_version_id,
            source_row=entity.source_row,
        )
    entity.updated_at = utcnow()
    record_event(
        entity,
        "updated",
        actor=actor,
        session=session,
        reason=data.reason,
        evidence={"changed": changed},
    )
    return entity


def add_entity_identifier(
    lcid: str, data: IdentifierIn, *, actor: Reader, session: Session
) -> Entity:
    """Add an identifier to the canonical entity, if the actor may change it."""
    _, entity = resolve_entity(lcid, session=session)
    require_entity_change(actor, [entity], session=session)
    add_identifier(entity, data.scheme, data.value, actor=actor, session=session)
    entity.updated_at = utcnow()
    return entity


def remember_name(
    entity: Entity,
    name: str,
    address: str | None,
    city: str | None,
    *,
    session: Session,
    source_version_id: int | None = None,
    source_row: int | None = None,
) -> None:
    """Keep another spelling seen for this entity (once per source: the same spelling from
    another dataset is separate evidence, visible to that dataset's readers)."""
    query = select(EntityName.id).where(
        EntityName.entity_id == entity.id,
        EntityName.name == name,
        EntityName.address.is_(None) if address is None else EntityName.address == address,
        EntityName.source_version_id.is_(None)
        if source_version_id is None
        else EntityName.source_version_id == source_version_id,
    )
    same_source = (entity.source_version_id, entity.source_row is not None) == (
        source_version_id,
        source_row is not None,
    )
    if (name == entity.name and address == entity.address and same_source) or session.scalar(query):
        return
    session.add(
        EntityName(
            entity_id=entity.id,
            name=name,
            name_ascii=searchable(name),
            address=address,
            address_ascii=searchable(address) or None,
            city=city,
            source_version_id=source_version_id,
            source_row=source_row,
        )
    )


def entity_summary(entity: Entity) -> EntitySummary:
    return EntitySummary(
        lcid=entity.lcid,
        kind=entity.kind,
        name=entity.name,
        name_ascii=entity.name_ascii,
        address=entity.address,
        city=entity.city,
        country=entity.country,
        status=entity.status,
    )
