"""What the forms share: who may open them, undoing a failed attempt, and list fields."""

from __future__ import annotations

from pydantic import ValidationError
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


def discard_changes(session: Session, error: BaseException) -> None:
    """Undo a failed use case whose form is re-rendered instead of raising.

    A refusal's audit record rides on the error (``LaborCommonsError.audit``); a raised
    error gets it written by ``unit_of_work``, so a caught one must write it here, after
    the rollback, or the refused attempt would vanish from the owner's trail.
    """
    abandon(session)
    write = getattr(error, "audit", None)
    if write is not None:
        error.audit = None  # type: ignore[attr-defined]
        write(session)


def split_list(text: str) -> list[str]:
    """A comma-separated text box as a list: entries trimmed, empty ones dropped."""
    return [part.strip() for part in text.split(",") if part.strip()]


def split_lines(text: str) -> list[str]:
    """A one-entry-per-line text box as a list: entries trimmed, empty lines dropped, each
    kept once in the order typed."""
    entries = (line.strip() for line in text.splitlines())
    return list(dict.fromkeys(entry for entry in entries if entry))


def validation_message(error: ValidationError) -> str:
    """Pydantic's errors as one sentence naming each field."""
    parts = []
    for item in error.errors():
        field = ".".join(str(p) for p in item["loc"]) or "form"
        parts.append(f"{field}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def validation_messages(error: ValidationError) -> dict[str, str]:
    """Pydantic's errors by field, to show each next to its field."""
    messages: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else ""
        messages.setdefault(field, problem["msg"].removeprefix("Value error, "))
    return messages
