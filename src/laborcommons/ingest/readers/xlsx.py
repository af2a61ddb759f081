"""XLSX/XLSM: openpyxl streams the sheet (read-only, cached formula values), pyarrow stages it.

Formulas are never evaluated: ``data_only=True`` reads the value Excel cached when it last
saved the file. Cell types come from the cells themselves (numbers, dates, text), so a
code typed as text ("01234") stays text.
"""

from __future__ import annotations

import warnings
import zipfile
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from laborcommons.core.errors import UnsupportedMediaType
from laborcommons.ingest.readers.base import ReadRequest, Staged
from laborcommons.ingest.readers.sheet_stage import pick_sheet, stage_rows
from laborcommons.ingest.readers.zip_xml import ParseError, broken_part, refuse_doctype


def read_xlsx(req: ReadRequest) -> Staged | None:
    """Stage one worksheet (``req.sheet`` or the first) as text with per-column types."""
    # openpyxl warns about workbook features it skips (data validation, slicers); they do
    # not affect cell values, and the test suite turns warnings into errors.
    # A file object, not the path: openpyxl refuses paths without an Excel extension, and
    # uploads are stored under neutral names.
    if refuse_doctype(req):
        return None
    with warnings.catch_warnings(), req.source.open("rb") as stream:
        warnings.simplefilter("ignore")
        try:
            workbook = load_workbook(stream, read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
            message = f"{req.name}: not a readable Excel workbook ({error})"
            raise UnsupportedMediaType(message) from None
        try:
            sheet = _pick_sheet(req, workbook)
            return None if sheet is None else _read_sheet(req, sheet)
        except ParseError as error:
            broken_part(req, error)
            return None
        finally:
            workbook.close()


def _pick_sheet(req: ReadRequest, workbook: Any) -> Any:
    index = pick_sheet(req, [sheet.title for sheet in workbook.worksheets])
    return None if index is None else workbook.worksheets[index]


def _read_sheet(req: ReadRequest, sheet: Any) -> Staged | None:
    sheet.reset_dimensions()  # declared dimensions are often wrong (A1:XFD1048576)
    rows = enumerate(sheet.iter_rows(values_only=True), 1)
    staged = stage_rows(req, f"sheet {sheet.title!r}", rows)
    if staged is not None:
        staged.sheet = sheet.title
    return staged
