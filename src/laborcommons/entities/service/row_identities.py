"""Rows carry their identities: beside each row of a linked version, the stable ID of the
entity it was linked to (following merges to the entity that answers for it now, by
``lookup.canonical_roots``) and that entity's crosswalk identifiers, one column per scheme.

What a reader is shown follows the one visibility rule (``visibility.sight``): the row's own
link is visible to whoever may read the version's rows (the catalog decided that before
asking), each identifier only when the reader may read the version it came from. Showing
identifiers from another non-open dataset is an audited read (``record_evidence_read``).

Registered as the catalog's ``ENTITY_COLUMNS`` row column source, so the catalog's
downloads, rows pages and CLI export add these columns with ``entities=true``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from laborcommons.access import Reader
from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service import (
    ENTITY_COLUMNS,
    ROW_COLUMN_SOURCES,
    ROW_KEY,
    RowColumns,
)
from laborcommons.entities.models import KINDS, Entity, EntityIdentifier, RowLink
from laborcommons.entities.service.evidence_reads import record_evidence_read
from laborcommons.entities.service.lookup import canonical_roots
from laborcommons.entities.service.visibility import Sight, sight

LINK_STATUS = "link_status"
BLANK = "blank"  # a row with no link of the version's first kind
SPLIT = "split"  # linked to an entity since split: no live entity answers for it
WITH_ENTITY = ("linked", "new")
SEPARATOR = "; "
IDS = "identifiers"  # a row's identifiers by scheme, beside its lcids


def _links(
    version_id: int, rows: Sequence[int] | None
) -> Select[int, str, str, str | None, str | None]:
    """(row, kind, status, the canonical entity's lcid and status) of each row link."""
    roots = canonical_roots("entity_roots")
    root = aliased(Entity)
    query = (
        select(RowLink.row_number, RowLink.kind, RowLink.status, root.lcid, root.status)
        .outerjoin(roots, roots.c.alias_id == RowLink.entity_id)
        .outerjoin(root, root.id == roots.c.root_id)
        .where(RowLink.version_id == version_id)
    )
    return query if rows is None else query.where(RowLink.row_number.in_(rows))


def _identifiers(version_id: int) -> Select[int, str, str, str, int | None]:
    """(row, kind, scheme, value, source version) of every identifier of the live
    canonical entity each row is linked to, or of an entity merged into it."""
    roots = canonical_roots("entity_roots")
    members = roots.alias("members")
    return (
        select(
            RowLink.row_number,
            RowLink.kind,
            EntityIdentifier.scheme,
            EntityIdentifier.value,
            EntityIdentifier.source_version_id,
        )
        .join(roots, roots.c.alias_id == RowLink.entity_id)
        .join(Entity, Entity.id == roots.c.root_id)
        .join(members, members.c.root_id == roots.c.root_id)
        .join(EntityIdentifier, EntityIdentifier.entity_id == members.c.alias_id)
        .where(
            RowLink.version_id == version_id,
            RowLink.status.in_(WITH_ENTITY),
            Entity.status == "active",
        )
    )


def _held_identifiers(
    version_id: int, rows: Sequence[int] | None, session: Session
) -> tuple[list[Any], set[tuple[str, int | None]]]:
    """The identifiers of ``rows`` (kinds in order, then values), and the (scheme, source)
    pairs of the whole version's, so every page of a version has the same columns."""
    query = _identifiers(version_id)
    pairs: set[tuple[str, int | None]] = set()
    if rows is not None:
        every = query.with_only_columns(
            EntityIdentifier.scheme, EntityIdentifier.source_version_id
        ).distinct()
        pairs = {(scheme, source) for scheme, source in session.execute(every)}
        query = query.where(RowLink.row_number.in_(rows))
    found = session.execute(query.order_by(RowLink.row_number, EntityIdentifier.value)).all()
    held = sorted(found, key=lambda i: (i[0], KINDS.index(i[1])))  # stable: values stay sorted
    if rows is None:
        pairs = {(i[2], i[4]) for i in held}
    return held, pairs


def _lcid_columns(kinds: list[str]) -> list[str]:
    """``lcid`` for the first kind; with several kinds, also ``<kind>_lcid`` for each."""
    return ["lcid", *(f"{kind}_lcid" for kind in kinds)] if len(kinds) > 1 else ["lcid"]


def row_identities(
    version: DatasetVersion,
    rows: Sequence[int] | None = None,
    *,
    reader: Reader,
    session: Session,
    action: str,
) -> RowColumns:
    """The entity columns this reader is shown beside ``rows`` (1-based; all when None).

    Columns: ``lcid`` (of the first kind the version is linked for, in the order facility,
    company, brand), ``<kind>_lcid`` for each kind when there are several, ``link_status``
    (``linked``, ``new``, ``review``, ``split`` or ``blank``, of that first kind) and one
    column per identifier scheme the reader may see among the version's linked entities,
    sorted by name; several values of a scheme are joined by ``"; "`` (kinds in order,
    values sorted). A row in review or not linked has empty values.
    """
    query = select(RowLink.kind).where(RowLink.version_id == version.id).distinct()
    linked = set(session.scalars(query))
    kinds = [kind for kind in KINDS if kind in linked]
    held, pairs = _held_identifiers(version.id, rows, session)
    seen = sight(reader, [source for _, source in pairs], session=session)
    schemes = sorted({scheme for scheme, source in pairs if seen.sees(source)})
    by_row: dict[int, dict[str, Any]] = {}
    for row, kind, status, lcid, live in session.execute(_links(version.id, rows)):
        values = by_row.setdefault(row, {IDS: {}})
        if status in WITH_ENTITY and live != "active":
            status, lcid = SPLIT, None
        elif status not in WITH_ENTITY:
            lcid = None
        values[f"{kind}_lcid"] = lcid
        if kind == kinds[0]:
            values[LINK_STATUS] = status
    shown: set[int] = set()
    for row, _kind, scheme, value, source in held:
        if seen.sees(source):
            found = by_row[row][IDS].setdefault(scheme, [])
            if value not in found:
                found.append(value)
            if source is not None and source != version.id:
                shown.add(source)
    if shown:
        record_evidence_read(
            [Sight(reader, shown)],
            reader=reader,
            action=action,
            session=session,
            details={"shown_with": {"slug": version.dataset.slug, "version": version.number}},
        )
    return RowColumns(ENTITY_COLUMNS, _table(by_row, kinds, schemes), {LINK_STATUS: BLANK})


def _table(by_row: dict[int, dict[str, Any]], kinds: list[str], schemes: list[str]) -> pa.Table:
    numbers = sorted(by_row)
    columns: dict[str, Any] = {ROW_KEY: pa.array(numbers, pa.int64())}
    first = kinds[0] if kinds else None
    for name in _lcid_columns(kinds):
        key = f"{first}_lcid" if name == "lcid" else name
        columns[name] = pa.array([by_row[n].get(key) for n in numbers], pa.string())
    statuses = [by_row[n].get(LINK_STATUS) or BLANK for n in numbers]
    columns[LINK_STATUS] = pa.array(statuses, pa.string())
    for scheme in schemes:  # a scheme named like one of ours (``lcid``) gets ``_scheme``
        name = f"{scheme}_scheme" if scheme in columns else scheme
        values = [by_row[n][IDS].get(scheme) for n in numbers]
        columns[name] = pa.array([SEPARATOR.join(v) if v else None for v in values], pa.string())
    return pa.table(columns)


def linked_versions(version_ids: Sequence[int], *, session: Session) -> set[int]:
    """Of these versions, those with row links (where a download with entity IDs helps)."""
    query = select(RowLink.version_id).where(RowLink.version_id.in_(version_ids)).distinct()
    return set(session.scalars(query))


ROW_COLUMN_SOURCES[ENTITY_COLUMNS] = row_identities
