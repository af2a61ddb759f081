"""Where an Excel table starts, and what type each cell value is.

Header heuristic: among the first 30 rows, the header is the first row whose non-empty
cells number at least max(2, half the widest of those rows) and are at least half strings.
Title rows ("Benchmark 2021", a section banner) are narrower, and rows of numbers fail the
string test. If no row qualifies (e.g. a one-column sheet), the first non-empty row is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

SCAN_ROWS = 30
Row = tuple[int, Sequence[object]]


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def find_header(rows: Sequence[Row]) -> int | None:
    """Index into ``rows`` of the header row, or None when every row is empty."""
    counts = [sum(not is_blank(value) for value in cells) for _, cells in rows]
    widest = max(counts, default=0)
    if widest == 0:
        return None
    need = max(2, widest / 2)
    for index, (_, cells) in enumerate(rows):
        filled = [value for value in cells if not is_blank(value)]
        strings = sum(isinstance(value, str) for value in filled)
        if len(filled) >= need and strings * 2 >= len(filled):
            return index
    return next(index for index, count in enumerate(counts) if count)


def cell_text(value: object) -> tuple[str, str] | None:
    """(DuckDB type, canonical text) of a cell value, or None for an empty cell.

    The text is what DuckDB casts back to the type, so it must round-trip exactly:
    repr() for floats, ISO 8601 for dates, lower-case booleans.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "BOOLEAN", "true" if value else "false"
    if isinstance(value, int):
        return "BIGINT", str(value)
    if isinstance(value, float):
        return "DOUBLE", repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return "DATE", value.date().isoformat()
        return "TIMESTAMP", value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return "DATE", value.isoformat()
    return "VARCHAR", str(value)


def combined_type(kinds: set[str]) -> str:
    """One type for a column: ints with floats are numbers, dates with datetimes are
    datetimes, anything else mixed is text."""
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds and kinds <= {"BIGINT", "DOUBLE"}:
        return "DOUBLE"
    if kinds and kinds <= {"DATE", "TIMESTAMP"}:
        return "TIMESTAMP"
    return "VARCHAR"
