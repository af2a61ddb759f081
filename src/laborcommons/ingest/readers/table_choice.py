"""Which of a document's tables to read (PDF, HTML): ``--table``/``--page`` or the largest.

Every table found is listed in the report (``report.tables``) with its page and size, so
a reader who got the wrong one knows what to ask for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from laborcommons.ingest import issues
from laborcommons.ingest.readers.base import ReadRequest
from laborcommons.ingest.schemas import TableFound

Grid = list[list[str | None]]


@dataclass
class Table:
    rows: Grid
    page: int | None = None  # first page (PDF)
    last_page: int | None = None
    id: str | None = None  # the element id (HTML)
    index: int = 0  # 1-based, in document order
    first_row: int = 1  # number of its first row, for messages
    numbers: list[int] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.rows) * max((len(row) for row in self.rows), default=0)

    def label(self) -> str:
        where = f"table {self.index}"
        if self.id:
            where += f" (#{self.id})"
        if self.page is not None:
            pages = f"page {self.page}"
            if self.last_page and self.last_page != self.page:
                pages = f"pages {self.page}-{self.last_page}"
            where += f" on {pages}"
        return where


def list_tables(req: ReadRequest, tables: Sequence[Table]) -> None:
    req.report.tables = [
        TableFound(
            index=t.index,
            page=t.page,
            last_page=t.last_page,
            id=t.id,
            rows=len(t.rows),
            columns=max((len(r) for r in t.rows), default=0),
        )
        for t in tables
    ]


def choose_table(req: ReadRequest, tables: Sequence[Table], what: str) -> Table | None:
    """The table asked for (by number, or by id for HTML) or the largest; None after a report."""
    list_tables(req, tables)
    candidates = list(tables)
    if req.page is not None:
        candidates = [
            t
            for t in tables
            if t.page is not None and t.page <= req.page <= (t.last_page or t.page)
        ]
        if not candidates:
            pages = sorted({t.page for t in tables if t.page is not None})
            message = (
                f"page {req.page} of {req.name} has no table; tables are on pages {_listed(pages)}"
            )
            issues.add(req.report, "table-not-found", message, value=str(req.page))
            return None
    if not candidates:
        issues.add(req.report, "no-table", f"{req.name} has no {what}")
        return None
    if req.table is None:
        return max(candidates, key=lambda t: t.size)
    found = _by_number_or_id(req.table, candidates)
    if found is None:
        names = ", ".join(t.label() for t in candidates)
        message = f"table {req.table!r} is not in {req.name}; found: {names}"
        issues.add(req.report, "table-not-found", message, value=req.table)
    return found


def _by_number_or_id(wanted: str, candidates: Sequence[Table]) -> Table | None:
    if wanted.isdigit():
        position = int(wanted)
        return candidates[position - 1] if 1 <= position <= len(candidates) else None
    ident = wanted.removeprefix("#")
    return next((t for t in candidates if t.id == ident), None)


def _listed(pages: Sequence[int]) -> str:
    return ", ".join(str(p) for p in pages) or "none"
