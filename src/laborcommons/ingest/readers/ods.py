"""ODS (OpenDocument spreadsheet): content.xml streamed with defusedxml, cells typed by ODF.

Not odfpy's loader: it builds the whole document tree in memory, and a sheet's cells can
declare ``number-columns-repeated="16384"`` on every row, which a tree expands before
anyone can count. Streaming lets the reader count repeats first: trailing empty repeats
(how LibreOffice pads every row and sheet) cost nothing, and a grid claiming more than
Excel's limits is refused before anything is expanded. DTDs and entities are refused.
Cells carry their type (``office:value-type``): floats, percentages and currencies are
numbers, dates are dates, booleans booleans; a formula's cached value is what is read.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, iterparse

from laborcommons.ingest import issues
from laborcommons.ingest.readers.base import ReadRequest, Staged
from laborcommons.ingest.readers.sheet_stage import (
    MAX_COLUMNS,
    MAX_ROWS,
    NumberedRow,
    over_grid,
    pick_sheet,
    stage_rows,
)

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
CELLS = (TABLE + "table-cell", TABLE + "covered-table-cell")
NUMBERS = ("float", "percentage", "currency")


class GridTooLarge(Exception):
    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns


def read_ods(req: ReadRequest) -> Staged | None:
    """Stage one sheet (``req.sheet`` or the first) with the cells' own types."""
    try:
        with zipfile.ZipFile(req.source) as archive:
            if "content.xml" not in archive.namelist():
                raise KeyError("content.xml")
            encrypted = b"encryption-data" in archive.read("META-INF/manifest.xml")
            if encrypted:
                message = f"{req.name} is password-protected; save it without a password"
                issues.add(req.report, "encrypted-file", message)
                return None
            with archive.open("content.xml") as content:
                names = _sheet_names(content)
            index = pick_sheet(req, names)
            if index is None:
                return None
            with archive.open("content.xml") as content:
                rows = _rows(content, index)
                staged = stage_rows(req, f"sheet {names[index]!r}", rows)
    except (zipfile.BadZipFile, KeyError) as error:
        message = f"{req.name}: not a readable OpenDocument spreadsheet ({error})"
        issues.add(req.report, "unreadable-file", message)
        return None
    except DefusedXmlException as error:
        message = f"{req.name}: {error} (DTDs and entities are not accepted)"
        issues.add(req.report, "xml-forbidden", message)
        return None
    except ParseError as error:
        message = f"{req.name}: content.xml is not well-formed ({error.msg})"
        issues.add(req.report, "unreadable-file", message)
        return None
    except GridTooLarge as error:
        over_grid(req, error.rows, error.columns)
        return None
    if staged is not None:
        staged.sheet = names[index]
    return staged


def _sheet_names(content: Any) -> list[str]:
    names: list[str] = []
    for _event, element in iterparse(content, events=("start",)):
        if element.tag == TABLE + "table":
            names.append(element.get(TABLE + "name", f"Sheet{len(names) + 1}"))
    return names


def _rows(content: Any, wanted: int) -> Iterator[NumberedRow]:
    """Rows of sheet ``wanted``, repeats expanded only where values follow them."""
    sheet = -1
    number = 0
    pending_blank = 0
    for event, element in iterparse(content, events=("start", "end")):
        if event == "start":
            if element.tag == TABLE + "table":
                sheet += 1
            continue
        if element.tag == TABLE + "table" and sheet == wanted:
            return
        if element.tag != TABLE + "table-row" or sheet != wanted:
            continue
        repeat = int(element.get(TABLE + "number-rows-repeated", "1"))
        cells = _cells(element)
        element.clear()
        if not cells:
            pending_blank += repeat  # blank rows pad the sheet; count, never expand
            continue
        number += pending_blank
        pending_blank = 0
        if number + repeat > MAX_ROWS:
            raise GridTooLarge(number + repeat, len(cells))
        for _ in range(repeat):
            number += 1
            yield number, cells


def _cells(row: Any) -> list[object]:
    values: list[object] = []
    pending_blank = 0
    for cell in row:
        if cell.tag not in CELLS:
            continue
        repeat = int(cell.get(TABLE + "number-columns-repeated", "1"))
        value = _value(cell)
        if value is None:
            pending_blank += repeat
            continue
        values.extend([None] * pending_blank)
        pending_blank = 0
        if len(values) + repeat > MAX_COLUMNS:
            raise GridTooLarge(0, len(values) + repeat)
        values.extend([value] * repeat)
    return values


def _value(cell: Any) -> object:
    kind = cell.get(OFFICE + "value-type")
    if kind in NUMBERS:
        number = float(cell.get(OFFICE + "value"))
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    if kind == "boolean":
        return cell.get(OFFICE + "boolean-value") == "true"
    if kind == "date":
        text = cell.get(OFFICE + "date-value")
        moment = dt.datetime.fromisoformat(text)
        return moment.date() if "T" not in text else moment
    paragraphs = ["".join(p.itertext()) for p in cell.iter(TEXT + "p")]
    text = "\n".join(paragraphs)
    return text or None
