"""The one path from rows of cell values to a staged table, shared by every grid reader.

XLSX, XLS and ODS hand it typed cell values (numbers, dates, text) and keep the cell's
type; PDF and HTML tables hand it strings, typed afterwards by the normal inference.
Sheet choice, title-row skipping (``xlsx_layout.find_header``) and the grid limits live
here once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

from openpyxl.utils import get_column_letter

from laborcommons.ingest import issues
from laborcommons.ingest.headers import check_header, clean
from laborcommons.ingest.readers.base import ROW_COLUMN, ReadRequest, Staged, StagedColumn
from laborcommons.ingest.readers.text_stage import TextStageWriter, stage_name
from laborcommons.ingest.readers.xlsx_layout import SCAN_ROWS, cell_text, combined_type, find_header

# Excel's own grid: no legitimate sheet is wider or longer, and a file that claims more
# (ODS repeat counts, a crafted BIFF index) is a bomb, refused before it is expanded.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384

NumberedRow = tuple[int, Sequence[object]]


def pick_sheet(req: ReadRequest, names: Sequence[str]) -> int | None:
    """Index of ``req.sheet`` (or the first sheet) in ``names``; None after reporting why."""
    if req.sheet is None:
        if not names:
            issues.add(req.report, "empty-file", f"{req.name} has no worksheets")
            return None
        return 0
    if req.sheet not in names:
        listed = ", ".join(repr(name) for name in names)
        message = f"sheet {req.sheet!r} is not in {req.name}; available sheets: {listed}"
        issues.add(req.report, "sheet-not-found", message, value=req.sheet)
        return None
    return list(names).index(req.sheet)


def over_grid(req: ReadRequest, rows: int, columns: int) -> bool:
    """Report (and answer True) when a sheet or table is larger than any real one."""
    if rows <= MAX_ROWS and columns <= MAX_COLUMNS:
        return False
    message = (
        f"{req.name} declares {rows:,} rows by {columns:,} columns, over the limit of "
        f"{MAX_ROWS:,} by {MAX_COLUMNS:,}"
    )
    issues.add(req.report, "too-large", message)
    return True


def stage_rows(
    req: ReadRequest, title: str, rows: Iterable[NumberedRow], *, typed: bool = True
) -> Staged | None:
    """Stage ``rows`` (file row number, cell values) under the header found among them.

    ``typed``: cell values carry their type (spreadsheets); otherwise every column is
    inferred from its text (tables in PDF and HTML).
    """
    stream = iter(rows)
    head = list(itertools.islice(stream, SCAN_ROWS))
    found = find_header(head)
    if found is None:
        issues.add(req.report, "empty-file", f"{title} of {req.name} is empty")
        return None
    header_row, header_cells = head[found]
    names = [clean(value) for value in header_cells]
    while names and not names[-1]:
        names.pop()  # trailing blank (often merged) header cells
    width = len(names)
    kinds: list[set[str]] = [set() for _ in range(width)]
    path = req.scratch / "sheet.parquet"
    with TextStageWriter(path, width) as writer:
        for number, cells in itertools.chain(head[found + 1 :], stream):
            texts: list[str | None] = [None] * width
            for position, value in enumerate(cells):
                cell = cell_text(value)
                if cell is None:
                    continue
                if position >= width:
                    _extra_cell(req, number, position, cell[1])
                    continue
                kinds[position].add(cell[0])
                texts[position] = cell[1]
            if any(text is not None for text in texts):
                writer.add(number, texts)
    # A blank header over an empty column is layout (merged cells), not a problem.
    keep = [i for i in range(width) if names[i] or kinds[i]]

    def label(kept: int) -> str:
        return f"column {get_column_letter(keep[kept] + 1)}"

    if not check_header([names[i] for i in keep], report=req.report, row=header_row, label=label):
        return None
    if not req.report.valid:
        return None
    columns = [
        StagedColumn(stage_name(i), names[i], combined_type(kinds[i]) if typed else None)
        for i in keep
    ]
    return Staged(path, columns, row_column=ROW_COLUMN, header_row=header_row)


def _extra_cell(req: ReadRequest, row: int, position: int, text: str) -> None:
    column = f"column {get_column_letter(position + 1)}"
    message = f"row {row}: {column} has a value but no header"
    issues.add(req.report, "extra-cell", message, row=row, column=column, value=text)
