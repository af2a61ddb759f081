"""XLS (BIFF, Excel 97-2003) through xlrd: cached formula values, date cells as dates.

xlrd reads the value Excel cached for each formula (it never evaluates one) and marks
date-formatted numbers as date cells, which ``xldate_as_datetime`` turns into dates with
the workbook's 1900/1904 epoch. Numbers are floats in BIFF; whole ones become integers,
as openpyxl reads them from XLSX.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import xlrd
from xlrd.xldate import XLDateError, xldate_as_datetime

from laborcommons.ingest import issues
from laborcommons.ingest.readers.base import ReadRequest, Staged
from laborcommons.ingest.readers.sheet_stage import over_grid, pick_sheet, stage_rows


def read_xls(req: ReadRequest) -> Staged | None:
    """Stage one worksheet (``req.sheet`` or the first) with the cells' own types."""
    try:
        book = xlrd.open_workbook(str(req.source), on_demand=True, ragged_rows=True)
    except xlrd.XLRDError as error:
        kind = "encrypted-file" if "encrypt" in str(error).lower() else "unreadable-file"
        issues.add(req.report, kind, f"{req.name}: not a readable XLS workbook ({error})")
        return None
    except Exception as error:  # a corrupt BIFF stream can fail anywhere inside xlrd
        message = f"{req.name}: not a readable XLS workbook ({type(error).__name__})"
        issues.add(req.report, "unreadable-file", message)
        return None
    try:
        index = pick_sheet(req, book.sheet_names())
        if index is None:
            return None
        sheet = book.sheet_by_index(index)
        if over_grid(req, sheet.nrows, sheet.ncols):
            return None
        rows = ((r + 1, _values(book, sheet.row(r))) for r in range(sheet.nrows))
        staged = stage_rows(req, f"sheet {sheet.name!r}", rows)
        if staged is not None:
            staged.sheet = sheet.name
        return staged
    finally:
        book.release_resources()


def _values(book: Any, cells: Sequence[Any]) -> list[object]:
    return list(_cell_values(book, cells))


def _cell_values(book: Any, cells: Sequence[Any]) -> Iterator[object]:
    for cell in cells:
        if cell.ctype == xlrd.XL_CELL_DATE:
            try:
                yield xldate_as_datetime(cell.value, book.datemode)
            except (XLDateError, ValueError, OverflowError):
                yield cell.value
        elif cell.ctype == xlrd.XL_CELL_NUMBER:
            value = float(cell.value)
            yield int(value) if value.is_integer() and abs(value) < 2**53 else value
        elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
            yield bool(cell.value)
        elif cell.ctype in (xlrd.XL_CELL_TEXT,):
            yield cell.value
        else:
            yield None  # empty, blank and error cells (#N/A, #DIV/0!)
