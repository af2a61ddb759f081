"""Byte-stable writers for every format the demo exercises: CSV, XLSX, JSON, JSON Lines, XML.

The same seed must give the same bytes, so nothing here may leak the clock: spreadsheet
timestamps are pinned and XML is serialized without pretty-printer surprises.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

from openpyxl import Workbook
from openpyxl.styles import Font

Cell = str | int | float | None


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> None:
    """Write a CSV with Windows line endings, as spreadsheet exports have them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in row] for row in rows)
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))


def write_json(path: Path, records: list[dict[str, Any]]) -> None:
    """Write a JSON array of objects, keys in insertion order."""
    text = json.dumps(records, ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    """Write one JSON object per line, the way event logs are exported."""
    lines = (json.dumps(record, ensure_ascii=False) for record in records)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")


def write_xml(path: Path, root: ET.Element) -> None:
    """Write an element tree with an XML declaration and two-space indentation."""
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", encoding="utf-8")


def write_xlsx(
    path: Path,
    *,
    sheet: str,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    stamp: datetime,
) -> None:
    """Write a one-sheet workbook with a title row, a blank row, then the header.

    ``stamp`` replaces the creation and modification times openpyxl would take from
    the clock, and the zip entries get the same fixed date.
    """
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    worksheet.append([title])
    worksheet["A1"].font = Font(bold=True, size=14)
    worksheet.append([])
    worksheet.append(list(header))
    for cell in worksheet[3]:
        cell.font = Font(bold=True)
    for row in rows:
        worksheet.append(list(row))
    workbook.properties.creator = "LaborCommons demo"
    workbook.properties.created = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(_pin_zip(buffer.getvalue(), stamp))


def _pin_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip so every entry and the core properties carry ``stamp``."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + iso.encode() + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, content)
    return out.getvalue()
