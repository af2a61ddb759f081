"""Which versions are withheld from a reader: the versions of a public or open dataset whose
rows still hold unaccepted personal data (open PII findings, or findings resolved by a
derived version), for readers outside the owning organization. ``readable_version`` refuses
them with 403; every other surface (entities) treats them as unreadable through these two
forms, the Python one and the SQL one, tested to agree."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, exists, false, not_, select
from sqlalchemy.orm import Session

from laborcommons.access import READABLE_BY_ANYONE, Reader, may_read_rows, readable_owner_ids
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.privacy import models as privacy


def is_withheld(
    reader: Reader, *, owner_id: int, level: str, version_id: int, session: Session
) -> bool:
    """Whether this version of a dataset (owner, level) is withheld from the reader."""
    if level not in READABLE_BY_ANYONE:
        return False  # grantees of restricted levels read every granted version
    if may_read_rows(reader, owner_id=owner_id, level="internal"):
        return False  # the owner's members see what they hold
    return bool(privacy.blocking_columns(session, version_id))


def version_withheld(reader: Reader, version: DatasetVersion, *, session: Session) -> bool:
    """``is_withheld`` for one loaded version of its dataset."""
    dataset = version.dataset
    return is_withheld(
        reader,
        owner_id=dataset.organization_id,
        level=dataset.access,
        version_id=version.id,
        session=session,
    )


def withheld_version_ids(
    reader: Reader, versions: Iterable[tuple[int, int, str]], *, session: Session
) -> set[int]:
    """Of (version id, owner id, level) triples, the ids of those withheld from the reader."""
    return {
        version_id
        for version_id, owner_id, level in versions
        if is_withheld(
            reader, owner_id=owner_id, level=level, version_id=version_id, session=session
        )
    }


def withheld_clause(reader: Reader) -> ColumnElement[bool]:
    """Mirror of ``is_withheld`` as a WHERE clause over ``DatasetVersion`` joined to
    ``Dataset``."""
    owners = readable_owner_ids(reader)
    if owners is None:
        return false()
    blocking = exists(
        select(privacy.PiiFinding.id).where(
            privacy.PiiFinding.version_id == DatasetVersion.id, privacy.blocking_clause()
        )
    )
    parts = [Dataset.access.in_(sorted(READABLE_BY_ANYONE)), blocking]
    if owners:
        parts.append(not_(Dataset.organization_id.in_(sorted(owners))))
    return and_(*parts)


__all__ = ["is_withheld", "withheld_clause", "withheld_version_ids"]
