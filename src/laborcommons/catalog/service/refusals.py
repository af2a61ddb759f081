"""Refused reads of restricted data go to the owner's audit trail, like granted ones.

A 403 or 404 rolls its transaction back; the refusal's record rides on the exception
(``LaborCommonsError.audit``) and the edge's unit of work writes it in a fresh one. The
answer is unchanged: a hidden dataset still answers exactly like a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog.models import Dataset
from laborcommons.catalog.service.addresses import hidden_datasets_at
from laborcommons.core.errors import NotFound


def refusal_of(
    dataset: Dataset, reader: Reader, *, action: str, status: int, **details: Any
) -> Callable[[Session], None]:
    """The audit writer for a refused ``action`` on ``dataset``'s rows."""
    return audit.refusal(
        reader,
        action=action,
        organization_id=dataset.organization_id,
        dataset_id=dataset.id,
        level=dataset.access,
        status=status,
        details={"slug": dataset.slug, **details},
    )


def audit_if_hidden(
    error: NotFound,
    slug: str,
    *,
    action: str,
    version: int | None,
    reader: Reader,
    session: Session,
) -> None:
    """Attach a refusal to a 404 that hides an existing dataset from ``reader``.

    A truly missing dataset, or a missing version of a dataset the reader may know, is
    left alone: there is nothing restricted to audit.
    """
    hidden = hidden_datasets_at(slug, reader=reader, session=session)
    if not hidden:
        return
    dataset = hidden[0]
    error.audit = refusal_of(dataset, reader, action=action, status=404, version=version)
