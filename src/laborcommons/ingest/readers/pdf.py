"""PDF reports: the tables of a text-based PDF through pdfplumber, in a limited process.

pdfplumber over camelot: it is pure Python (camelot needs Ghostscript or OpenCV as system
packages), and it exposes the text layer, so a scanned PDF is told apart from one with no
tables. Extraction runs in ``pdf_worker`` under memory, CPU, wall-clock and page limits.

A table continuing on the next pages is joined when its header row repeats there (the
repeated header is dropped). Cells are text, typed by the normal inference.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from typing import Any

from laborcommons.ingest import issues
from laborcommons.ingest.readers.base import ReadRequest, Staged
from laborcommons.ingest.readers.sheet_stage import over_grid, stage_rows
from laborcommons.ingest.readers.table_choice import Table, choose_table

MAX_PAGES = 2_000
MEMORY_BYTES = 1024**3
CPU_SECONDS = 120
WALL_SECONDS = 180


def read_pdf(req: ReadRequest) -> Staged | None:
    """Stage the chosen table (``req.page``, ``req.table``; default the largest)."""
    found = _extract(req)
    if found is None:
        return None
    if found["chars"] == 0:
        message = (
            f"{req.name} has no text layer (a scanned PDF?): its tables cannot be read; "
            "run OCR on it first or ask the publisher for the data"
        )
        issues.add(req.report, "pdf-no-text", message)
        return None
    tables = join_tables(found["tables"])
    table = choose_table(req, tables, "table")
    if table is None:
        return None
    if over_grid(req, len(table.rows), max(len(r) for r in table.rows)):
        return None
    staged = stage_rows(req, table.label(), enumerate(table.rows, 1), typed=False)
    if staged is not None:
        staged.sheet = table.label()
    return staged


def _extract(req: ReadRequest) -> dict[str, Any] | None:
    command = [
        sys.executable,
        "-m",
        "laborcommons.ingest.readers.pdf_worker",
        str(req.source),
        str(MAX_PAGES),
        str(MEMORY_BYTES),
        str(CPU_SECONDS),
    ]
    try:
        # Fixed argv (this interpreter, our module, a path we made): no shell, no user text.
        done = subprocess.run(  # noqa: S603
            command, capture_output=True, timeout=WALL_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        message = f"{req.name}: reading took over {WALL_SECONDS} s and was stopped"
        issues.add(req.report, "too-large", message)
        return None
    try:
        found: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        # Killed by a limit (SIGXCPU, out of memory) before it could answer.
        message = f"{req.name}: reading exceeded the memory or time limit and was stopped"
        issues.add(req.report, "too-large", message)
        return None
    if "error" in found:
        issues.add(req.report, found["error"], f"{req.name}: {found['message']}")
        return None
    return found


def join_tables(extracted: Sequence[dict[str, Any]]) -> list[Table]:
    """Tables in page order; one on the next page that starts with the same header joins."""
    tables: list[Table] = []
    for item in extracted:
        rows = [[_text(cell) for cell in row] for row in item["rows"]]
        rows = [row for row in rows if any(cell is not None for cell in row)]
        if not rows:
            continue
        last = tables[-1] if tables else None
        if (
            last is not None
            and item["page"] == (last.last_page or 0) + 1
            and rows[0] == last.rows[0]
        ):
            last.rows.extend(rows[1:])
            last.last_page = item["page"]
            continue
        tables.append(Table(rows, page=item["page"], last_page=item["page"], index=len(tables) + 1))
    return tables


def _text(cell: object) -> str | None:
    if cell is None:
        return None
    text = " ".join(str(cell).split())
    return text or None
