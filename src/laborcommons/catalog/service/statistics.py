"""What the metadata database keeps of a version's columns, and what each reader is shown.

The one owner of the rule written in docs/access.md ("What metadata a restricted dataset
shows"): for a restricted version (internal, named, group) the database stores only each
column's name, type and counts (values, nulls, distinct); min, max and mean are values of
the data (a maximum wage is one worker's wage) and the dictionary's prefilled allowed values
are too. Readers who may read the rows get the full statistics computed on demand from the
version's Parquet (decrypted in memory), cached per version; everyone else gets counts and
types. Public and open versions keep their statistics stored.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import object_session

from laborcommons.access import READABLE_BY_ANYONE
from laborcommons.catalog.models import Dataset, DatasetVersion
from laborcommons.catalog.service.encryption import parquet_source
from laborcommons.core.node import Node
from laborcommons.ingest import ColumnProfile
from laborcommons.ingest.profile import counts_only, profile_source
from laborcommons.privacy import models as privacy

VALUE_STATISTICS = ("min", "max", "mean")


def stores_values(level: str) -> bool:
    """Whether statistics that are values of the rows may sit in the metadata database."""
    return level in READABLE_BY_ANYONE


def storable_columns(columns: list[dict[str, Any]], level: str) -> list[dict[str, Any]]:
    """The column profiles as the database may keep them at ``level``."""
    if stores_values(level):
        return columns
    return [
        {**c, "stats": {**c["stats"], **dict.fromkeys(VALUE_STATISTICS)}} if c.get("stats") else c
        for c in columns
    ]


def erase_values(dataset: Dataset) -> None:
    """A dataset moved to a restricted level: forget what its metadata held of its rows.

    Column extremes and means of every version, and the dictionary's allowed values (the
    prefill cannot be told apart from typed ones), so nothing of the rows stays readable
    from the database.
    """
    if stores_values(dataset.access):
        return
    for version in dataset.versions:
        version.columns = storable_columns(list(version.columns), dataset.access)
    dataset.data_dictionary = {
        name: {**entry, "allowed_values": []} for name, entry in dataset.data_dictionary.items()
    }


def shown_columns(
    version: DatasetVersion, *, readable: bool, node: Node | None
) -> list[ColumnProfile]:
    """Counts and types for readers without the rows; full statistics for those with them
    (computed from the rows when not stored and a node to read them is given)."""
    stored = [ColumnProfile.model_validate(c) for c in version.columns]
    if not readable:
        return [counts_only(c) for c in stored]
    if node is None or not any(c.stats and c.stats.count and c.stats.min is None for c in stored):
        return stored  # a public version stores its values (PII columns aside)
    return _computed_columns(version, stored, node=node)


def remember_statistics(version: DatasetVersion, columns: list[ColumnProfile], node: Node) -> None:
    """The ingest computed the full statistics already: keep them for its first readers."""
    node.row_pages.put(("column-statistics", version.parquet_sha256), columns)


def _computed_columns(
    version: DatasetVersion, stored: list[ColumnProfile], *, node: Node
) -> list[ColumnProfile]:
    """Statistics from the rows themselves, cached in memory by the (immutable) content."""
    computed: list[ColumnProfile] | None = node.row_pages.get(
        ("column-statistics", version.parquet_sha256)
    )
    if computed is None:
        connection = node.duck_cursor()
        try:
            source = parquet_source(version, node=node, connection=connection)
            _, computed = profile_source(connection, source)
        finally:
            connection.close()
        remember_statistics(version, computed, node)
    by_name = {c.name: c for c in computed}
    session = object_session(version)
    hidden = {f.column for f in privacy.findings_of(session, version.id)} if session else set()
    return [_with_values(c, by_name.get(c.name), hidden) for c in stored]


def _with_values(
    stored: ColumnProfile, computed: ColumnProfile | None, hidden: set[str]
) -> ColumnProfile:
    """The stored counts and type, the computed min, max and mean beside them (never for a
    column the PII scan flagged: its extremes would be a person's data in the metadata)."""
    if stored.stats is None or computed is None or computed.stats is None:
        return stored
    if stored.name in hidden:
        return stored
    values = {k: getattr(computed.stats, k) for k in VALUE_STATISTICS}
    return stored.model_copy(update={"stats": stored.stats.model_copy(update=values)})
