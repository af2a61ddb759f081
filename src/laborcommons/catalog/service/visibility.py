"""SQL form of the spectrum policy, so lists and counts never include hidden datasets."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, true

from laborcommons.access import READABLE_BY_ANYONE, Reader, readable_owner_ids
from laborcommons.catalog.models import Dataset


def readable_rows_clause(reader: Reader) -> ColumnElement[bool]:
    """Mirror of ``access.policy.may_read_rows`` (with the dataset id) as a WHERE clause."""
    owners = readable_owner_ids(reader)
    if owners is None:
        return true()
    parts: list[ColumnElement[bool]] = [Dataset.access.in_(sorted(READABLE_BY_ANYONE))]
    if owners:
        parts.append(Dataset.organization_id.in_(sorted(owners)))
    if reader.named_grants:
        parts.append(
            and_(
                Dataset.access.in_(["named", "group"]), Dataset.id.in_(sorted(reader.named_grants))
            )
        )
    if reader.group_grants:
        parts.append(and_(Dataset.access == "group", Dataset.id.in_(sorted(reader.group_grants))))
    return or_(*parts)


def visible_datasets_clause(reader: Reader) -> ColumnElement[bool]:
    """Mirror of ``access.policy.may_discover`` as a WHERE clause (tested to agree)."""
    rows = readable_rows_clause(reader)
    if readable_owner_ids(reader) is None:
        return rows
    return or_(Dataset.discoverable == true(), rows)
