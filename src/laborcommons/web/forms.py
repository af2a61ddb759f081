"""What the forms share: who may open them, undoing a failed attempt, and list fields."""

from __future__ import annotations

from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog import service
from laborcommons.catalog.models import Dataset
from laborcommons.core.db import abandon


def editable_dataset(slug: str, *, reader: Reader, session: Session) -> Dataset:
    """The dataset, if this reader may change it: 404 when hidden, 401 anonymous, else 403.

    The services check again when the form is sent; this only avoids showing a form
    that could never succeed.
    """
    dataset = service.get_dataset(slug, reader=reader, session=session)
    service.require_edit(reader, dataset)
    return dataset


def discard_changes(session: Session) -> None:
    """Undo a failed use case whose form is re-rendered instead of raising."""
    abandon(session)


def split_list(text: str) -> list[str]:
    """A comma-separated text box as a list: entries trimmed, empty ones dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]
