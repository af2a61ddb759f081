"""Downloads of a version (CSV, TSV, JSON, JSON Lines, XLSX, Parquet) and its original file.

Spreadsheet safety (OWASP CSV injection): by default, in CSV and TSV, text cells that start
with ``= + - @``, tab or carriage return get a leading apostrophe so no spreadsheet
evaluates them; column names follow the same rule (a header ``=HYPERLINK(...)`` is as live
as a cell). ``safe=False`` gives the cells exactly as stored. Every export names the rule
it applied to cells (``Export.altered``: ``formula-prefix`` or ``none``), which the HTTP
responses send as ``X-LaborCommons-Cells-Altered``. XLSX writes every text cell with the
string type, which Excel never evaluates, so its cells are never altered; JSON, JSON Lines
and Parquet carry values as they are.
"""

from __future__ import annotations

import re
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
    original_bytes,
    parquet_source,
    version_parquet_bytes,
)
from laborcommons.catalog.service.row_columns import RowColumns, joined_rows
from laborcommons.core import duck
from laborcommons.core.errors import BadRequest
from laborcommons.core.node import Node

FORMULA_TRIGGERS = "=+-@\t\r"
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/jsonl",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}
DELIMITED = {"csv": ",", "tsv": "\t"}  # the formats the formula-prefix rule applies to
XLSX_MAX_ROWS = 1_048_576  # Excel's sheet limit, the header row included
FORMULA_PREFIX = "formula-prefix"  # the names of what an export did to cells
UNALTERED = "none"
SAFE_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")


@dataclass(frozen=True)
class Export:
    """A file to stream, or (for a sealed version) ``content`` built in memory only."""

    path: Path | None
    media_type: str
    filename: str
    temporary: bool
    content: bytes | None = None
    altered: str = UNALTERED  # the rule applied to cells: FORMULA_PREFIX or UNALTERED

    def read_bytes(self) -> bytes:
        if self.content is not None or self.path is None:
            return self.content or b""
        return self.path.read_bytes()


def escape_formula(value: str) -> str:
    """The one CSV rule for text a spreadsheet could evaluate: cells and column names."""
    return "'" + value if value and value[0] in FORMULA_TRIGGERS else value


def _select(columns: list[dict[str, str]], fmt: str, *, safe: bool, every: bool = False) -> str:
    """The export's columns: with the formula-prefix rule for safe CSV/TSV, else as stored
    (``*``, or each column by name when ``every``: a joined source has one more)."""
    if not safe or fmt not in DELIMITED:
        if every:
            return ", ".join(duck.quote_identifier(c["name"]) for c in columns)
        return "*"
    parts = []
    for column in columns:
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


def _write_xlsx(connection: Any, query: str, target: Path | BytesIO) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    if isinstance(target, BytesIO):
        sheet._writer = _InMemorySheetWriter(sheet)
        sheet._writer.write_top()
    cursor = connection.execute(query)
    sheet.append([_xlsx_cell(sheet, d[0]) for d in cursor.description])
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    if isinstance(target, BytesIO):
        ExcelWriter(workbook, _InMemoryZip(target, "w", ZIP_DEFLATED, allowZip64=True)).save()
    else:
        workbook.save(target)


def _copy_options(fmt: str) -> str:
    if fmt == "parquet":
        return "FORMAT PARQUET"
    if fmt in DELIMITED:
        return f"FORMAT CSV, HEADER true, DELIMITER {duck.sql_string(DELIMITED[fmt])}"
    return "FORMAT JSON, ARRAY true" if fmt == "json" else "FORMAT JSON"


def check_export_format(version: DatasetVersion, fmt: str) -> None:
    """Refuse an unknown format, and XLSX past Excel's row limit, before any work."""
    if fmt not in EXPORT_FORMATS:
        raise BadRequest(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "xlsx" and version.row_count + 1 > XLSX_MAX_ROWS:
        raise BadRequest(
            f"version {version.number} has {version.row_count:,} rows; an XLSX sheet holds at "
            f"most {XLSX_MAX_ROWS:,} rows with the header: download it as CSV or Parquet"
        )


def export_version(
    version: DatasetVersion,
    fmt: str,
    *,
    node: Node,
    safe: bool = True,
    added: RowColumns | None = None,
) -> Export:
    """Write the export; the caller streams it and deletes it when ``temporary``.

    ``safe`` (the default) applies the formula-prefix rule to CSV and TSV; ``safe=False``
    gives every cell exactly as stored. ``Export.altered`` says which rule was applied.
    ``added`` joins columns another domain shows this reader (``row_columns``) after the
    data columns, in file order; their cells follow the same rule.
    """
    check_export_format(version, fmt)
    altered = FORMULA_PREFIX if safe and fmt in DELIMITED else UNALTERED
    stem = f"{version.dataset.slug}-v{version.number}" + (f"-{added.label}" if added else "")
    media_type, filename = EXPORT_FORMATS[fmt], f"{stem}.{fmt}"
    if is_sealed(version, node=node):
        content = _sealed_export(version, fmt, node=node, safe=safe, added=added)
        return Export(None, media_type, filename, False, content=content, altered=altered)
    if fmt == "parquet" and added is None:
        parquet = node.store.path_for(version.parquet_sha256)
        return Export(parquet, media_type, filename, temporary=False)
    target = node.tmp_dir / f"export-{uuid.uuid4().hex}.{fmt}"
    connection = node.duck_cursor()
    destination = duck.sql_string(str(target))
    try:
        query = _query(version, fmt, safe=safe, added=added, node=node, connection=connection)
        if fmt == "xlsx":
            _write_xlsx(connection, query, target)
        else:
            connection.execute(f"COPY ({query}) TO {destination} ({_copy_options(fmt)})")
    except Exception:
        target.unlink(missing_ok=True)
        raise
    finally:
        connection.close()
    return Export(target, media_type, filename, temporary=True, altered=altered)


def _query(
    version: DatasetVersion,
    fmt: str,
    *,
    safe: bool,
    added: RowColumns | None,
    node: Node,
    connection: Any,
) -> str:
    """The export's rows: the version's (a sealed one's registered in memory on this
    cursor), with ``added`` LEFT JOINed on the row number, in file order."""
    if added is None:
        source = parquet_source(version, node=node, connection=connection)
        return f"SELECT {_select(version.columns, fmt, safe=safe)} FROM {source}"
    source, columns, order = joined_rows(version, added, node=node, connection=connection)
    return f"SELECT {_select(columns, fmt, safe=safe, every=True)} FROM {source} ORDER BY {order}"


def _sealed_export(
    version: DatasetVersion, fmt: str, *, node: Node, safe: bool, added: RowColumns | None
) -> bytes:
    """The same export as a plain version's, built in memory: no plaintext touches disk."""
    if fmt == "parquet" and added is None:
        return version_parquet_bytes(version, node=node)
    connection = node.duck_cursor()
    try:
        query = _query(version, fmt, safe=safe, added=added, node=node, connection=connection)
        if fmt == "xlsx":
            buffer = BytesIO()
            _write_xlsx(connection, query, buffer)
            return buffer.getvalue()
        return copy_to_memory(connection, query, _copy_options(fmt))
    finally:
        connection.close()


def original_file(version: DatasetVersion, *, node: Node) -> Export:
    """The file uploaded for this version, byte for byte (a sealed one decrypted in memory).

    Served as ``application/octet-stream`` under a name made from the dataset address and
    the original's extension, so neither a browser nor a header ever interprets the upload.
    """
    suffix = Path(version.original_name).suffix.lower()
    suffix = suffix if SAFE_SUFFIX.fullmatch(suffix) else ""
    filename = f"{version.dataset.slug}-v{version.number}-original{suffix}"
    media_type = "application/octet-stream"
    plain = node.store.path_for(version.sha256)
    if plain.exists():
        return Export(plain, media_type, filename, temporary=False)
    return Export(None, media_type, filename, False, content=original_bytes(version, node=node))
