"""Where a version came from (its ancestors) and what was derived from it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.catalog.models import DatasetVersion
from laborcommons.releases.schemas import Lineage, LineageStep

MAX_DEPTH = 1000  # far past any real chain; stops a corrupted cycle


def _step(version: DatasetVersion) -> LineageStep:
    return LineageStep(
        dataset=version.dataset.slug,
        version=version.number,
        derivation=version.derivation,
        created_at=version.created_at,
    )


def version_lineage(version: DatasetVersion, *, session: Session) -> Lineage:
    steps: list[LineageStep] = []
    current: DatasetVersion | None = version
    seen: set[int] = set()
    while current is not None and current.id not in seen and len(steps) < MAX_DEPTH:
        seen.add(current.id)
        steps.append(_step(current))
        parent = current.derived_from_version_id
        current = session.get(DatasetVersion, parent) if parent is not None else None
    children = session.scalars(
        select(DatasetVersion)
        .where(DatasetVersion.derived_from_version_id == version.id)
        .order_by(DatasetVersion.id)
    )
    return Lineage(steps=steps, derived=[_step(child) for child in children])
