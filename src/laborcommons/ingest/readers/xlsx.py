"""XLSX/XLSM: openpyxl streams the sheet (read-only, cached formula values), pyarrow stages it.

Formulas are never evaluated: ``data_only=True`` reads the value Excel cached when it last
saved the file. Cell types come from the cells themselves (numbers, dates, text), so a
code typed as text ("01234") stays text.
"""

from __future__ import annotations

import itertools
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from laborcommons.core.errors import UnsupportedMediaType
from laborcommons.ingest import issues
from laborcommons.ingest.headers import check_header, clean
from laborcommons.ingest.readers.base import ROW_COLUMN, ReadRequest, Staged, StagedColumn
from laborcommons.ingest.readers.text_stage import TextStageWriter, stage_name
from laborcommons.ingest.readers.xlsx_layout import SCAN_ROWS, cell_text, combined_type, find_header


def read_xlsx(req: ReadRequest) -> Staged | None:
    """Stage one worksheet (``req.sheet`` or the first) as text with per-column types."""
    # openpyxl warns about workbook features it skips (data validation, slicers); they do
    # not affect cell values, and the test suite turns warnings into errors.
    # A file object, not the path: openpyxl refuses paths without an Excel extension, and
    # uploads are stored under neutral names.
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
        finally:
            workbook.close()


def _pick_sheet(req: ReadRequest, workbook: Any) -> Any:
    names = [sheet.title for sheet in workbook.worksheets]
    if req.sheet is None:
        if not names:
            issues.add(req.report, "empty-file", f"{req.name} has no worksheets")
            return None
        return workbook.worksheets[0]
    if req.sheet not in names:
        listed = ", ".join(repr(name) for name in names)
        message = f"sheet {req.sheet!r} is not in {req.name}; available sheets: {listed}"
        issues.add(req.report, "sheet-not-found", message, value=req.sheet)
        return None
    return workbook[req.sheet]


def _read_sheet(req: ReadRequest, sheet: Any) -> Staged | None:
    sheet.reset_dimensions()  # declared dimensions are often wrong (A1:XFD1048576)
    rows: Iterator[tuple[int, tuple[object, ...]]] = enumerate(sheet.iter_rows(values_only=True), 1)
    head = list(itertools.islice(rows, SCAN_ROWS))
    found = find_header(head)
    if found is None:
        issues.add(req.report, "empty-file", f"sheet {sheet.title!r} of {req.name} is empty")
        return None
    header_row, header_cells = head[found]
    names = [clean(value) for value in header_cells]
    while names and not names[-1]:
        names.pop()  # trailing blank (often merged) header cells
    width = len(names)
    kinds: list[set[str]] = [set() for _ in range(width)]
    path = req.scratch / "xlsx.parquet"
    with TextStageWriter(path, width) as writer:
        for number, cells in itertools.chain(head[found + 1 :], rows):
            texts: list[str | None] = [None] * width
            for position, value in enumerate(cells):
                typed = cell_text(value)
                if typed is None:
                    continue
                if position >= width:
                    _extra_cell(req, number, position, typed[1])
                    continue
                kinds[position].add(typed[0])
                texts[position] = typed[1]
            if any(text is not None for text in texts):
                writer.add(number, texts)
    # A blank header over an empty column is layout (merged cells), not a problem.
    keep = [i for i in range(width) if names[i] or kinds[i]]
    kept_names = [names[i] for i in keep]

    def label(kept: int) -> str:
        return f"column {get_column_letter(keep[kept] + 1)}"

    if not check_header(kept_names, report=req.report, row=header_row, label=label):
        return None
    if not req.report.valid:
        return None
    columns = [StagedColumn(stage_name(i), names[i], combined_type(kinds[i])) for i in keep]
    return Staged(path, columns, row_column=ROW_COLUMN, header_row=header_row, sheet=sheet.title)


def _extra_cell(req: ReadRequest, row: int, position: int, text: str) -> None:
    column = f"column {get_column_letter(position + 1)}"
    message = f"row {row}: {column} has a value but no header"
    issues.add(req.report, "extra-cell", message, row=row, column=column, value=text)
