"""Audit records for evidence shown through entities: showing an entity's values that came
from rows of a dataset that is not ``open`` is a read of those rows, recorded like the
catalog's row reads (one record per request and dataset, at commit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.entities.service.visibility import CHUNK, Sight


def record_evidence_read(
    sights: Iterable[Sight],
    *,
    reader: Reader,
    action: str,
    session: Session,
    details: dict[str, Any] | None = None,
) -> None:
    """One audit record per non-open dataset whose versions' evidence these sights showed."""
    wanted = sorted({v for seen in sights for v in seen.readable})
    by_dataset: dict[int, tuple[int, str, str, list[int], list[int]]] = {}
    for start in range(0, len(wanted), CHUNK):
        query = (
            select(
                DatasetVersion.id,
                DatasetVersion.number,
                Dataset.id,
                Dataset.organization_id,
                Dataset.access,
                Dataset.slug,
            )
            .join(Dataset, Dataset.id == DatasetVersion.dataset_id)
            .where(DatasetVersion.id.in_(wanted[start : start + CHUNK]), Dataset.access != "open")
        )
        for version_id, number, dataset_id, owner_id, level, slug in session.execute(query):
            entry = by_dataset.setdefault(dataset_id, (owner_id, level, slug, [], []))
            entry[3].append(version_id)
            entry[4].append(number)
    for dataset_id, (owner_id, level, slug, version_ids, numbers) in sorted(by_dataset.items()):
        audit.record_at_commit(
            session,
            actor=reader,
            action=action,
            organization_id=owner_id,
            dataset_id=dataset_id,
            version_id=min(version_ids),
            level=level,
            details={"slug": slug, "versions": sorted(numbers), **(details or {})},
        )
