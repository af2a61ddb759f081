"""Link the demo's three overlapping brand supplier lists to shared facilities.

Harbor & Pine's list goes first and founds the facilities; Velta Sport's and Lumen Basics'
lists are matched against them, then the open certifications list, so a fresh demo node
shows linked facilities, entity pages with several sources' spellings, and a review queue
of the uncertain pairs. Each brand becomes
a brand entity that ``sources_from`` every facility its list links to (with the tier when
the list gives one).

The demo is one transaction (the ``demo`` command's), so the link jobs run in it too: the
same planning and writing steps as ``execute_link_job``, without its separate commits.
A version already linked is skipped, which keeps ``laborcommons demo`` idempotent.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import NODE_ADMIN
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.node import Node
from laborcommons.demo.datasets import CERTIFICATES, DECLARATIONS, HARBOR, LUMEN, VELTA, DatasetSpec
from laborcommons.entities import service as entities
from laborcommons.entities.models import Entity, EntityRelation, LinkJob, RowLink
from laborcommons.entities.schemas import (
    EntityCreate,
    LinkJobCreate,
    RelationCreate,
)

LISTS: tuple[tuple[DatasetSpec, str | None, str | None], ...] = (
    (HARBOR, "Harbor & Pine", None),
    (VELTA, "Velta Sport", "tier"),
    (LUMEN, "Lumen Basics", "Tier"),
    (CERTIFICATES, None, None),  # certificates name facilities too: one more source each
    (DECLARATIONS, None, None),  # the facilities' self-assessments (evidence)
)
"""(list, the brand that publishes it, its tier column), in linking order."""


def link_demo_lists(
    *, node: Node, session: Session, on_list: Callable[[str], None] | None = None
) -> list[str]:
    """Link each brand list's latest version (once) and record who sources from where."""
    lines = []
    for spec, brand_name, tier_column in LISTS:
        if on_list is not None:
            on_list(spec.slug)
        version = catalog.get_version(spec.slug, None, reader=NODE_ADMIN, session=session)
        if _already_linked(version, session):
            continue
        counts = _link(spec.slug, version, node=node, session=session)
        if brand_name is not None:
            _add_sourcing(brand_name, version, tier_column, node=node, session=session)
        lines.append(
            f"Linked {spec.slug}: {counts['linked']} linked, {counts['review']} to review, "
            f"{counts['entities_created']} new facilities."
        )
    return lines


def _already_linked(version: DatasetVersion, session: Session) -> bool:
    query = select(LinkJob.id).where(
        LinkJob.version_id == version.id, LinkJob.status == "done", LinkJob.dry_run.is_(False)
    )
    return session.scalars(query).first() is not None


def _link(slug: str, version: DatasetVersion, *, node: Node, session: Session) -> dict[str, int]:
    data = LinkJobCreate(dataset=slug, version=version.number, kind="facility")
    return entities.link_version_inline(
        data, version, reader=NODE_ADMIN, node=node, session=session
    )


def _brand(name: str, session: Session) -> Entity:
    found = entities.search_entities(q=name, kind="brand", reader=NODE_ADMIN, session=session).items
    exact = [item for item in found if item.name == name]
    if exact:
        return entities.resolve_entity(exact[0].lcid, session=session)[1]
    data = EntityCreate(kind="brand", name=name, country="GB")
    return entities.create_entity(
        data,
        actor=NODE_ADMIN,
        session=session,
        seed=f"demo-brand|{name}",
        reason="brand of a demo supplier list",
    )


def _tiers(version: DatasetVersion, column: str | None, node: Node) -> dict[int, int]:
    """Tier per row number, from a column such as ``2`` or ``Tier 2``."""
    if column is None:
        return {}
    tiers = {}
    for row, values in entities.iter_rows(version, node):
        digits = "".join(ch for ch in str(values.get(column) or "") if ch.isdigit())
        if digits:
            tiers[row] = int(digits)
    return tiers


def _add_sourcing(
    brand_name: str,
    version: DatasetVersion,
    tier_column: str | None,
    *,
    node: Node,
    session: Session,
) -> None:
    brand = _brand(brand_name, session)
    tiers = _tiers(version, tier_column, node)
    rows = session.execute(
        select(RowLink.row_number, RowLink.entity_id)
        .where(RowLink.version_id == version.id, RowLink.entity_id.is_not(None))
        .order_by(RowLink.row_number)
    ).all()
    known = set(
        session.scalars(
            select(EntityRelation.object_id).where(EntityRelation.subject_id == brand.id)
        )
    )
    for row, entity_id in rows:
        if entity_id is None or entity_id in known:
            continue
        known.add(entity_id)
        facility = session.get_one(Entity, entity_id)
        relation = RelationCreate(
            subject=brand.lcid, predicate="sources_from", object=facility.lcid, tier=tiers.get(row)
        )
        entities.add_relation(
            relation,
            actor=NODE_ADMIN,
            session=session,
            source_version_id=version.id,
            check_permission=False,
        )
