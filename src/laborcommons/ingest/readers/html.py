"""HTML: a web page's data tables through lxml, layout tables ignored.

A data table has a header (``<th>`` cells or a ``<thead>``), at least two rows and two
columns, and no table inside it; pages lay out menus and columns with tables that fail one
of those tests. The parser never fetches anything (``no_network``) and never expands
entities; comments, scripts and styles are dropped. Cell text is typed by the normal
inference, as CSV is.
"""

from __future__ import annotations

from typing import Any

from lxml import etree, html

from laborcommons.ingest import issues
from laborcommons.ingest.encoding import refuse_binary
from laborcommons.ingest.readers.base import ReadRequest, Staged
from laborcommons.ingest.readers.sheet_stage import MAX_COLUMNS, over_grid, stage_rows
from laborcommons.ingest.readers.table_choice import Grid, Table, choose_table

PARSER = html.HTMLParser(
    no_network=True,
    remove_comments=True,
    remove_pis=True,
    huge_tree=False,  # libxml2's depth and size limits stay on
    default_doctype=False,
)


def read_html(req: ReadRequest) -> Staged | None:
    """Stage the chosen data table (``req.table``: number or id; default the largest)."""
    data = req.source.read_bytes()
    refuse_binary(data[:8192], req.name)
    try:
        root = html.document_fromstring(data, parser=PARSER)
    except (etree.ParserError, ValueError) as error:
        issues.add(req.report, "unreadable-file", f"{req.name}: not readable HTML ({error})")
        return None
    for junk in root.iter("script", "style", "template"):
        junk.drop_tree()
    tables = _data_tables(root)
    table = choose_table(req, tables, "data table (a table with <th> or <thead> cells)")
    if table is None:
        return None
    if over_grid(req, len(table.rows), max(len(r) for r in table.rows)):
        return None
    staged = stage_rows(req, table.label(), enumerate(table.rows, 1), typed=False)
    if staged is not None:
        staged.sheet = table.label()
    return staged


def _data_tables(root: Any) -> list[Table]:
    found: list[Table] = []
    for element in root.iter("table"):
        if element.find(".//table") is not None:
            continue  # a layout table holding others
        has_header = element.find(".//th") is not None or element.find(".//thead") is not None
        rows = _grid(element)
        width = max((len(r) for r in rows), default=0)
        if not has_header or len(rows) < 2 or width < 2:
            continue
        found.append(Table(rows, id=element.get("id"), index=len(found) + 1))
    return found


def _grid(table: Any) -> Grid:
    """Cell texts row by row; colspan repeats a cell's text so columns stay aligned."""
    rows: Grid = []
    for row in table.iter("tr"):
        cells: list[str | None] = []
        for cell in row:
            if cell.tag not in ("td", "th"):
                continue
            text = " ".join(cell.text_content().split()) or None
            span = _span(cell.get("colspan"))
            cells.extend([text] + [None] * (span - 1))
        if any(cell is not None for cell in cells):
            rows.append(cells)
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), MAX_COLUMNS))
    except ValueError:
        return 1
