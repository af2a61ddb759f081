"""Who may change shared identities, decided by the access policy.

Entities are read by whoever sees some of their evidence (``visibility.py``); to
everyone else they answer 404, also when asked to change them. Changing one (merge,
split, edit, identifiers) needs the node admin or an editor/owner of an organization whose
dataset brought the entity in or links rows to it; an entity no dataset mentions may be
changed by any editor/owner. Linking rows
and deciding review candidates needs edit rights on the dataset itself.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, may_edit
from laborcommons.access.policy import WRITING_ROLES
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.core.errors import Forbidden, NotAuthenticated, NotFound
from laborcommons.entities.models import Entity, RowLink
from laborcommons.entities.service.lookup import alias_ids
from laborcommons.entities.service.visibility import require_visible


def require_curator(reader: Reader) -> None:
    """Anyone who may edit some organization's data (or the admin) may create entities."""
    if reader.is_anonymous:
        raise NotAuthenticated("sign in (an API token) to change shared identities")
    if not reader.is_admin and not any(r in WRITING_ROLES for r in reader.roles.values()):
        raise Forbidden("only editors or owners of an organization may change shared identities")


def owner_ids_of(entity: Entity, *, session: Session) -> set[int]:
    """Organizations whose datasets brought in or link rows to this entity (or its aliases)."""
    ids = alias_ids(entity, session=session)
    linked = select(RowLink.version_id).where(RowLink.entity_id.in_(ids))
    sourced = select(Entity.source_version_id).where(
        Entity.id.in_(ids), Entity.source_version_id.is_not(None)
    )
    query = (
        select(Dataset.organization_id)
        .join(DatasetVersion, DatasetVersion.dataset_id == Dataset.id)
        .where(or_(DatasetVersion.id.in_(linked), DatasetVersion.id.in_(sourced)))
        .distinct()
    )
    return set(session.scalars(query))


def require_entity_change(reader: Reader, entities: list[Entity], *, session: Session) -> None:
    require_curator(reader)
    if reader.is_admin:
        return
    for entity in entities:
        require_visible(entity, reader=reader, session=session)
        owners = owner_ids_of(entity, session=session)
        if owners and not any(may_edit(reader, owner_id=o) for o in owners):
            raise Forbidden(
                f"{entity.lcid} comes from datasets of organizations you do not edit; "
                "ask one of them or the node admin"
            )


def may_change_entity(reader: Reader, entity: Entity, *, session: Session) -> bool:
    """Whether ``require_entity_change`` would let this reader change the entity: pages
    show their editing forms only to readers the services would let through."""
    try:
        require_entity_change(reader, [entity], session=session)
    except (NotAuthenticated, Forbidden, NotFound):
        return False
    return True
