"""Derived versions: transformed rows go back in through the catalog's ``add_version``.

So a derived version is validated, numbered, scanned for PII and stored (encrypted when
the dataset is restricted) exactly like an upload, and records where it came from.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
from sqlalchemy.orm import Session

from laborcommons.access import Reader, audit
from laborcommons.catalog import service as catalog
from laborcommons.catalog.models import DatasetVersion
from laborcommons.core.node import Node
from laborcommons.privacy.models import findings_of
from laborcommons.releases.transforms import text_values

TABLE_SCHEMA_TYPES = {"integer", "number", "boolean", "date", "datetime", "string"}


def version_table(version: DatasetVersion, node: Node) -> pa.Table:
    """All rows of a version (the caller decided the reader may transform them)."""
    return catalog.read_parquet_table(version, node=node)


def _table_schema(
    table: pa.Table,
    source: DatasetVersion,
    changed: set[str],
    declared: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Keep the source's column types; transformed columns are text now, unless the
    caller declares their type (a derived aggregate's numbers)."""
    types = {c["name"]: c["type"] for c in source.columns}
    fields = []
    for name in table.column_names:
        kind = "string" if name in changed else types.get(name, "string")
        kind = (declared or {}).get(name, kind)
        fields.append({"name": name, "type": kind if kind in TABLE_SCHEMA_TYPES else "string"})
    return {"fields": fields}


def _as_text_table(table: pa.Table) -> pa.Table:
    """Timestamps and floats as the text the ingest reads back to the same values."""
    columns = []
    for name in table.column_names:
        kind = table.column(name).type
        if pa.types.is_timestamp(kind) or pa.types.is_floating(kind):
            columns.append(pa.array(text_values(table, name), type=pa.string()))
        else:
            columns.append(table.column(name))
    return pa.table(columns, names=table.column_names)


def derive_version(
    source: DatasetVersion,
    table: pa.Table,
    *,
    target: str,
    derivation: dict[str, Any],
    changed: set[str],
    reader: Reader,
    node: Node,
    session: Session,
    message: str = "",
    types: Mapping[str, str] | None = None,
) -> DatasetVersion:
    """Store ``table`` as the next version of dataset ``target``, derived from ``source``.

    The CSV exists only for the ingest and is deleted at once, whatever happens.
    """
    action = str(derivation.get("action", "derived"))
    name = f"{source.dataset.slug}-v{source.number}-{action}.csv"
    path = node.tmp_dir / f"derive-{uuid.uuid4().hex}.csv"
    try:
        pacsv.write_csv(_as_text_table(table), path)
        created = catalog.add_version(
            target,
            path,
            original_name=name,
            reader=reader,
            node=node,
            session=session,
            message=message or f"{action} from {source.dataset.slug} version {source.number}",
            table_schema=_table_schema(table, source, changed, types),
            derived_from=source.id,
        )
    finally:
        path.unlink(missing_ok=True)
    version = catalog.get_version(target, created.version, reader=reader, session=session)
    if created.created:
        version.derivation = {
            "source": {"dataset": source.dataset.slug, "version": source.number},
            **derivation,
        }
        session.flush()
        _audit_carried(version, reader=reader, session=session)
    return version


def _audit_carried(version: DatasetVersion, *, reader: Reader, session: Session) -> None:
    """An acceptance carried over to the derived version is a decision too: on the trail."""
    for finding in findings_of(session, version.id):
        if "carried_from_finding" in finding.parameters:
            audit.record(
                session,
                actor=reader,
                action="pii.accept",
                organization_id=version.dataset.organization_id,
                dataset_id=version.dataset_id,
                version_id=version.id,
                level=version.dataset.access,
                details={
                    "finding": finding.id,
                    "column": finding.column,
                    "kind": finding.kind,
                    "justification": finding.justification,
                    **finding.parameters,
                },
            )
