"""Columns another domain adds to a version's rows, joined in DuckDB on the file row number.

The catalog sits below the domains that know more about its rows (``entities`` links them
to shared identities), so a domain registers a source under a stable name in
``ROW_COLUMN_SOURCES`` (a plain dict, like the export formats) and the catalog's downloads
and rows pages ask it by that name. The source decides, for one reader, what may be shown;
the catalog only joins: a LEFT JOIN on the row number, file order kept, rows never loaded
into Python.

An added column whose name a data column already has (compared without case, as DuckDB
does) is shown as ``name_1`` (then ``name_2``, ...), deterministically.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pyarrow as pa
from sqlalchemy.orm import Session

from laborcommons.access import Reader
from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service.encryption import parquet_source
from laborcommons.core import duck
from laborcommons.core.duck import FILE_ROW_NUMBER as ROW_NUMBER
from laborcommons.core.errors import BadRequest
from laborcommons.core.node import Node

ROW_KEY = "row"
"""The key column of a source's table: the 1-based row number in file order, as link jobs
number rows."""


@dataclass(frozen=True)
class RowColumns:
    """What one reader is shown beside some rows of a version.

    ``table`` holds ``ROW_KEY`` and one text column per added column (at most one row per
    file row); ``absent`` gives a column's value for rows the table has no row for (else
    empty); ``label`` is the source's registered name (file names, audit details).
    """

    label: str
    table: pa.Table
    absent: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [n for n in self.table.column_names if n != ROW_KEY]

    @property
    def digest(self) -> str:
        """A fingerprint of the values as shown: part of the download's validator."""
        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, self.table.schema) as writer:
            writer.write_table(self.table)
        digest = hashlib.sha256(sink.getvalue().to_pybytes())
        digest.update(json.dumps(self.absent, sort_keys=True).encode())
        return digest.hexdigest()


class RowColumnSource(Protocol):
    def __call__(
        self,
        version: DatasetVersion,
        *,
        reader: Reader,
        session: Session,
        action: str,
        rows: Sequence[int] | None = None,
    ) -> RowColumns: ...


ROW_COLUMN_SOURCES: dict[str, RowColumnSource] = {}
"""Registered by the domain that owns each source, under its stable name."""
ENTITY_COLUMNS = "entities"
"""The source ``entities`` registers: the IDs rows were linked to (``entities=true``)."""


def added_row_columns(
    name: str,
    version: DatasetVersion,
    rows: Sequence[int] | None = None,
    *,
    reader: Reader,
    session: Session,
    action: str,
) -> RowColumns:
    """The columns source ``name`` shows this reader beside ``rows`` (1-based; all when
    None). ``action`` is the row read they accompany, for the source's own audit records."""
    source = ROW_COLUMN_SOURCES.get(name)
    if source is None:
        raise RuntimeError(f"no row column source {name!r} is registered")
    if ROW_NUMBER in {c["name"].casefold() for c in version.columns}:
        raise BadRequest(
            f"version {version.number} has a column named {ROW_NUMBER!r}, which hides the "
            f"row numbers {name} are joined on: download it without {name}",
            details={"column": ROW_NUMBER},
        )
    return source(version, reader=reader, session=session, action=action, rows=rows)


def shown_names(version: DatasetVersion, added: RowColumns) -> dict[str, str]:
    """Each added column -> the name it is shown under, clear of the data columns."""
    taken = {c["name"].casefold() for c in version.columns}
    shown: dict[str, str] = {}
    for name in added.names:
        shown[name] = _free_name(name, taken)
        taken.add(shown[name].casefold())
    return shown


def _free_name(base: str, taken: set[str]) -> str:
    candidate, suffix = base, 0
    while candidate.casefold() in taken:
        suffix += 1
        candidate = f"{base}_{suffix}"
    return candidate


def joined_rows(
    version: DatasetVersion, added: RowColumns, *, node: Node, connection: Any
) -> tuple[str, list[dict[str, str]], str]:
    """(a FROM source, its columns as ``{"name", "type"}``, the column to ORDER BY): the
    version's rows LEFT JOINed to ``added`` on the row number. The order column is not
    among the columns; select the columns by name. The table is registered on this cursor
    only (a sealed version's rows stay in memory, as ``parquet_source`` keeps them)."""
    names = shown_names(version, added)
    taken = {c["name"].casefold() for c in version.columns} | {n.casefold() for n in names.values()}
    order = _free_name("lc_row_order", taken)
    source = parquet_source(version, node=node, connection=connection, row_number=ROW_NUMBER)
    table = f"lc_added_{uuid.uuid4().hex[:12]}"
    connection.register(table, added.table)
    parts = [f"d.{duck.quote_identifier(c['name'])}" for c in version.columns]
    for name, shown in names.items():
        value = f"x.{duck.quote_identifier(name)}"
        if name in added.absent:
            value = f"coalesce({value}, {duck.sql_string(added.absent[name])})"
        parts.append(f"{value} AS {duck.quote_identifier(shown)}")
    parts.append(f"d.{ROW_NUMBER} AS {duck.quote_identifier(order)}")
    joined = (
        f"(SELECT {', '.join(parts)} FROM {source} AS d LEFT JOIN {table} AS x "
        f"ON x.{duck.quote_identifier(ROW_KEY)} = d.{ROW_NUMBER} + 1)"
    )
    columns = [{"name": c["name"], "type": c["type"]} for c in version.columns]
    columns += [{"name": shown, "type": "string"} for shown in names.values()]
    return joined, columns, duck.quote_identifier(order)


def row_values(added: RowColumns, version: DatasetVersion) -> dict[int, dict[str, Any]]:
    """The added values by 1-based row, under their shown names (for a rows page); rows
    missing here take ``absent_values``."""
    names = shown_names(version, added)
    keys = added.table.column(ROW_KEY).to_pylist()
    values: dict[int, dict[str, Any]] = {int(k): {} for k in keys}
    for name, shown in names.items():
        for key, value in zip(keys, added.table.column(name).to_pylist(), strict=True):
            values[int(key)][shown] = added.absent.get(name) if value is None else value
    return values


def absent_values(added: RowColumns, version: DatasetVersion) -> dict[str, Any]:
    """The added values of a row the source has nothing for."""
    return {shown: added.absent.get(name) for name, shown in shown_names(version, added).items()}
