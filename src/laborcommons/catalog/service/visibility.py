"""SQL form of the spectrum policy, so lists and counts never include hidden datasets."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, or_, true

from laborcommons.access import READABLE_BY_ANYONE, Reader, readable_owner_ids
from laborcommons.catalog.models import Dataset


def _granted(named: Iterable[int], group: Iterable[int]) -> list[ColumnElement[bool]]:
    """Named grants work at ``named`` and ``group``, group grants at ``group`` only."""
    parts: list[ColumnElement[bool]] = []
    if named := sorted(named):
        parts.append(and_(Dataset.access.in_(["named", "group"]), Dataset.id.in_(named)))
    if group := sorted(group):
        parts.append(and_(Dataset.access == "group", Dataset.id.in_(group)))
    return parts


def readable_rows_clause(reader: Reader) -> ColumnElement[bool]:
    """Mirror of ``access.policy.may_read_rows`` (with the dataset id, ``version=None``: the
    whole dataset, so grants limited to some versions do not count) as a WHERE clause."""
    owners = readable_owner_ids(reader)
    if owners is None:
        return true()
    parts: list[ColumnElement[bool]] = [Dataset.access.in_(sorted(READABLE_BY_ANYONE))]
    if owners:
        parts.append(Dataset.organization_id.in_(sorted(owners)))
    parts.extend(_granted(reader.named_grants, reader.group_grants))
    return or_(*parts)


def visible_datasets_clause(reader: Reader) -> ColumnElement[bool]:
    """Mirror of ``access.policy.may_discover`` as a WHERE clause (tested to agree): any
    effective grant, even one limited to some versions, shows the metadata."""
    rows = readable_rows_clause(reader)
    if readable_owner_ids(reader) is None:
        return rows
    limited = _granted(reader.named_versions, reader.group_versions)
    if reader.question_datasets:  # a question's audience discovers the metadata only
        limited.append(Dataset.id.in_(sorted(reader.question_datasets)))
    return or_(Dataset.discoverable == true(), rows, *limited)
