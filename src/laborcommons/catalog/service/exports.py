"""Downloads of a version as CSV, JSON, XLSX or Parquet, written to a temp file to stream.

Spreadsheet safety (OWASP CSV injection): in CSV, text cells that start with ``= + - @``,
tab or carriage return get a leading apostrophe so no spreadsheet evaluates them; in XLSX,
every text cell is written with the string type, which Excel never evaluates. Column
names follow the same rule as cells (a header ``=HYPERLINK(...)`` is as live as a cell).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.writer.excel import ExcelWriter

from laborcommons.catalog.models import DatasetVersion
from laborcommons.catalog.service.encryption import (
    copy_to_memory,
    is_sealed,
    parquet_source,
    version_parquet_bytes,
)
from laborcommons.core import duck
from laborcommons.core.errors import BadRequest
from laborcommons.core.node import Node

FORMULA_TRIGGERS = "=+-@\t\r"
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


@dataclass(frozen=True)
class Export:
    """A file to stream, or (for a sealed version) ``content`` built in memory only."""

    path: Path | None
    media_type: str
    filename: str
    temporary: bool
    content: bytes | None = None

    def read_bytes(self) -> bytes:
        if self.content is not None or self.path is None:
            return self.content or b""
        return self.path.read_bytes()


def escape_formula(value: str) -> str:
    """The one CSV rule for text a spreadsheet could evaluate: cells and column names."""
    return "'" + value if value and value[0] in FORMULA_TRIGGERS else value


def _csv_select(version: DatasetVersion) -> str:
    parts = []
    for column in version.columns:
        quoted = duck.quote_identifier(column["name"])
        header = duck.quote_identifier(escape_formula(column["name"]))
        if column["type"] == "string":
            parts.append(
                f"CASE WHEN regexp_matches({quoted}, '^[=+\\-@\\t\\r]') "
                f"THEN '''' || {quoted} ELSE {quoted} END AS {header}"
            )
        else:
            parts.append(f"{quoted} AS {header}")
    return ", ".join(parts) or "*"


def _xlsx_cell(sheet: Any, value: Any) -> Any:
    """Text is written with the string type, never a formula, whatever it starts with."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


class _InMemorySheetWriter(WorksheetWriter):
    """openpyxl buffers a write-only sheet in a temp file; a sealed version's stays in RAM."""

    def __init__(self, sheet: Any) -> None:
        super().__init__(sheet, out=BytesIO())

    def cleanup(self) -> None:
        """Nothing on disk to remove."""


class _InMemoryZip(ZipFile):
    """The archive openpyxl writes to, taking the in-memory sheet buffer as a file."""

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        if isinstance(filename, BytesIO):
            self.writestr(arcname, filename.getvalue(), compress_type=ZIP_DEFLATED)
        else:
            super().write(filename, arcname, *args, **kwargs)


def _write_xlsx(connection: Any, source: str, target: Path | BytesIO) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    if isinstance(target, BytesIO):
        sheet._writer = _InMemorySheetWriter(sheet)
        sheet._writer.write_top()
    cursor = connection.execute(f"SELECT * FROM {source}")
    sheet.append([_xlsx_cell(sheet, d[0]) for d in cursor.description])
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    if isinstance(target, BytesIO):
        ExcelWriter(workbook, _InMemoryZip(target, "w", ZIP_DEFLATED, allowZip64=True)).save()
    else:
        workbook.save(target)


def export_version(version: DatasetVersion, fmt: str, *, node: Node) -> Export:
    """Write the export; the caller streams it and deletes it when ``temporary``."""
    if fmt not in EXPORT_FORMATS:
        raise BadRequest(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    stem = f"{version.dataset.slug}-v{version.number}"
    if is_sealed(version, node=node):
        content = _sealed_export(version, fmt, node=node)
        return Export(None, EXPORT_FORMATS[fmt], f"{stem}.{fmt}", False, content=content)
    parquet = node.store.path_for(version.parquet_sha256)
    if fmt == "parquet":
        return Export(parquet, EXPORT_FORMATS[fmt], f"{stem}.parquet", temporary=False)
    target = node.tmp_dir / f"export-{uuid.uuid4().hex}.{fmt}"
    source = duck.parquet_source(parquet)
    connection = node.duck_cursor()
    destination = duck.sql_string(str(target))
    try:
        if fmt == "csv":
            connection.execute(
                f"COPY (SELECT {_csv_select(version)} FROM {source}) TO {destination} "
                "(FORMAT CSV, HEADER true)"
            )
        elif fmt == "json":
            connection.execute(
                f"COPY (SELECT * FROM {source}) TO {destination} (FORMAT JSON, ARRAY true)"
            )
        else:
            _write_xlsx(connection, source, target)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    finally:
        connection.close()
    return Export(target, EXPORT_FORMATS[fmt], f"{stem}.{fmt}", temporary=True)


def _sealed_export(version: DatasetVersion, fmt: str, *, node: Node) -> bytes:
    """The same export as a plain version's, built in memory: no plaintext touches disk."""
    if fmt == "parquet":
        return version_parquet_bytes(version, node=node)
    connection = node.duck_cursor()
    try:
        source = parquet_source(version, node=node, connection=connection)
        if fmt == "csv":
            query = f"SELECT {_csv_select(version)} FROM {source}"
            return copy_to_memory(connection, query, "FORMAT CSV, HEADER true")
        if fmt == "json":
            return copy_to_memory(connection, f"SELECT * FROM {source}", "FORMAT JSON, ARRAY true")
        buffer = BytesIO()
        _write_xlsx(connection, source, buffer)
        return buffer.getvalue()
    finally:
        connection.close()
