"""The data dictionary part of the edit form: one fieldset per column of the latest version.

Column names may hold anything (spaces, brackets, quotes, unicode), so no field is named
after a column: fields carry an index (``dictionary-0-unit``) and a hidden
``dictionary-0-column`` input carries the column's name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from laborcommons.catalog.schemas import ColumnDescription, ColumnDescriptionEdit
from laborcommons.ingest import ColumnProfile
from laborcommons.web.forms import split_lines

SENT_PARTS = ("description", "unit", "allowed_values")
FIELDS_PER_COLUMN = 1 + len(SENT_PARTS)
MAX_COLUMNS = 2_500  # wide surveys run to hundreds of columns; the form must still post
FIELD = re.compile(rf"dictionary-(?P<index>\d{{1,6}})-(?P<part>column|{'|'.join(SENT_PARTS)})")


@dataclass(frozen=True)
class ColumnFields:
    """One column's fieldset as text, so a re-rendered form shows exactly what was typed."""

    column: str
    type: str = ""
    description: str = ""
    unit: str = ""
    allowed_values: str = ""

    @classmethod
    def stored(cls, column: ColumnProfile, entry: ColumnDescription) -> ColumnFields:
        return cls(
            column=column.name,
            type=column.type,
            description=entry.description,
            unit=entry.unit,
            allowed_values="\n".join(entry.allowed_values),
        )

    def to_description(self) -> ColumnDescriptionEdit:
        """One allowed value per line, so a value may hold a comma ("Dhaka, BD")."""
        allowed = split_lines(self.allowed_values)
        return ColumnDescriptionEdit(
            description=self.description.strip(), unit=self.unit.strip(), allowed_values=allowed
        )


def dictionary_fields(
    columns: list[ColumnProfile],
    stored: Mapping[str, ColumnDescription],
    sent: Mapping[str, ColumnFields] | None = None,
) -> list[ColumnFields]:
    """A fieldset per column, in file order: what was sent for it, else the stored entry.

    Built from the latest version's columns even when re-rendering a refused form, so a
    form sent for columns that no longer exist comes back fit to be sent again.
    """
    sent = sent or {}
    return [
        replace(sent[column.name], type=column.type)
        if column.name in sent
        else ColumnFields.stored(column, stored.get(column.name, ColumnDescription()))
        for column in columns
    ]


def parse_dictionary(form: FormData) -> dict[str, ColumnFields]:
    """The sent fieldsets by column name, in index order; one without a column is ignored."""
    by_index: dict[int, dict[str, str]] = {}
    for key, value in form.multi_items():
        match = FIELD.fullmatch(key)
        if match and isinstance(value, str):
            by_index.setdefault(int(match["index"]), {})[match["part"]] = value
    sent: dict[str, ColumnFields] = {}
    for _, parts in sorted(by_index.items()):
        if "column" in parts:
            texts = {part: parts.get(part, "") for part in SENT_PARTS}
            sent[parts["column"]] = ColumnFields(column=parts["column"], **texts)
    return sent


def dictionary_update(sent: Mapping[str, ColumnFields]) -> dict[str, ColumnDescriptionEdit] | None:
    """The entries to save; None when the form carried no dictionary, to leave it alone.
    (Whether allowed values sent back unchanged stay inferred is the service's rule:
    ``catalog.service.dictionary.merge_edits``.)"""
    if not sent:
        return None
    return {name: fields.to_description() for name, fields in sent.items()}


async def sent_dictionary(request: Request) -> dict[str, ColumnFields]:
    """Read from the raw form because the field names are not known in advance."""
    return parse_dictionary(await request.form())


SentDictionaryDep = Annotated[dict[str, ColumnFields], Depends(sent_dictionary)]
