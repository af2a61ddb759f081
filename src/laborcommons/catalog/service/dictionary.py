"""The data dictionary's rules, in one place: which allowed values an editor declared (and
are therefore enforced on every upload), which the node inferred from the rows (and are
therefore refreshed by every new version), and which entries a reader is shown.

An entry is stored as ``{"description", "unit", "allowed_values", "declared"}``; entries
stored before ``declared`` existed read as inferred, so nothing that was not enforced
before becomes enforced by an upgrade.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.schemas import ColumnDescription, ColumnDescriptionEdit
from laborcommons.core import duck
from laborcommons.core.node import Node

ALLOWED_VALUES_MAX = 12  # more distinct values than this is not a category


def declared_values(dataset: Dataset) -> dict[str, list[str]]:
    """Column → the allowed values an editor declared; an upload must keep to them."""
    return {
        name: list(entry["allowed_values"])
        for name, entry in dataset.data_dictionary.items()
        if entry.get("declared") and entry.get("allowed_values")
    }


def merge_edits(dataset: Dataset, edits: dict[str, ColumnDescriptionEdit]) -> None:
    """Apply an editor's entries. Allowed values sent back unchanged keep their origin (a
    save about a description does not turn inferred values into a rule); changed ones are
    the editor's declaration."""
    merged = dict(dataset.data_dictionary)
    for name, edit in edits.items():
        stored = merged.get(name, {})
        unchanged = list(stored.get("allowed_values", [])) == edit.allowed_values
        declared = bool(stored.get("declared")) if unchanged else bool(edit.allowed_values)
        merged[name] = {**edit.model_dump(), "declared": declared}
    dataset.data_dictionary = merged


def refresh_for_version(
    dataset: Dataset, version: DatasetVersion, node: Node, path: Path, *, store_values: bool
) -> None:
    """A new version's columns get entries; inferred allowed values are read again from its
    rows (a column whose categories changed must not keep the old list). Declared values
    and every description stay. ``store_values`` is False at restricted levels, where
    allowed values would be values of the rows."""
    dictionary = dict(dataset.data_dictionary)
    connection = node.duck_cursor()
    try:
        for column in version.columns:
            name = column["name"]
            entry = dictionary.get(name) or {"description": "", "unit": ""}
            if entry.get("declared"):
                continue
            values = _categories(connection, column, path) if store_values else []
            dictionary[name] = {**entry, "allowed_values": values, "declared": False}
    finally:
        connection.close()
    dataset.data_dictionary = dictionary


def _categories(connection: Any, column: dict[str, Any], path: Path) -> list[str]:
    """The distinct values of a low-cardinality text column, else none."""
    distinct = (column.get("stats") or {}).get("distinct") or 0
    if column["type"] != "string" or not 0 < distinct <= ALLOWED_VALUES_MAX:
        return []
    quoted = duck.quote_identifier(column["name"])
    values = connection.execute(
        f"SELECT DISTINCT {quoted} FROM read_parquet(?) "
        f"WHERE {quoted} IS NOT NULL ORDER BY 1 LIMIT {ALLOWED_VALUES_MAX + 1}",
        [str(path)],
    ).fetchall()
    return [str(v[0]) for v in values] if len(values) <= ALLOWED_VALUES_MAX else []


def shown_dictionary(dataset: Dataset, *, readable: bool) -> dict[str, ColumnDescription]:
    """The entries of the latest version's columns (a column a later version dropped is
    history, not documentation); allowed values only for readers of the rows."""
    current = {c["name"] for c in dataset.versions[-1].columns} if dataset.versions else None
    return {
        name: ColumnDescription.model_validate(
            entry if readable else {**entry, "allowed_values": []}
        )
        for name, entry in dataset.data_dictionary.items()
        if current is None or name in current
    }
