"""SQL form of the spectrum policy, so lists and counts never include hidden datasets."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from laborcommons.access import READABLE_BY_ANYONE, Reader, readable_owner_ids
from laborcommons.catalog.models import Dataset


def visible_datasets_clause(reader: Reader) -> ColumnElement[bool]:
    """Mirror of ``access.policy.may_discover`` as a WHERE clause (tested to agree)."""
    owners = readable_owner_ids(reader)
    if owners is None:
        return true()
    clause: ColumnElement[bool] = Dataset.access.in_(sorted(READABLE_BY_ANYONE))
    if owners:
        clause = or_(clause, Dataset.organization_id.in_(sorted(owners)))
    return clause
