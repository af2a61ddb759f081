"""Downloads of a version as CSV, JSON, XLSX or Parquet, written to a temp file to stream.

Spreadsheet safety (OWASP CSV injection): in CSV, text cells that start with ``= + - @``,
tab or carriage return get a leading apostrophe so no spreadsheet evaluates them; in XLSX,
every text cell is written with the string type, which Excel never evaluates.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from laborcommons.catalog.models import DatasetVersion
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
    path: Path
    media_type: str
    filename: str
    temporary: bool


def escape_formula(value: str) -> str:
    return "'" + value if value and value[0] in FORMULA_TRIGGERS else value


def _csv_select(version: DatasetVersion) -> str:
    parts = []
    for column in version.columns:
        quoted = duck.quote_identifier(column["name"])
        if column["type"] == "string":
            parts.append(
                f"CASE WHEN regexp_matches({quoted}, '^[=+\\-@\\t\\r]') "
                f"THEN '''' || {quoted} ELSE {quoted} END AS {quoted}"
            )
        else:
            parts.append(quoted)
    return ", ".join(parts) or "*"


def _write_xlsx(connection: Any, source: str, target: Path) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    cursor = connection.execute(f"SELECT * FROM {source}")
    sheet.append([d[0] for d in cursor.description])
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                cells.append(cell)
            sheet.append(cells)
    workbook.save(target)


def export_version(version: DatasetVersion, fmt: str, *, node: Node) -> Export:
    """Write the export; the caller streams it and deletes it when ``temporary``."""
    if fmt not in EXPORT_FORMATS:
        raise BadRequest(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    stem = f"{version.dataset.slug}-v{version.number}"
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
