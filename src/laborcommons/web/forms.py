"""What the upload and edit forms share: who may open them, and undoing a failed attempt."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access import Reader, may_edit
from laborcommons.catalog import service
from laborcommons.catalog.models import Dataset
from laborcommons.core.errors import Forbidden, NotAuthenticated


def editable_dataset(slug: str, *, reader: Reader, session: Session) -> Dataset:
    """The dataset, if this reader may change it: 404 when hidden, 401 anonymous, else 403.

    The services check again when the form is sent; this only avoids showing a form
    that could never succeed.
    """
    dataset = service.get_dataset(slug, reader=reader, session=session)
    if reader.is_anonymous:
        raise NotAuthenticated(f"sign in to change dataset {slug!r}")
    if not may_edit(reader, owner_id=dataset.organization_id):
        raise Forbidden(f"you are not an owner or editor of dataset {slug!r}")
    return dataset


def discard_changes(session: Session) -> None:
    """Roll back a use case that failed but whose form is re-rendered (a normal return
    would otherwise let the request's unit of work commit a half-done change)."""
    session.rollback()
