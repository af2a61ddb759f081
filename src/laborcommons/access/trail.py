"""Reading the trail: owners and editors see every record about their datasets."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from laborcommons.access.models import AuditRecord
from laborcommons.access.policy import Reader
from laborcommons.access.refs import managed_dataset_ref
from laborcommons.access.schemas import AuditPage, AuditRecordPublic
from laborcommons.core.errors import BadRequest


def dataset_trail(
    slug: str,
    *,
    reader: Reader,
    session: Session,
    action: str | None = None,
    page: int = 1,
    page_size: int = 50,
) -> AuditPage:
    """Newest first; ``action`` filters by prefix (``rows.`` for every read of rows)."""
    if not 1 <= page <= 1_000_000 or not 1 <= page_size <= 500:
        raise BadRequest("page must be between 1 and 1000000, page size between 1 and 500")
    dataset = managed_dataset_ref(slug, reader=reader, session=session)
    query = select(AuditRecord).where(AuditRecord.dataset_id == dataset.id)
    if action:
        query = query.where(AuditRecord.action.startswith(action, autoescape=True))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.order_by(AuditRecord.seq.desc()).offset((page - 1) * page_size).limit(page_size)
    )
    items = [AuditRecordPublic.model_validate(r) for r in rows]
    return AuditPage(items=items, total=total, page=page, page_size=page_size)
